import { expect } from "chai";
import { requireBuild, runCli } from "../support/cli.js";
import { BROKERS, consumeAll, freshTopics, totalsOf, type Consumed } from "../support/kafka.js";

// A fixed start, so the `--shard` runs on stdout draw exactly what the workers drew; the topics keep records of any age.
const RUN = [
  "--min-delta",
  "0",
  "--max-delta",
  "0",
  "--seed",
  "21",
  "--start-time",
  "2026-11-02T12:00:00Z",
  "--log-level",
  "warn",
];
const KAFKA = ["--brokers", BROKERS, "--topic-config", "retention.ms=-1"];

/** What identifies a record on the wire, as one sortable line. */
const line = (r: { topic: string; key: string; timestamp: number; value: unknown }): string =>
  JSON.stringify([r.topic, r.key, r.timestamp, r.value]);

/**
 * The records the `--shard i/2` runs of the seed write, together, sorted (each makes its half of the workers' --count
 * 12000), the chain's reference rows among them (shard 0 writes them, as to Kafka).
 */
function shardRuns(topicArgs: string[]): string[] {
  return [0, 1]
    .flatMap((i) => {
      const shard = runCli([
        "--sink",
        "stdout",
        "--reference-records",
        ...RUN,
        ...topicArgs,
        "--count",
        "6000",
        "--shard",
        `${i}/2`,
      ]);
      expect(shard.status, shard.stderr).to.equal(0);
      return shard.stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => line(JSON.parse(l) as Consumed));
    })
    .sort();
}

/** The lines of the event topics `names` (the reference rows left out). */
const onTopics = (lines: readonly string[], names: Record<string, string>): string[] =>
  lines.filter((l) => Object.values(names).includes((JSON.parse(l) as [string])[0]));

describe("--workers into Kafka", function () {
  this.timeout(180_000);
  before(requireBuild);

  it("should deliver exactly what the --shard runs of the seed write, every record accounted for in one summary", async () => {
    const { args, names } = freshTopics("e2e-workers");
    const result = runCli([...RUN, ...KAFKA, ...args, "--count", "12000", "--workers", "2"]);
    expect(result.status, result.stderr).to.equal(0);
    const totals = totalsOf(result.stderr);
    const read = await consumeAll(Object.values(names));
    const expected = shardRuns(args);
    expect(totals.primary).to.equal(12_000);
    expect([totals.produced, totals.delivered, totals.failed]).to.deep.equal([expected.length, expected.length, 0]);
    expect(read.map(line).sort()).to.deep.equal(onTopics(expected, names));
  });

  it("should write in transactions per worker (one transactional id per shard) and commit all of it", async () => {
    const { args, names } = freshTopics("e2e-workers-txn");
    const result = runCli([
      ...RUN,
      ...KAFKA,
      ...args,
      "--count",
      "12000",
      "--workers",
      "2",
      "--transactional-id",
      `e2e-workers-${names.sale}`,
      "--log-level",
      "info",
    ]);
    expect(result.status, result.stderr).to.equal(0);
    const totals = totalsOf(result.stderr);
    const committed = await consumeAll(Object.values(names), 8000, { config: { "isolation.level": "read_committed" } });
    const expected = shardRuns(args);
    expect([totals.produced, totals.delivered, totals.failed]).to.deep.equal([expected.length, expected.length, 0]);
    expect(committed.map(line).sort()).to.deep.equal(onTopics(expected, names));
  });
});
