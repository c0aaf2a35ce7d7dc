import { expect } from "chai";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, jsonLines, primaryTicks, requireBuild, runCli, startCli, type Result } from "../support/cli.js";
import { expectOneStream } from "../support/shards.js";
import { totalsOf } from "../support/kafka.js";
import { until } from "../support/poll.js";

const DAY = [
  "--sink",
  "stdout",
  "--seed",
  "3",
  "--from",
  "2026-11-02T00:00:00Z",
  "--to",
  "2026-11-03T00:00:00Z",
  "--truth",
];
/** A start on this hour of today (the real time of day, for `make hours`), the same for the runs compared. */
const START = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
type TickLine = { event_type: string; attempt?: number; transaction_id?: string };
const sorted = (text: string): string[] =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .sort();

describe("--workers: processes, one shard each, one run", function () {
  this.timeout(120_000);
  before(requireBuild);

  it("should write exactly what the --shard runs of the seed write together, with one summary of it all", () => {
    const workers = runCli([...DAY, "--workers", "3", "--log-level", "info", "--stats-interval", "0.2"]);
    expect(workers.status, workers.stderr).to.equal(0);
    const shards = [0, 1, 2].map((i) => runCli([...DAY, "--shard", `${i}/3`, "--log-level", "warn"]));
    const union = shards.flatMap((s) => sorted(s.stdout)).sort();
    expect(sorted(workers.stdout)).to.deep.equal(union);
    expect(workers.stderr.match(/summary:/g)).to.have.length(1);
    const totals = totalsOf(workers.stderr);
    expect([totals.produced, totals.delivered, totals.failed]).to.deep.equal([union.length, union.length, 0]);
    expect(totals.primary).to.equal(shards.map((s) => totalsOf(s.stderr).primary).reduce((a, b) => a + b, 0));
    expect(workers.stderr).to.match(/truth rows \d+/);
    expect(workers.stderr).to.match(/stats: [\d.]+ events\/s, .* \(3 workers\)/);
    expect(workers.stderr.match(/seed 3; 3 workers/g)).to.have.length(1);
  });

  it("should gather every worker's truth rows in one --truth-file", () => {
    const file = join(mkdtempSync(join(tmpdir(), "workers-")), "truth.jsonl");
    const workers = runCli([
      ...DAY.filter((a) => a !== "--truth"),
      "--workers",
      "3",
      "--truth-file",
      file,
      "--log-level",
      "warn",
    ]);
    expect(workers.status, workers.stderr).to.equal(0);
    const rows = sorted(readFileSync(file, "utf8"));
    const shards = [0, 1, 2].flatMap((i) =>
      sorted(runCli([...DAY, "--shard", `${i}/3`, "--log-level", "warn"]).stdout)
        .map((l) => JSON.parse(l) as { topic: string; value: unknown })
        .filter((l) => l.topic === "retail-truth")
        .map((l) => JSON.stringify(l.value)),
    );
    expect(rows).to.deep.equal(shards.sort());
  });

  // @clock: starts at the real time of day, so `make hours` runs it at several hours.
  it("should make with --count and --workers 2 exactly the one-process --count run @clock", () => {
    const args = ["--sink", "stdout", "--count", "1001", "--min-delta", "0", "--max-delta", "0", "--seed", "2"];
    const one = runCli([...args, "--start-time", START, "--log-level", "warn"]);
    const workers = runCli([...args, "--start-time", START, "--workers", "2", "--log-level", "warn"]);
    expect(workers.status, workers.stderr).to.equal(0);
    expect(totalsOf(workers.stderr).primary).to.equal(1001);
    expect(primaryTicks(jsonLines<{ value: TickLine }>(workers.stdout).map((l) => l.value))).to.equal(1001);
    expectOneStream(one.stdout, [workers.stdout]);
  });

  it("should make the one-process --count run from the --shard runs, each counting the run's primary ticks @clock", () => {
    const args = ["--sink", "stdout", "--count", "500", "--min-delta", "0", "--max-delta", "0", "--seed", "2"];
    const one = runCli([...args, "--start-time", START, "--log-level", "warn"]);
    const shards = ["0/2", "1/2"].map((shard) =>
      runCli([...args, "--start-time", START, "--shard", shard, "--log-level", "warn"]),
    );
    for (const shard of shards) expect(shard.status, shard.stderr).to.equal(0);
    // Each shard counts the ticks that landed in its stores; together, the run's.
    expect(shards.map((s) => totalsOf(s.stderr).primary).reduce((a, b) => a + b, 0)).to.equal(500);
    expectOneStream(
      one.stdout,
      shards.map((s) => s.stdout),
    );
  });

  describe("while every physical store is closed (08:00 UTC: night from New York to Los Angeles)", () => {
    const NIGHT = [
      "--sink",
      "stdout",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "2",
      "--start-time",
      "2026-11-30T08:00:00Z",
      "--log-level",
      "warn",
    ];
    let one: Result;
    let shards: Result[] = [];
    before(() => {
      one = runCli([...NIGHT, "--count", "1001"]);
      shards = [0, 1].map((i) => runCli([...NIGHT, "--count", "1001", "--shard", `${i}/2`]));
    });

    it("should make the night's run in two shards, the shard without the online shop only back-office events", () => {
      for (const shard of shards) expect(shard.status, shard.stderr).to.equal(0);
      expectOneStream(
        one.stdout,
        shards.map((s) => s.stdout),
      );
      const types = shards.map(
        (s) =>
          new Set(jsonLines<{ key: string; value: { event_type: string } }>(s.stdout).map((l) => l.value.event_type)),
      );
      // One shard has the online shop and sells; the other can only count, reprice and write off.
      const selling = types.filter((t) => t.has("sale"));
      expect(selling).to.have.length(1);
      const backOffice = types.find((t) => !t.has("sale")) as Set<string>;
      expect(
        [...backOffice].every((t) => ["inventory_update", "price_change", "restock_alert"].includes(t)),
        [...backOffice].join(),
      ).to.equal(true);
    });

    it("should make with --workers 2 exactly what the two --shard runs of the split make", () => {
      const workers = runCli([...NIGHT, "--count", "1001", "--workers", "2"]);
      expect(workers.status, workers.stderr).to.equal(0);
      expect(totalsOf(workers.stderr).primary).to.equal(1001);
      expect(sorted(workers.stdout)).to.deep.equal(shards.flatMap((s) => sorted(s.stdout)).sort());
    });

    it("should make the one-process run with a scenario, faults and --count over three workers", () => {
      const args = [
        "--sink",
        "stdout",
        "--seed",
        "4",
        "--from",
        "2026-11-30T08:00:00Z",
        "--to",
        "2026-12-30T00:00:00Z",
        "--count",
        "999",
        "--scenario",
        "weekday",
        "--faults",
        "duplicate=0.05,late=0.05:10m",
        "--log-level",
        "warn",
      ];
      const result = runCli([...args, "--workers", "3"]);
      expect(result.status, result.stderr).to.equal(0);
      expect(totalsOf(result.stderr).primary).to.equal(999);
      expectOneStream(runCli(args).stdout, [result.stdout]);
    });

    it("should stop with one line when nothing can ever act: gaps of 0, only sales weighted, no store serving", () => {
      // The chain without its online shop: at night no store serves customers.
      const dir = mkdtempSync(join(tmpdir(), "night-"));
      const stores = (
        JSON.parse(readFileSync(join(ROOT, "data", "stores.json"), "utf8")) as Array<{ channel?: string }>
      ).filter((s) => s.channel !== "online");
      writeFileSync(join(dir, "stores.json"), JSON.stringify(stores));
      copyFileSync(join(ROOT, "data", "products.json"), join(dir, "products.json"));
      const result = runCli([...NIGHT, "--data", dir, "--count", "5", "--shard", "0/2", "--weights", "sales=1"], {
        timeout: 30_000,
      });
      expect(result.status, result.stderr).to.equal(1);
      expect(result.stderr).to.match(/nothing can happen at 2026-11-30T08:00:00\.000Z: no store serves customers then/);
      expect(result.stdout).to.equal("");
    });
  });

  it("should stop every worker on SIGTERM and still sum up once", async () => {
    const { child, done } = await startCli(
      [
        "--sink",
        "stdout",
        "--continuous",
        "--workers",
        "2",
        "--min-delta",
        "0",
        "--max-delta",
        "0.01",
        "--seed",
        "1",
        "--stats-interval",
        "0.2",
        "--log-level",
        "info",
      ],
      /stats: .*\(2 workers\)/,
    );
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stderr.match(/summary:/g)).to.have.length(1);
    const totals = totalsOf(result.stderr);
    expect(totals.produced).to.be.above(0);
    expect(totals.delivered).to.equal(totals.produced);
    expect(result.stdout.split("\n").filter((l) => l !== "")).to.have.length(totals.delivered);
  });

  it("should serve the workers as one run at --http: one status, one metrics view, a control change made in every worker", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const base = `http://127.0.0.1:${port}`;
    const { child, done } = await startCli(
      [
        "--sink",
        "stdout",
        "--continuous",
        "--workers",
        "2",
        "--min-delta",
        "0",
        "--max-delta",
        "0.01",
        "--seed",
        "1",
        "--http",
        String(port),
        "--http-token",
        "t0k",
        "--stats-interval",
        "0.2",
        "--log-level",
        "info",
      ],
      /stats: .*\(2 workers\)/,
    );
    try {
      const status = async (): Promise<{
        workers: number;
        state: string;
        produced: number;
        delivered: number;
        history: unknown[];
      }> => (await fetch(`${base}/status`)).json() as never;
      // The parent listens before its workers are live: "starting" until both answer.
      let first = await status();
      for (let tries = 0; first.state === "starting" && tries < 100; tries += 1) {
        await new Promise((r) => setTimeout(r, 100));
        first = await status();
      }
      expect([first.workers, first.state]).to.deep.equal([2, "running"]);
      expect(first.produced).to.be.above(0);
      const control = await fetch(`${base}/control`, {
        method: "POST",
        body: '{"paused":true}',
        headers: { Authorization: "Bearer t0k" },
      });
      expect(control.status).to.equal(200);
      const paused = await status();
      expect(paused.state).to.equal("paused");
      // Proven on the workers' own clock: two more once-a-second samples of both workers after the pause.
      const later = await until("two samples after the pause", 10_000, async () => {
        const now = await status();
        return now.history.length >= paused.history.length + 2 ? now : undefined;
      });
      // Neither worker makes anything while paused.
      expect(later.produced).to.equal(paused.produced);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const produced = metrics
        .split("\n")
        .filter((l) => l.startsWith("retail_stream_records_produced_total{"))
        .reduce((sum, l) => sum + Number(l.split(" ")[1]), 0);
      expect(produced).to.equal(later.produced);
      expect(metrics).to.match(/^retail_stream_paused 1$/m);
      expect((await fetch(`${base}/readyz`)).status).to.equal(200);
      expect(
        (
          await fetch(`${base}/control`, {
            method: "POST",
            body: '{"speed":0}',
            headers: { Authorization: "Bearer t0k" },
          })
        ).status,
      ).to.equal(400);
    } finally {
      child.kill("SIGTERM");
    }
    const result = await done;
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stderr.match(/live page and metrics at/g)).to.have.length(1);
    expect(result.stderr.match(/summary:/g)).to.have.length(1);
    expect(result.stderr.match(/control: paused/g)).to.have.length(1);
  });

  for (const [args, problem] of [
    [["--workers", "0"], /--workers: must be from 1 to 64, a whole number/],
    [["--workers", "2", "--shard", "0/2"], /--workers splits the run into shards itself/],
    [["--workers", "64"], /--workers 64: shard .* would have none of the chain's 21 stores/],
    [["--workers", "3", "--count", "2"], /--count 2 is less than --workers 3/],
  ] as Array<[string[], RegExp]>) {
    it(`should refuse ${args.join(" ")} in one line, exit 2`, () => {
      const result = runCli(["--sink", "stdout", "--duration", "1", ...args]);
      expect(result.status).to.equal(2);
      expect(result.stdout).to.equal("");
      expect(result.stderr.trim().split("\n")).to.have.length(1);
      expect(result.stderr).to.match(problem);
    });
  }
});
