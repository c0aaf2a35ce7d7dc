import { expect } from "chai";
import { createServer, type AddressInfo, type Server } from "node:net";
import { requireBuild, runCli } from "../support/cli.js";

const listening = (): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => resolve(server));
  });

describe("--http from the command line", function () {
  this.timeout(60_000);
  before(requireBuild);
  const RUN = [
    "--sink",
    "stdout",
    "--count",
    "300",
    "--min-delta",
    "0",
    "--max-delta",
    "0",
    "--seed",
    "3",
    "--start-time",
    "2026-11-02T12:00:00Z",
    "--log-level",
    "warn",
  ];

  it("should leave the stream of a seed as it is (steering changes nothing until told to)", async () => {
    const server = await listening();
    const port = (server.address() as AddressInfo).port;
    server.close();
    const plain = runCli(RUN);
    const served = runCli([...RUN, "--http", String(port)]);
    expect(served.status, served.stderr).to.equal(0);
    expect(served.stdout).to.equal(plain.stdout);
  });

  it("should say an address in use in one line, exit 1, produce nothing", async () => {
    const server = await listening();
    const port = (server.address() as AddressInfo).port;
    try {
      const result = runCli([...RUN, "--http", `127.0.0.1:${port}`]);
      expect(result.status).to.equal(1);
      expect(result.stdout).to.equal("");
      expect(result.stderr.trim()).to.equal(`retail-stream: --http 127.0.0.1:${port}: address in use`);
    } finally {
      server.close();
    }
  });

  it("should never show the token, not even in debug logs", async () => {
    const server = await listening();
    const port = (server.address() as AddressInfo).port;
    server.close();
    const result = runCli([...RUN, "--http", String(port), "--http-token", "tok-9f8e7d6c", "--log-level", "debug"]);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stderr).to.include("live page and metrics at");
    expect(result.stderr + result.stdout).to.not.include("tok-9f8e7d6c");
  });
});
