import { expect } from "chai";
import type { Envelope } from "../../src/wire/envelope.js";
import type { RetailEvent } from "../../src/model/events.js";
import { KafkaSink } from "../../src/sinks/kafka/kafkaSink.js";
import type { KafkaError } from "../../src/sinks/kafka/producerLike.js";
import { ERR_QUEUE_FULL } from "../../src/sinks/kafka/kafkaErrors.js";
import {
  TransactionalSink,
  type Checkpoint,
  type TransactionalProducer,
} from "../../src/sinks/kafka/transactionalSink.js";

type Report = (error: KafkaError | null, report: { topic: string; key?: unknown }) => void;

/** A transactional producer that reports each record delivered at once and keeps the log of what it was asked to do. */
class FakeTxProducer implements TransactionalProducer {
  readonly log: string[] = [];
  failCommit: KafkaError | undefined;
  /** Failures of the next commits, one each, before `failCommit`. */
  failCommits: KafkaError[] = [];
  /** Checkpoints refused with QUEUE_FULL before one is taken. */
  fullFor = 0;
  private report: Report = () => undefined;
  produce(topic: string, _p: null, value: Buffer, key: string): unknown {
    if (topic === "checkpoints" && this.fullFor > 0) {
      this.fullFor -= 1;
      this.log.push("queue full");
      throw Object.assign(new Error("Local: Queue full"), { code: ERR_QUEUE_FULL });
    }
    this.log.push(topic === "checkpoints" ? `checkpoint ${value.toString()}` : `${topic}:${key}`);
    this.report(null, { topic, key });
    return true;
  }
  poll(): unknown {
    return undefined;
  }
  flush(_t: number, done: () => void): unknown {
    this.log.push("flush");
    done();
    return undefined;
  }
  disconnect(_t: number, done: () => void): unknown {
    done();
    return undefined;
  }
  on(_event: "delivery-report", listener: Report): unknown {
    this.report = listener;
    return this;
  }
  initTransactions(_t: number, done: (e: KafkaError | null) => void): void {
    this.log.push("init");
    done(null);
  }
  beginTransaction(done: (e: KafkaError | null) => void): void {
    this.log.push("begin");
    done(null);
  }
  commitTransaction(_t: number, done: (e: KafkaError | null) => void): void {
    const failure = this.failCommits.shift() ?? this.failCommit;
    this.log.push(failure === undefined ? "commit" : "commit failed");
    done(failure ?? null);
  }
  abortTransaction(_t: number, done: (e: KafkaError | null) => void): void {
    this.log.push("abort");
    done(null);
  }
}

const event = (n: number, type: RetailEvent["event_type"] = "customer_event"): Envelope => ({
  topic: "t",
  key: `k${n}`,
  timestamp: 1000 + n,
  headers: { event_type: type, schema_version: "1" },
  value: (type === "restock_alert"
    ? {
        event_id: `e${n}`,
        event_type: type,
        event_time: new Date(1000 + n).toISOString(),
        schema_version: 1,
        store_id: "S",
        product_id: "P",
        current_stock: 1,
        reorder_point: 2,
        suggested_quantity: 5,
        priority: "low",
      }
    : {
        event_id: `e${n}`,
        event_type: "customer_event",
        event_time: new Date(1000 + n).toISOString(),
        schema_version: 1,
        customer_id: "C1",
        store_id: "S",
        action: "enter",
      }) as RetailEvent,
});
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const identity = { seed: 7, start: 0, fingerprint: "f" };

