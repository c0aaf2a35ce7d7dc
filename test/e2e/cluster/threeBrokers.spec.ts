import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Kafka from "node-rdkafka";
import { ROOT, requireBuild, startCli } from "../../support/cli.js";
import { consumeAll, freshTopics, idsAllowingResentCopies, totalsOf, referenceRecords } from "../../support/kafka.js";

// The local three-node cluster (make kafka-up BROKERS=3): node n on 127.0.0.1:9292 + 100 (n − 1).
const HOME = join(ROOT, ".kafka-cluster");
const BROKERS = "127.0.0.1:9292,127.0.0.1:9392,127.0.0.1:9492";
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pidOf = (node: number): number => Number(readFileSync(join(HOME, `node-${node}.pid`), "utf8"));
const start = (nodes: number[]): void => {
  execFileSync(join(ROOT, "scripts/kafka-up.sh"), {
    env: { ...process.env, BROKERS: "3", NODE: nodes.join(" ") },
    stdio: "ignore",
  });
};

/** The node that leads partition 0 of `topic`, from the cluster's metadata. */
async function leaderOf(topic: string): Promise<number> {
  const producer = new Kafka.Producer({ "bootstrap.servers": BROKERS });
  await new Promise<void>((resolve, reject) =>
    producer.connect({ timeout: 10_000 }, (error) => (error ? reject(error) : resolve())),
  );
  for (let tries = 0; ; tries += 1) {
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
      producer.getMetadata({ topic, timeout: 5000 }, (e, m) => (e ? reject(e) : resolve(m))),
    );
    const leader = metadata.topics.find((t) => t.name === topic)?.partitions.find((p) => p.id === 0)?.leader;
    if (leader !== undefined && leader > 0) {
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
      return leader;
    }
    if (tries > 20) throw new Error(`no leader for ${topic}-0`);
    await sleep(500);
  }
}

describe("a three-broker cluster (replication 3, min.insync.replicas 2)", function () {
  this.timeout(240_000);
  before(() => {
    requireBuild();
    if (!existsSync(join(HOME, "node-3.pid")))
      throw new Error("no local three-node cluster: start it with make kafka-up BROKERS=3");
  });
  // Whatever happens, leave all three nodes running for the next test.
  afterEach(() => start([1, 2, 3]));

  // Without transactions a leader change may leave a copy of an in-flight record (see idsAllowingResentCopies):
  // these tests hold the run to none lost, none failed, and no other copies.
  it("should deliver every event, none lost, when the leader of a partition being written is killed and comes back 15 s later", async () => {
    const { args, names } = freshTopics("e2e-cluster-kill");
    const { child, done } = await startCli(
      [
        "--brokers",
        BROKERS,
        "--min-delta",
        "0.002",
        "--max-delta",
        "0.004",
        "--seed",
        "21",
        "--stats-interval",
        "1",
        "--flush-timeout",
        "60",
        "--log-level",
        "info",
        ...args,
      ],
      /Event #300:/,
    );
    const leader = await leaderOf(names.sale);
    process.kill(pidOf(leader), "SIGKILL");
    await sleep(15_000);
    start([leader]);
    await sleep(5_000);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status, result.stderr.slice(-1500)).to.equal(0);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    expect(totals.delivered).to.equal(totals.produced);
    expect(totals.primary).to.be.above(3000);
    const consumed = await consumeAll(Object.values(names), 8000, { brokers: BROKERS });
    const inFlight = [...result.stderr.matchAll(/in flight (\d+)/g)].map((m) => Number(m[1]));
    const { ids } = idsAllowingResentCopies(consumed, Math.max(0, ...inFlight));
    expect(ids.length).to.equal(totals.delivered - referenceRecords());
  });

  it("should hold, in flight bounded, while two of three brokers are down, and complete when they return", async () => {
    const { args, names } = freshTopics("e2e-cluster-two-down");
    const { done } = await startCli(
      [
        "--brokers",
        BROKERS,
        "--count",
        "6000",
        "--min-delta",
        "0.002",
        "--max-delta",
        "0.004",
        "--seed",
        "22",
        "--max-in-flight",
        "500",
        // About holding what is in flight between events: version 1, without version 2's reference rows, written at
        // start in one burst the size of the chain.
        "--schema-version",
        "1",
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
    let exited = false;
    void done.then(() => (exited = true));
    // Keep node 1 (its logs are the cluster's), stop the other two.
    for (const node of [2, 3]) process.kill(pidOf(node), "SIGTERM");
    await sleep(12_000);
    expect(exited, "the run ended while two brokers were down").to.equal(false);
    start([2, 3]);
    const result = await done;
    expect(result.status, result.stderr.slice(-1500)).to.equal(0);
    const inFlight = [...result.stderr.matchAll(/in flight (\d+)/g)].map((m) => Number(m[1]));
    expect(inFlight.length).to.be.above(5);
    // The source stops between primary events: the one under way finishes with all its records (a sale, its decrement,
    // an alert it causes, the buyer's purchase step), so the bound is --max-in-flight plus one event's records.
    expect(Math.max(...inFlight)).to.be.at.most(500 + 8);
    const totals = totalsOf(result.stderr);
    expect(totals.primary).to.equal(6000);
    expect(totals.failed).to.equal(0);
    const consumed = await consumeAll(Object.values(names), 8000, { brokers: BROKERS });
    const { ids } = idsAllowingResentCopies(consumed, 500);
    expect(ids.length).to.equal(totals.delivered);
  });
});
