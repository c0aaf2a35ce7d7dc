import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/retail-stream", import.meta.url));

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Fails fast with a clear hint when the CLI was not built. */
export function requireBuild(): void {
  if (!existsSync(new URL("../../dist/bundle/main.js", import.meta.url))) throw new Error("build first: make build");
}

/** Runs the CLI to completion. */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeout?: number; cwd?: string; input?: string } = {},
): Result {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    timeout: options.timeout ?? 60_000,
    maxBuffer: 1 << 30,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI and resolves once `pattern` shows up on stderr. */
export function startCli(
  args: string[],
  pattern: RegExp,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; done: Promise<Result> }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  const done = new Promise<Result>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (pattern.test(stderr)) resolve({ child, done });
    });
    child.on("close", () => reject(new Error(`exited before ${pattern}: ${stderr}`)));
  });
}

/** Parses JSON lines. */
export function jsonLines<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

/** Starts the CLI and kills it with SIGKILL once it has made `events` new primary events (its info lines say each); resolves once it is gone. */
export function runAndKill(args: string[], events: number): Promise<{ killed: boolean; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args, "--log-level", "info"], { cwd: ROOT });
  let stderr = "";
  let made = 0;
  child.stderr.on("data", (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    made += text.match(/Event #\d+:/g)?.length ?? 0;
    if (made >= events && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return new Promise((resolve) =>
    child.on("close", (_code, signal) => {
      resolve({ killed: signal === "SIGKILL", stderr });
    }),
  );
}

/**
 * Whether a record's value is a primary event as the stream's mix counts them: not caused by another event
 * (a sale's decrement, a purchase step, an alert, a visit's exit; version 3's payments, order status changes and
 * returns), and not a checkout's second or later line (version 2's baskets). Written here from the event fields, not
 * taken from the code under test.
 */
export function isPrimaryValue(value: {
  event_type: string;
  source_event_id?: string;
  action?: string;
  line_number?: number;
}): boolean {
  if (["restock_alert", "payment", "order_status", "return"].includes(value.event_type)) return false;
  if (value.event_type === "inventory_update" && value.source_event_id !== undefined) return false;
  if (value.event_type === "customer_event" && (value.action === "purchase" || value.action === "exit")) return false;
  return value.event_type !== "sale" || (value.line_number ?? 1) === 1;
}

type TickValue = {
  event_type: string;
  source_event_id?: string;
  action?: string;
  line_number?: number;
  attempt?: number;
  transaction_id?: string;
};

/**
 * Which records mark a primary tick, as `--count` and the summary count them: the primary events, and each checkout
 * declined outright (its first payment attempt, when its transaction sold no line: its payments are all it made).
 */
export function isTickOf(values: readonly TickValue[]): (value: TickValue) => boolean {
  const sold = new Set(values.filter((v) => v.event_type === "sale").map((v) => v.transaction_id));
  return (v) => isPrimaryValue(v) || (v.event_type === "payment" && v.attempt === 1 && !sold.has(v.transaction_id));
}

/** How many primary ticks the records show (`isTickOf`). */
export function primaryTicks(values: readonly TickValue[]): number {
  return values.filter(isTickOf(values)).length;
}
