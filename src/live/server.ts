import { createHash, timingSafeEqual } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type winston from "winston";
import { SinkError } from "../errors.js";
import { livePage } from "./page.js";
import type { LiveView } from "./view.js";

export interface LiveServerOptions {
  host: string;
  port: number;
  token?: string;
  controlLog?: string;
  /** The run (or the workers' runs) served. */
  view: LiveView;
  log: winston.Logger;
  /** Wall epoch ms, for the control log. */
  epochNow: () => number;
}

const MAX_BODY = 64 * 1024;

/** The line that says where the endpoints are. */
export function servingLine(host: string, port: number): string {
  const where = host.includes(":") ? `[${host}]` : host;
  return `live page and metrics at http://${where}:${port}/ (/metrics, /healthz, /readyz, /status, POST /control)`;
}
const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Whether the request carries the token, compared in constant time (digests of equal length). */
function authorised(request: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(given), digest(token));
}

function send(response: ServerResponse, status: number, body: string, type = "application/json"): void {
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  response.end(body);
}
const json = (response: ServerResponse, status: number, value: unknown): void =>
  send(response, status, JSON.stringify(value) + "\n");

/** A request's body: its text, too large (the request is cut), or gone (aborted or failed before its end). */
export type Body = { text: string } | { tooLarge: true } | { gone: string };

/** Reads a request's body; settles however the request ends, so no answer waits forever on a client that left. */
export function readBody(request: Pick<IncomingMessage, "setEncoding" | "on" | "destroy">): Promise<Body> {
  return new Promise((resolve) => {
    let text = "";
    let ended = false;
    const settle = (body: Body): void => {
      if (ended) return;
      ended = true;
      resolve(body);
    };
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > MAX_BODY) {
        settle({ tooLarge: true });
        request.destroy();
      }
    });
    request.on("end", () => settle({ text }));
    request.on("aborted", () => settle({ gone: "aborted" }));
    request.on("error", (error: Error) => settle({ gone: error.message }));
    request.on("close", () => settle({ gone: "closed before its end" }));
  });
}

/**
 * Serves the live endpoints: `/metrics` (Prometheus), `/healthz`, `/readyz`,
 * `/status`, `POST /control` and the live page at `/`. Listens before the run
 * starts; an address in use is a `SinkError` naming it.
 */
export async function startLiveServer(options: LiveServerOptions): Promise<Server> {
  const { view, log } = options;

  const control = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!authorised(request, options.token))
      return json(response, 401, { error: "POST /control needs Authorization: Bearer <the --http-token>" });
    const body = await readBody(request);
    if ("tooLarge" in body) return json(response, 413, { error: `body: larger than ${MAX_BODY} bytes` });
    // The client left: nobody to answer, nothing to change.
    if ("gone" in body) return;
    let data: unknown;
    try {
      data = JSON.parse(body.text);
    } catch {
      return json(response, 400, { error: "body: not valid JSON" });
    }
    const plan = await view.plan(data);
    if (plan.apply === undefined) return json(response, 400, { error: plan.problems.join("; ") });
    // Logged before it is made: a change the log cannot hold is not made (a controlled run replays only with its log).
    if (options.controlLog !== undefined) {
      const { simulated_time } = await view.status();
      try {
        appendFileSync(
          options.controlLog,
          JSON.stringify({ wall_time: new Date(options.epochNow()).toISOString(), simulated_time, change: data }) +
            "\n",
        );
      } catch (error) {
        return json(response, 500, {
          error: `--control-log ${options.controlLog}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing changed`,
        });
      }
    }
    const { said, status } = await plan.apply();
    for (const line of said) log.info(`control: ${line}`);
    json(response, 200, { changed: said, status });
  };
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const route = `${request.method ?? "GET"} ${path}`;
    const fail = (error: unknown): void => json(response, 500, { error: (error as Error).message });
    switch (route) {
      case "GET /metrics":
        view.metrics().then(({ text, contentType }) => send(response, 200, text, contentType), fail);
        return;
      case "GET /healthz":
        return json(response, 200, { alive: true });
      case "GET /readyz":
        view
          .notReady()
          .then(
            (reasons) => json(response, reasons.length === 0 ? 200 : 503, { ready: reasons.length === 0, reasons }),
            fail,
          );
        return;
      case "GET /status":
        view.status().then((status) => json(response, 200, status), fail);
        return;
      case "POST /control":
        control(request, response).catch(fail);
        return;
      case "GET /":
        return send(response, 200, livePage(options.token !== undefined), "text/html; charset=utf-8");
      default:
        return json(response, request.method === "GET" || request.method === "POST" ? 404 : 405, {
          error: `no ${route}`,
        });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new SinkError(
          `--http ${options.host}:${options.port}: ${error.code === "EADDRINUSE" ? "address in use" : error.message}`,
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}
