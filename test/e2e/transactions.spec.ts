import { expect } from "chai";
import type { Envelope } from "../../src/wire/envelope.js";
import { jsonLines, requireBuild, runAndKill, runCli, startCli } from "../support/cli.js";
import { BROKERS, consumeAll, freshTopics, idsOnce, totalsOf } from "../support/kafka.js";
import { randomUUID } from "node:crypto";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const READ_COMMITTED = { "isolation.level": "read_committed" };

describe("exactly once across crashes (transactions, checkpoints, --resume)", function () {
  this.timeout(300_000);
  before(requireBuild);

  it("should, killed with SIGKILL three times and resumed each time, leave exactly the stream of its seed, in order, to read_committed readers", async () => {
    const { args, names } = freshTopics("e2e-txn-crash");
    const id = `e2e-crash-${randomUUID().slice(0, 8)}`;
    // 1 ms of simulated time between events, at 1000× (as fast as it goes): each event has its own time, so a resumed run
    // says every event it makes after its checkpoint (gaps of 0 would stamp them all with the checkpoint's time).
    const run = [
      "--count",
      "50000",
      "--min-delta",
      "0.001",
      "--max-delta",
      "0.001",
      "--speed",
      "1000",
      "--seed",
      "31",
      "--start-time",
      "2026-11-27T09:00:00Z",
      // The start is in the past: the topics keep it past Kafka's default retention of 7 days (by record time).
      "--topic-config",
      "retention.ms=-1",
      "--log-level",
      "warn",
    ];
    const flags = ["--brokers", BROKERS, "--transactional-id", id, "--resume", ...run, ...args];
    // First make sure the broker's transaction coordinator answers (a broker restarted by the test before takes a while).
    const warm = runCli(
      [
        "--count",
        "1",
        "--min-delta",
        "0",
        "--max-delta",
        "0",
        "--brokers",
        BROKERS,
        "--transactional-id",
        `${id}-warm-up`,
        "--log-level",
        "warn",
        ...freshTopics("e2e-txn-warm").args,
      ],
      { timeout: 120_000 },
    );
    expect(warm.status, warm.stderr).to.equal(0);
    let kills = 0;
    // Three kills by progress, not by the clock (a fixed sequence of new events made, so the test is repeatable), then a run to the end.
    for (const events of [12_000, 9_000, 6_000]) {
      const outcome = await runAndKill(flags, events);
      if (outcome.killed) kills += 1;
    }
    const last = runCli([...flags, "--log-level", "info"], { timeout: 240_000 });
    expect(last.status, last.stderr.slice(-1500)).to.equal(0);
    expect(kills).to.equal(3);
    expect(last.stderr).to.match(/--resume: checkpoint of e2e-crash-[\w-]+: \d+ records/);
    expect(last.stderr).to.match(/transactions: \d+ records committed, \d+ regenerated without writing/);

    const reference = jsonLines<Envelope>(runCli(["--sink", "stdout", ...run]).stdout);
    const consumed = await consumeAll(Object.values(names), 10_000, { config: READ_COMMITTED });
    const ids = idsOnce(consumed, "read");
    expect(ids.length).to.equal(reference.length);
    expect(new Set(ids)).to.deep.equal(new Set(reference.map((l) => l.value.event_id)));
    // Per partition, in the order of the reference stream.
    const position = new Map(reference.map((l, i) => [l.value.event_id, i]));
    const byPartition = new Map<string, number[]>();
    for (const m of consumed)
      byPartition.set(`${m.topic}/${m.partition}`, [
        ...(byPartition.get(`${m.topic}/${m.partition}`) ?? []),
        position.get(m.value.event_id) as number,
      ]);
    for (const [partition, order] of byPartition)
      expect(
        order.every((p, i) => i === 0 || p > (order[i - 1] as number)),
        partition,
      ).to.equal(true);
    // Every sale with its decrement: nothing committed half.
    const decremented = new Set(
      consumed.flatMap((m) =>
        m.value.event_type === "inventory_update" && m.value.reason === "sale" ? [m.value.source_event_id] : [],
      ),
    );
    expect(
      consumed.filter((m) => m.value.event_type === "sale").every((m) => decremented.has(m.value.event_id)),
    ).to.equal(true);
    // And `verify` reads them as a pipeline would: past the killed runs' aborted transactions, every check passing.
    const verified = runCli(["verify", "--brokers", BROKERS, ...args], { timeout: 120_000 });
    expect(verified.status, verified.stdout + verified.stderr).to.equal(0);
    expect(verified.stdout).to.include(`verify: OK — ${reference.length} records`);
  });

  it("should fence a zombie: a second process with the same id takes over, the first stops with a clear line, nothing twice", async () => {
    const { args, names } = freshTopics("e2e-txn-zombie");
    const id = `e2e-zombie-${randomUUID().slice(0, 8)}`;
    const flags = [
      "--brokers",
      BROKERS,
      "--transactional-id",
      id,
      "--resume",
      "--min-delta",
      "0.01",
      "--max-delta",
      "0.02",
      "--seed",
      "32",
      "--start-time",
      "2026-11-27T09:00:00Z",
      // The start is in the past: the topics keep it past Kafka's default retention of 7 days (by record time).
      "--topic-config",
      "retention.ms=-1",
      "--log-level",
      "info",
      ...args,
    ];
    const first = await startCli(flags, /Event #100:/);
    const second = await startCli(flags, /Event #\d+:/);
    const fenced = await first.done;
    expect(fenced.status).to.equal(1);
    expect(fenced.stderr).to.match(/fenced: another process started with the same --transactional-id/);
    await sleep(2000);
    second.child.kill("SIGTERM");
    const result = await second.done;
    expect(result.status, result.stderr.slice(-1500)).to.equal(0);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    const consumed = await consumeAll(Object.values(names), 8000, { config: READ_COMMITTED });
    const ids = idsOnce(consumed, "committed");
    expect(ids.length).to.be.above(100);
  });
});
