import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Duck } from "../../support/duck.js";
import { ROOT, jsonLines, runCli } from "../../support/cli.js";
import { consumeAll, totalsOf } from "../../support/kafka.js";
import { until } from "../../support/poll.js";

// The image `make image` built (scripts/image.sh, from the stand-ins of scripts/container-standins.sh
// where no registry can be pulled from), run with podman as a user would run it.
const IMAGE = "retail-stream:latest";
const env = {
  ...process.env,
  CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? join(ROOT, "containers/containers.conf"),
};
const podman = (args: string[], timeout = 120_000): { status: number | null; stdout: string; stderr: string } => {
  const result = spawnSync("podman", args, { env, encoding: "utf8", timeout, maxBuffer: 1 << 26 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
const FIXED = ["--seed", "3", "--start-time", "2026-11-02T18:30:00Z", "--min-delta", "0", "--max-delta", "0"];

describe("the container image", function () {
  this.timeout(300_000);
  before(() => {
    if (podman(["image", "exists", IMAGE]).status !== 0) throw new Error(`no image ${IMAGE}: build it with make image`);
  });

  it("should run as a user other than root, and be slim (under 400 MB)", () => {
    const id = podman(["run", "--rm", "--entrypoint", "id", IMAGE, "-u"]);
    expect(id.status, id.stderr).to.equal(0);
    expect(Number(id.stdout.trim())).to.be.above(0);
    const size = Number(podman(["image", "inspect", IMAGE, "--format", "{{.Size}}"]).stdout.trim());
    expect(size).to.be.above(50e6).and.below(400e6);
  });

  it("should write --sink stdout exactly as the tool run on the host does", () => {
    const inside = podman(["run", "--rm", IMAGE, "--sink", "stdout", "--count", "50", ...FIXED]);
    expect(inside.status, inside.stderr).to.equal(0);
    // Both at the default schema version (the suite's own runs pin version 1 through the environment).
    const host = runCli(["--sink", "stdout", "--count", "50", ...FIXED], {
      env: { RETAIL_STREAM_SCHEMA_VERSION: undefined },
    });
    expect(jsonLines(inside.stdout).length).to.be.above(50);
    expect(inside.stdout).to.equal(host.stdout);
  });

  it("should write --sink files with DuckDB's stripped engine, the files as the host writes them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retail-image-files-"));
    try {
      chmodSync(dir, 0o777);
      const span = ["--from", "2026-11-02T00:00:00Z", "--to", "2026-11-02T06:00:00Z", "--seed", "3"];
      const inside = podman([
        "run",
        "--rm",
        "-v",
        `${dir}:/out`,
        IMAGE,
        "--sink",
        "files",
        "--files-dir",
        "/out",
        ...span,
      ]);
      expect(inside.status, inside.stderr).to.equal(0);
      const host = runCli(["--sink", "files", "--files-dir", join(dir, "host"), ...span], {
        env: { RETAIL_STREAM_SCHEMA_VERSION: undefined },
      });
      expect(host.status, host.stderr).to.equal(0);
      const duck = await Duck.open();
      try {
        const rows = async (root: string): Promise<unknown[]> =>
          duck.rows(
            `SELECT * FROM read_parquet('${root}/sale/*/*.parquet', hive_partitioning = true) ORDER BY event_id`,
          );
        const made = await rows(dir);
        expect(made.length).to.be.greaterThan(100);
        expect(made).to.deep.equal(await rows(join(dir, "host")));
      } finally {
        duck.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("should deliver every record of a --count run to the local broker (host network), librdkafka loading all it links", async () => {
    const prefix = `e2e-image-${randomUUID().slice(0, 8)}-`;
    const run = podman([
      "run",
      "--rm",
      "--network",
      "host",
      IMAGE,
      "--brokers",
      "127.0.0.1:9092",
      "--count",
      "300",
      ...FIXED,
      "--topic-prefix",
      prefix,
      "--log-level",
      "info",
    ]);
    expect(run.status, run.stderr.slice(-1500)).to.equal(0);
    const totals = totalsOf(run.stderr);
    expect(totals).to.deep.include({ failed: 0, delivered: totals.produced, primary: 300 });
    const topics = [
      "retail-stores",
      "retail-products",
      "retail-sales-transactions",
      "retail-inventory-updates",
      "retail-price-changes",
      "retail-customer-events",
      "retail-restock-alerts",
      "retail-payments",
      "retail-order-status",
      "retail-returns",
    ].map((t) => `${prefix}${t}`);
    const consumed = await consumeAll(topics);
    expect(consumed.length).to.equal(totals.delivered);
  });
});

describe("docker-compose.yml under podman-compose", function () {
  this.timeout(600_000);
  const project = `e2e${randomUUID().slice(0, 6)}`;
  const compose = (args: string[]): string =>
    execFileSync("podman-compose", ["-p", project, "-f", join(ROOT, "docker-compose.yml"), ...args], {
      env,
      encoding: "utf8",
      timeout: 300_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
  const running = (): string[] =>
    podman(["ps", "-a", "--filter", `label=io.podman.compose.project=${project}`, "--format", "{{.Names}}"])
      .stdout.split("\n")
      .filter((l) => l !== "");

  it("should bring up Kafka and the generator, which waits for it and streams into it, and leave nothing running after down", async () => {
    try {
      compose(["up", "-d", "--no-build"]);
      expect(running().length).to.equal(2);
      // The broker's HOST listener (localhost:29092): the first sale with its decrement, read back from the host.
      const consumed = await until("records in the compose broker", 240_000, async () => {
        const got = await consumeAll(
          ["retail-sales-transactions", "retail-inventory-updates", "retail-customer-events", "retail-price-changes"],
          3000,
          { brokers: "127.0.0.1:29092" },
        ).catch(() => []);
        return got.length > 0 ? got : false;
      });
      expect(consumed[0]?.value.event_id).to.match(/^[0-9a-f-]{36}$/);
      const logs = podman(["logs", running().find((n) => n.includes("retail-stream")) ?? ""]).stderr;
      expect(logs).to.match(/producing to Kafka at kafka:9092/);
    } finally {
      compose(["down", "-t", "5"]);
    }
    expect(running()).to.deep.equal([]);
  });
});
