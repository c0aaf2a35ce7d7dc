import { expect } from "chai";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SchemaRegistry } from "../../src/sinks/kafka/schemaRegistry.js";

/** A loopback server answering each request with `answer` and keeping what it was sent. */
async function serve(answer: (req: IncomingMessage, body: string) => [number, unknown]): Promise<{
  url: string;
  seen: Array<{ method?: string; url?: string; auth?: string; body: string }>;
  server: Server;
}> {
  const seen: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      const [status, payload] = answer(req, body);
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis/ccompat/v7`, seen, server };
}

describe("SchemaRegistry (Confluent API client)", () => {
  it("should register with basic authentication and the schema type, and read the id back", async () => {
    const { url, seen, server } = await serve(() => [200, { id: 42 }]);
    try {
      const id = await new SchemaRegistry(url, "user:pass").register("t-value", 'syntax = "proto3";', "PROTOBUF");
      expect(id).to.equal(42);
      expect(seen[0]).to.deep.equal({
        method: "POST",
        url: "/apis/ccompat/v7/subjects/t-value/versions",
        auth: `Basic ${Buffer.from("user:pass").toString("base64")}`,
        body: JSON.stringify({ schema: 'syntax = "proto3";', schemaType: "PROTOBUF" }),
      });
    } finally {
      server.close();
    }
  });

  it("should say what a refusal means: credentials (401), incompatible (409), missing (404)", async () => {
    const answers: Record<string, [number, unknown]> = {
      "/apis/ccompat/v7/subjects/a-value/versions": [401, { message: "Unauthorized" }],
      "/apis/ccompat/v7/subjects/b-value/versions": [
        409,
        { error_code: 409, message: "Schema being registered is incompatible with an earlier schema" },
      ],
      "/apis/ccompat/v7/subjects/c-value/versions/latest": [
        404,
        { error_code: 40401, message: "Subject 'c-value' not found." },
      ],
    };
    const { url, server } = await serve((req) => answers[req.url ?? ""] ?? [500, {}]);
    const registry = new SchemaRegistry(url);
    const failure = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => "resolved",
        (e: Error) => e.message,
      );
    try {
      expect(await failure(registry.register("a-value", "{}", "JSON"))).to.equal(
        `the schema registry at ${url} refused the credentials (HTTP 401): check basic.auth.user.info`,
      );
      expect(await failure(registry.register("b-value", "{}", "JSON"))).to.equal(
        "the schema registry refused the schema of b-value as incompatible with its registered versions (HTTP 409: Schema being registered is incompatible with an earlier schema)",
      );
      expect(await failure(registry.latest("c-value"))).to.equal(
        "the schema registry has no c-value (HTTP 404: Subject 'c-value' not found.)",
      );
    } finally {
      server.close();
    }
  });

  it("should name a registry that does not answer", async () => {
    const { url, server } = await serve(() => [200, {}]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const message = await new SchemaRegistry(url).latest("x").then(
      () => "resolved",
      (e: Error) => e.message,
    );
    expect(message).to.equal(`cannot reach the schema registry at ${url} (ECONNREFUSED)`);
  });
});
