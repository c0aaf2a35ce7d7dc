import { expect } from "chai";
import { requireBuild, runAndKill, runCli } from "../support/cli.js";
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
 * The records the one-process run of the seed writes, sorted: what any split of it must write together (the chain's
 * reference rows among them: shard 0 writes them, as to Kafka).
 */
function oneProcess(topicArgs: string[]): string[] {
  const one = runCli(["--sink", "stdout", "--reference-records", ...RUN, ...topicArgs, "--count", "12000"]);
  expect(one.status, one.stderr).to.equal(0);
  return one.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => line(JSON.parse(l) as Consumed))
    .sort();
}

/** The lines of the event topics `names` (the reference rows left out). */
const onTopics = (lines: readonly string[], names: Record<string, string>): string[] =>
  lines.filter((l) => Object.values(names).includes((JSON.parse(l) as [string])[0]));

describe("--workers into Kafka", function () {
  this.timeout(180_000);
  before(requireBuild);

  it("should deliver exactly what the one process of the seed writes, every record accounted for in one summary", async () => {
    const { args, names } = freshTopics("e2e-workers");
    const result = runCli([...RUN, ...KAFKA, ...args, "--count", "12000", "--workers", "2"]);
    expect(result.status, result.stderr).to.equal(0);
    const totals = totalsOf(result.stderr);
    const read = await consumeAll(Object.values(names));
    const expected = oneProcess(args);
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
    const expected = oneProcess(args);
    expect([totals.produced, totals.delivered, totals.failed]).to.deep.equal([expected.length, expected.length, 0]);
    expect(committed.map(line).sort()).to.deep.equal(onTopics(expected, names));
  });

  it("should leave exactly the one-process stream when one of two --shard processes is killed (SIGKILL) and resumed alone", async () => {
    const { args, names } = freshTopics("e2e-shards-crash");
    const id = `e2e-shards-${names.sale}`;
    const flags = [...RUN, ...KAFKA, ...args, "--count", "12000", "--transactional-id", id, "--resume"];
    const whole = runCli([...flags, "--shard", "0/2"], { timeout: 120_000 });
    expect(whole.status, whole.stderr).to.equal(0);
    // Killed by progress, not by the clock: after 2000 primary events of its own.
    const killed = await runAndKill([...flags, "--shard", "1/2"], 2000);
    expect(killed.killed, killed.stderr.slice(-800)).to.equal(true);
    const resumed = runCli([...flags, "--shard", "1/2", "--log-level", "info"], { timeout: 120_000 });
    expect(resumed.status, resumed.stderr.slice(-1500)).to.equal(0);
    // Its own checkpoint only: shard 0's id is another.
    expect(resumed.stderr).to.match(/--resume: checkpoint of e2e-shards-[\w-]+\.shard-1-of-2: [1-9]\d* records/);
    const committed = await consumeAll(Object.values(names), 8000, { config: { "isolation.level": "read_committed" } });
    const lines = committed.map(line);
    expect(new Set(lines).size, "no record twice").to.equal(lines.length);
    expect(lines.sort()).to.deep.equal(onTopics(oneProcess(args), names));
  });
});
