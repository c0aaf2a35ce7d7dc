import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, jsonLines, requireBuild, runCli, startCli } from "../support/cli.js";
import { until } from "../support/poll.js";
import {
  BROKERS,
  LOCAL_KAFKA,
  OPEN_HOURS,
  consumeAll,
  freshTopics,
  idsOnce,
  isAlive,
  requireLocalBroker,
  totalsOf,
  referenceRecords,
} from "../support/kafka.js";
import type { RetailEvent } from "../../src/model/events.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const kafkaUp = (): void => {
  execFileSync(join(ROOT, "scripts/kafka-up.sh"), { stdio: "ignore" });
};

describe("Kafka resilience", () => {
  before(requireBuild);
  // The restart test stops the local broker by its pid: refuse rather than pass against another one.
  before(requireLocalBroker);
  // Whatever happens in a test, leave a running broker behind for the next one.
  afterEach(kafkaUp);

  it("should deliver every event exactly once across a broker restart (idempotent producer)", async () => {
    const { args, names } = freshTopics("e2e-bounce");
    const { child, done } = await startCli(
      [
        "--min-delta",
        "0.002",
        "--max-delta",
        "0.004",
        "--seed",
        "9",
        "--brokers",
        BROKERS,
        "--flush-timeout",
        "60",
        "--log-level",
        "info",
        ...args,
      ],
      /Event #200:/,
    );
    const pid = Number(readFileSync(join(LOCAL_KAFKA.home, "broker.pid"), "utf8"));
    process.kill(pid, "SIGTERM");
    while (isAlive(pid)) await sleep(200);
    await sleep(10_000);
    kafkaUp();
    await sleep(5_000);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status).to.equal(0, result.stderr.slice(-2000));
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    expect(totals.delivered).to.equal(totals.produced);
    expect(totals.primary).to.be.above(2000);
    const consumed = await consumeAll(Object.values(names));
    expect(consumed).to.have.length(totals.delivered - referenceRecords());
    expect(new Set(consumed.map((m) => m.value.event_id)).size).to.equal(totals.delivered - referenceRecords());
  });

  it("should commit every transaction across a broker restart: nothing lost, nothing twice (read_committed)", async () => {
    const { args, names } = freshTopics("e2e-txn-bounce");
    const { child, done } = await startCli(
      [
        "--min-delta",
        "0.002",
        "--max-delta",
        "0.004",
        "--seed",
        "19",
        "--brokers",
        BROKERS,
        "--transactional-id",
        `e2e-bounce-${Date.now()}`,
        "--flush-timeout",
        "60",
        "--log-level",
        "info",
        ...args,
      ],
      /Event #200:/,
    );
    const pid = Number(readFileSync(join(LOCAL_KAFKA.home, "broker.pid"), "utf8"));
    process.kill(pid, "SIGTERM");
    while (isAlive(pid)) await sleep(200);
    await sleep(8_000);
    kafkaUp();
    await sleep(5_000);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status, result.stderr.slice(-2000)).to.equal(0);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    const committed = Number(/transactions: (\d+) records committed/.exec(result.stderr)?.[1]);
    expect(committed).to.equal(totals.produced);
    const consumed = await consumeAll(Object.values(names), 8000, { config: { "isolation.level": "read_committed" } });
    const ids = idsOnce(consumed, "committed");
    // The chain's reference rows are committed too, to their own topics.
    expect(ids.length).to.equal(committed - referenceRecords());
  });

  it("should deliver every record once through two broker freezes (SIGSTOP) in one run, the stats line saying the stall", async () => {
    const { args, names } = freshTopics("e2e-freeze");
    const pid = Number(readFileSync(join(LOCAL_KAFKA.home, "broker.pid"), "utf8"));
    const { child, done } = await startCli(
      [
        "--min-delta",
        "0.002",
        "--max-delta",
        "0.004",
        "--seed",
        "13",
        "--brokers",
        BROKERS,
        "--stats-interval",
        "1",
        "--flush-timeout",
        "60",
        "--log-level",
        "info",
        ...args,
      ],
      /Event #200:/,
    );
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const delivered = (): number => Number([...stderr.matchAll(/delivered (\d+)/g)].at(-1)?.[1] ?? 0);
    try {
      for (const freeze of [1, 2]) {
        process.kill(pid, "SIGSTOP");
        const from = stderr.length;
        // The connection stays up while the broker is frozen: the stats line says nothing is delivered.
        await until(
          `freeze ${freeze}: the stats line saying the stall`,
          30_000,
          () => /; (no broker connection|nothing delivered) for \d+ s/.test(stderr.slice(from)),
          200,
        );
        process.kill(pid, "SIGCONT");
        const before = delivered();
        await until(`freeze ${freeze}: deliveries again`, 60_000, () => delivered() > before + 100, 200);
      }
    } finally {
      process.kill(pid, "SIGCONT");
    }
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status, result.stderr.slice(-2000)).to.equal(0);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    expect(totals.delivered).to.equal(totals.produced);
    const consumed = await consumeAll(Object.values(names), 8000);
    expect(idsOnce(consumed, "delivered").length).to.equal(totals.delivered - referenceRecords());
  });

  it("should stop on SIGTERM mid-run having delivered exactly what its summary says, counted from the topics", async () => {
    const { args, names } = freshTopics("e2e-term");
    // A fixed start: the reference run below starts later, and must see the same stores open.
    const flags = ["--min-delta", "0", "--max-delta", "0.001", "--seed", "4", "--start-time", OPEN_HOURS];
    args.push("--topic-config", "retention.ms=-1");
    const { child, done } = await startCli(
      [...flags, "--brokers", BROKERS, "--log-level", "info", ...args],
      /Event #3000:/,
    );
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status).to.equal(0, result.stderr.slice(-2000));
    expect(result.stderr).to.match(/stopping on SIGTERM/);
    const totals = totalsOf(result.stderr);
    expect(totals.primary).to.be.at.least(3000);
    // Counted independently of the sink's own books: read everything back to the end of every partition,
    // and compare with the stdout stream of the same seed and count.
    const consumed = await consumeAll(Object.values(names), 6000);
    const reference = jsonLines<{ value: RetailEvent }>(
      runCli(["--sink", "stdout", ...flags, "--count", String(totals.primary)]).stdout,
    ).map((l) => l.value.event_id);
    const ids = idsOnce(consumed, "delivered");
    expect(ids.length).to.equal(totals.delivered - referenceRecords());
    expect(reference.length).to.equal(totals.produced - referenceRecords());
    const produced = new Set(reference);
    expect(
      ids.every((id) => produced.has(id)),
      "an event the run never made was consumed",
    ).to.equal(true);
    // Stopped by a signal with a healthy broker: nothing may fail, and what was read is exactly what was made.
    expect(totals.failed).to.equal(0);
    expect(new Set(ids)).to.deep.equal(produced);
  });
});
