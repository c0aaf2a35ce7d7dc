import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, requireBuild, startCli } from "../support/cli.js";
import { BROKERS, consumeAll, freshTopics, totalsOf } from "../support/kafka.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const kafkaUp = (): void => {
  execFileSync(join(ROOT, "scripts/kafka-up.sh"), { stdio: "ignore" });
};

describe("Kafka resilience", () => {
  before(requireBuild);
  // Whatever happens in a test, leave a running broker behind for the next one.
  afterEach(kafkaUp);

  it("should deliver every event exactly once across a broker restart (idempotent producer)", async () => {
    const { args, names } = freshTopics("e2e-bounce");
    const { child, done } = await startCli(["--min-delta", "0.002", "--max-delta", "0.004", "--seed", "9", "--brokers", BROKERS,
      "--flush-timeout", "60", "--log-level", "info", ...args], /Event #200:/);
    const pid = Number(readFileSync(join(ROOT, ".kafka/broker.pid"), "utf8"));
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
    const consumed = await consumeAll(Object.values(names), totals.delivered);
    expect(consumed).to.have.length(totals.delivered);
    expect(new Set(consumed.map((m) => m.value.event_id)).size).to.equal(totals.delivered);
  });

  it("should stop on SIGTERM mid-run with produced = delivered + failed, every delivered event in its topic", async () => {
    const { args, names } = freshTopics("e2e-term");
    const { child, done } = await startCli(["--min-delta", "0", "--max-delta", "0.001", "--seed", "4", "--brokers", BROKERS, "--log-level", "info", ...args], /Event #3000:/);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status).to.equal(0, result.stderr.slice(-2000));
    expect(result.stderr).to.match(/stopping on SIGTERM/);
    const totals = totalsOf(result.stderr);
    expect(totals.produced).to.equal(totals.delivered + totals.failed);
    expect(totals.primary).to.be.at.least(3000);
    const consumed = await consumeAll(Object.values(names), totals.delivered);
    expect(consumed).to.have.length(totals.delivered);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
