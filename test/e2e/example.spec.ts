import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { ROOT, requireBuild, runCli } from "../support/cli.js";
import { BROKERS, createTopics, freshTopics, produceRecords } from "../support/kafka.js";

interface Line {
  topic: string;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  value: Record<string, unknown>;
}

/** Runs examples/revenue-per-hour.ts against a sales topic and a truth topic. */
function check(sales: string, truth: string): { status: number | null; stdout: string } {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "examples/revenue-per-hour.ts", BROKERS, sales, truth],
    { cwd: ROOT, encoding: "utf8", timeout: 110_000 },
  );
  return { status: result.status, stdout: result.stdout + result.stderr };
}

describe("examples/revenue-per-hour.ts: a user's pipeline checked against the truth topic", function () {
  this.timeout(120_000);
  before(requireBuild);
  const DAY = [
    "--from",
    "2026-11-02T00:00:00Z",
    "--to",
    "2026-11-03T00:00:00Z",
    "--seed",
    "41",
    "--truth",
    "--log-level",
    "warn",
  ];

  it("should find every store-hour of a run equal to the truth", () => {
    const { args, names } = freshTopics("e2e-example");
    const truth = `${names.sale}-truth`;
    const run = runCli([...DAY, "--brokers", BROKERS, ...args, "--truth-topic", truth]);
    expect(run.status, run.stderr).to.equal(0);
    const result = check(names.sale, truth);
    expect(result.status, result.stdout).to.equal(0);
    expect(result.stdout).to.match(/revenue per store per hour: (\d+) of \1 store-hours match the truth/);
  });

  it("should catch a pipeline input that lost a sale: that store-hour differs", async () => {
    const { args, names } = freshTopics("e2e-example-bad");
    const truth = `${names.sale}-truth`;
    const run = runCli([...DAY, "--sink", "stdout", ...args, "--truth-topic", truth]);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Line);
    const lost = lines.findIndex((l, i) => l.topic === names.sale && i > 500);
    const sale = (lines[lost] as Line).value;
    await createTopics([names.sale, truth], BROKERS);
    await produceRecords(
      lines
        .filter((l, i) => i !== lost && (l.topic === names.sale || l.topic === truth))
        .map((l) => ({
          topic: l.topic,
          key: l.key,
          timestamp: l.timestamp,
          headers: l.headers,
          value: JSON.stringify(l.value),
        })),
    );
    const result = check(names.sale, truth);
    expect(result.status, result.stdout).to.equal(1);
    const hour = new Date(Math.floor(Date.parse(sale.event_time as string) / 3_600_000) * 3_600_000).toISOString();
    expect(result.stdout).to.include(`${hour} ${sale.store_id as string}: computed`);
    expect(result.stdout).to.match(/revenue per store per hour: (\d+) of (\d+) store-hours match the truth/);
  });
});