async function sink(skip = 0): Promise<{ producer: FakeTxProducer; tx: TransactionalSink; clock: { now: number } }> {
  const producer = new FakeTxProducer();
  const clock = { now: 0 };
  const inner = new KafkaSink(producer, { maxInFlight: 1000, log: quiet, uncountedTopic: "checkpoints" });
  const tx = new TransactionalSink(inner, producer, {
    transactionalId: "id",
    checkpointTopic: "checkpoints",
    commitIntervalMs: 100,
    commitRecords: 1000,
    now: () => clock.now,
    log: quiet,
  });
  await tx.start();
  tx.resumeAt(identity, skip);
  return { producer, tx, clock };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("TransactionalSink (fake producer)", () => {
  it("should commit only when the driver asks to go on after the interval, with a checkpoint of where the run is", async () => {
    const { producer, tx, clock } = await sink();
    tx.write(event(1));
    tx.write(event(2, "restock_alert"));
    expect(tx.held).to.equal(false);
    clock.now = 100;
    expect(tx.held).to.equal(true);
    let resumed = false;
    tx.whenReady(() => (resumed = true));
    await settle();
    expect(resumed).to.equal(true);
    const checkpoint: Checkpoint = { transactional_id: "id", identity, records: 2, primary: 1, time: 1002 };
    expect(producer.log).to.deep.equal([
      "init",
      "begin",
      "t:k1",
      "t:k2",
      `checkpoint ${JSON.stringify(checkpoint)}`,
      "commit",
      "begin",
    ]);
    expect(tx.committed).to.equal(2);
    expect(tx.totals()).to.include({ produced: 2, delivered: 2, failed: 0 });
  });

  it("should regenerate without writing what an earlier run committed, then write the rest", async () => {
    const { producer, tx } = await sink(2);
    for (let n = 1; n <= 3; n += 1) tx.write(event(n));
    await tx.close(1000);
    expect(producer.log.filter((l) => l.startsWith("t:"))).to.deep.equal(["t:k3"]);
    expect(tx.replayed).to.equal(2);
    expect(producer.log.at(-2)).to.match(/"records":3,"primary":3/);
  });

  it("should count an aborted transaction's records as failed and stop the run", async () => {
    const { producer, tx, clock } = await sink();
    const closed: string[] = [];
    tx.onClosed((reason) => closed.push(reason));
    tx.write(event(1));
    producer.failCommit = { message: "Broker: Producer fenced", code: 90 };
    clock.now = 500;
    tx.whenReady(() => undefined);
    await settle();
    await settle();
    expect(producer.log.slice(-2)).to.deep.equal(["commit failed", "abort"]);
    expect(tx.totals()).to.include({ produced: 1, delivered: 0, failed: 1 });
    expect(closed[0]).to.match(/^fenced: another process started with the same --transactional-id/);
  });

  it("should commit again when node-rdkafka calls the failure retriable, and not stop the run", async () => {
    const { producer, tx, clock } = await sink();
    const closed: string[] = [];
    tx.onClosed((reason) => closed.push(reason));
    tx.write(event(1));
    producer.failCommits = [{ message: "Broker: Coordinator load in progress", code: 14, isRetriable: true }];
    clock.now = 500;
    tx.whenReady(() => undefined);
    for (let i = 0; i < 4; i += 1) await settle();
    expect(producer.log.filter((l) => l.startsWith("commit"))).to.deep.equal(["commit failed", "commit"]);
    expect(producer.log).to.not.include("abort");
    expect(tx.totals()).to.include({ produced: 1, delivered: 1, failed: 0 });
    expect(closed).to.deep.equal([]);
  });

  it("should abort a transaction the broker says needs it, stop, and say that --resume goes on", async () => {
    const { producer, tx, clock } = await sink();
    const closed: string[] = [];
    tx.onClosed((reason) => closed.push(reason));
    tx.write(event(1));
    producer.failCommits = [
      { message: "Broker: Request timed out", code: 7, isRetriable: true, isTxnRequiresAbort: true },
    ];
    clock.now = 500;
    tx.whenReady(() => undefined);
    for (let i = 0; i < 4; i += 1) await settle();
    expect(producer.log.slice(-2)).to.deep.equal(["commit failed", "abort"]);
    expect(tx.totals()).to.include({ failed: 1 });
    expect(closed[0]).to.match(/aborted, as the broker asked: --resume goes on from the last checkpoint/);
  });

  it("should wait for deliveries when librdkafka's queue refuses the checkpoint, instead of spinning", async () => {
    const { producer, tx, clock } = await sink();
    tx.write(event(1));
    producer.fullFor = 2;
    clock.now = 500;
    tx.whenReady(() => undefined);
    for (let i = 0; i < 6; i += 1) await settle();
    const from = producer.log.indexOf("queue full");
    const steps = producer.log.slice(from).map((l) => (l.startsWith("checkpoint ") ? "checkpoint" : l));
    expect(steps.slice(0, 6)).to.deep.equal(["queue full", "flush", "queue full", "flush", "checkpoint", "commit"]);
  });
});
