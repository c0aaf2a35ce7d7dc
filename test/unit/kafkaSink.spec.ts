import { expect } from "chai";
import { KafkaSink, heldByLibrdkafka } from "../../src/sinks/kafka/kafkaSink.js";
import { FakeProducer, envelope, quiet } from "../support/fakeProducer.js";
import { until } from "../support/poll.js";

describe("KafkaSink (fake producer)", () => {
  it("should account every message as delivered or failed, saying each kind of failure once with its topic and first key", async () => {
    const producer = new FakeProducer(100);
    const warnings: string[] = [];
    const sink = new KafkaSink(producer, {
      maxInFlight: 100,
      log: { info: () => undefined, warn: (m: string) => warnings.push(m), debug: () => undefined },
    });
    for (let i = 0; i < 10; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(7);
    producer.deliver(3, { message: "Broker: Message too large", code: 10 });
    expect(sink.totals()).to.deep.include({ produced: 10, delivered: 7, failed: 3, inFlight: 0 });
    expect(warnings).to.deep.equal([
      "not delivered to topic t: Broker: Message too large (first: key k7); more like it are counted, not listed",
    ]);
    expect(await sink.close(1000)).to.deep.equal({ produced: 10, delivered: 7, failed: 3 });
    expect(warnings.slice(1)).to.deep.equal(["3 records not delivered to topic t: Broker: Message too large"]);
    expect(producer.disconnected).to.equal(true);
  });

  it("should name the missing permission of a fatal error, even when reports come before its reason, and close early", async () => {
    const producer = new FakeProducer(100);
    const warnings: string[] = [];
    const sink = new KafkaSink(producer, {
      maxInFlight: 100,
      log: { info: () => undefined, warn: (m: string) => warnings.push(m), debug: () => undefined },
      brokers: "b:9092",
    });
    const closed: Array<[string, boolean]> = [];
    sink.onClosed((reason, failed) => closed.push([reason, failed]));
    for (let i = 0; i < 4; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(2, { message: "Local: Fatal error", code: -150 });
    expect(warnings).to.deep.equal([]);
    sink.fatal("Fatal error: Broker: Cluster authorization failed: Failed to acquire idempotence PID");
    expect(closed).to.have.length(1);
    expect(closed[0]?.[0]).to.match(/^not authorized: the principal needs WRITE on the topic/);
    expect(closed[0]?.[1]).to.equal(true);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(
      /^not delivered to topic t: not authorized: the principal needs WRITE on the topic .*\(first: key k0\)/,
    );
    producer.deliver(2, { message: "Local: Fatal error", code: -150 });
    expect(await sink.close(1000)).to.deep.equal({ produced: 4, delivered: 0, failed: 4 });
    expect(warnings.at(-1)).to.match(/^4 records not delivered to topic t: not authorized/);
  });

  it("should hold at the in-flight high-water mark and resume as reports arrive", () => {
    const producer = new FakeProducer(1000);
    const sink = new KafkaSink(producer, { maxInFlight: 8, log: quiet });
    for (let i = 0; i < 8; i += 1) sink.write(envelope(`k${i}`));
    expect(sink.held).to.equal(true);
    let resumed = false;
    sink.whenReady(() => (resumed = true));
    producer.deliver(1);
    expect(resumed).to.equal(false); // resumes below 75% of the mark, not at the first report
    producer.deliver(2);
    expect(sink.held).to.equal(false);
    expect(resumed).to.equal(true);
  });

  it("should hold at the in-flight byte mark too, however few the records, and resume below 75% of it", () => {
    const producer = new FakeProducer(1000);
    const size = JSON.stringify(envelope("k0").value).length;
    const sink = new KafkaSink(producer, { maxInFlight: 1000, maxInFlightBytes: size * 4, log: quiet });
    for (let i = 0; i < 3; i += 1) sink.write(envelope(`k${i}`));
    expect(sink.held).to.equal(false);
    sink.write(envelope("k3"));
    expect(sink.held).to.equal(true);
    let resumed = false;
    sink.whenReady(() => (resumed = true));
    producer.deliver(1);
    expect([sink.held, resumed]).to.deep.equal([false, false]); // 3 of 4 in flight: not below 75% yet
    producer.deliver(1);
    expect(resumed).to.equal(true);
  });

  it("should park messages refused with QUEUE_FULL, in order, without an opaque, and produce them as room frees", async () => {
    const producer = new FakeProducer(3);
    const sink = new KafkaSink(producer, { maxInFlight: 1000, log: quiet });
    for (let i = 0; i < 6; i += 1) sink.write(envelope(`k${i}`));
    expect(producer.produced).to.deep.equal(["k0", "k1", "k2"]);
    expect(sink.held).to.equal(true);
    producer.deliver(2);
    expect(producer.produced).to.deep.equal(["k0", "k1", "k2", "k3", "k4"]);
    // Each parked message kept its own value.
    expect(producer.queue.map((m) => (JSON.parse(m.value) as { event_id: string }).event_id)).to.deep.equal([
      "k2",
      "k3",
      "k4",
    ]);
    expect(producer.queue.every((m) => m.opaque === undefined)).to.equal(true);
    expect(await sink.close(1000)).to.deep.equal({ produced: 6, delivered: 6, failed: 0 });
    expect(producer.produced).to.deep.equal(["k0", "k1", "k2", "k3", "k4", "k5"]);
  });

  it("should stop the run at the first record the broker refuses for its timestamp, naming the topic and the limit", async () => {
    const producer = new FakeProducer(10);
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet });
    const closed: Array<[string, boolean]> = [];
    sink.onClosed((reason, failed) => closed.push([reason, failed]));
    for (let i = 0; i < 3; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(1);
    producer.deliver(1, { message: "Broker: Invalid timestamp", code: 32 });
    expect(closed).to.have.length(1);
    expect(closed[0]?.[1]).to.equal(true);
    expect(closed[0]?.[0]).to.match(
      /^topic t: the broker refused a record for its timestamp: .*message\.timestamp\.after\.max\.ms .*--speed/,
    );
    expect(await sink.close(1000)).to.deep.include({ produced: 3, failed: 1 });
  });

  it("should stop the run at the first record the broker refuses as invalid, as it does several of one batch for their timestamps", async () => {
    const producer = new FakeProducer(10);
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet, reports: "errors" });
    const closed: Array<[string, boolean]> = [];
    sink.onClosed((reason, failed) => closed.push([reason, failed]));
    for (let i = 0; i < 3; i += 1) sink.write(envelope(`k${i}`));
    // As node-rdkafka hands them over: librdkafka's text, no code.
    producer.deliver(1, { message: "broker failed to validate record", code: -1 });
    expect(closed).to.have.length(1);
    expect(closed[0]?.[1]).to.equal(true);
    expect(closed[0]?.[0]).to.match(/^topic t: the broker refused records on checking them .*timestamp/);
    producer.deliver(1, {
      message: "Local: an invalid record in the same batch caused the failure of this message too",
      code: -1,
    });
    expect(closed).to.have.length(1);
  });

  it("should send a wall-clock record's event time in an event_time header", () => {
    const producer = new FakeProducer(10);
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet });
    const record = envelope("k1");
    sink.write({ ...record, timestamp: 5, headers: { ...record.headers, event_time: "2026-01-01T00:00:00.000Z" } });
    expect(producer.queue[0]?.headers).to.deep.equal([
      { event_type: "sale" },
      { schema_version: "1" },
      { event_time: "2026-01-01T00:00:00.000Z" },
    ]);
  });

  it("should count what has no report by the flush timeout as failed", async () => {
    const producer = new FakeProducer(10);
    producer.flush = (_t, done) => {
      done();
      return undefined;
    };
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet });
    for (let i = 0; i < 4; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(1);
    expect(await sink.close(50)).to.deep.equal({ produced: 4, delivered: 1, failed: 3 });
  });

  it("should send the key, the headers and the value as JSON", () => {
    const producer = new FakeProducer(10);
    new KafkaSink(producer, { maxInFlight: 100, log: quiet }).write(envelope("S001"));
    expect(producer.queue[0]).to.deep.include({
      topic: "t",
      key: "S001",
      headers: [{ event_type: "sale" }, { schema_version: "1" }],
    });
    expect(JSON.parse(producer.queue[0]?.value ?? "{}")).to.include({ event_id: "S001", store_id: "S001" });
  });
});

/** librdkafka's statistics as it writes them, cut to what the sink reads: `held` per partition of topic t (queued, being sent, awaiting ack). */
const stats = (total: number, held: Array<[queued: number, sending: number, awaiting: number]> = []): string =>
  JSON.stringify({
    name: "retail-stream#producer-1",
    msg_cnt: total,
    msg_size: total * 200,
    topics: {
      t: {
        topic: "t",
        partitions: Object.fromEntries(
          held.map(([q, x, a], i) => [
            String(i),
            { partition: i, msgq_cnt: q, xmit_msgq_cnt: x, msgs_inflight: a, txmsgs: 99 },
          ]),
        ),
      },
    },
  });

/** A producer made with delivery.report.only.error: a success is never reported. */
class ErrorsOnlyProducer extends FakeProducer {
  flushes: Array<boolean> = [];
  override deliver(n: number, error: { message: string; code?: number } | null = null): void {
    if (error !== null) return super.deliver(n, error);
    this.queue.splice(0, n);
  }
  override flush(_timeoutMs: number, done: (error?: Error | null) => void): unknown {
    const ok = this.flushes.shift() ?? true;
    if (ok) this.queue.splice(0);
    done(ok ? null : new Error("Local: Timed out"));
    return undefined;
  }
}

describe("KafkaSink with reports only of errors (fake producer)", () => {
  it("should read what librdkafka holds from its statistics, per topic", () => {
    expect(
      heldByLibrdkafka(
        stats(7, [
          [1, 2, 3],
          [0, 0, 1],
        ]),
      ),
    ).to.deep.equal({ total: 7, byTopic: new Map([["t", 7]]) });
    expect(heldByLibrdkafka("{not json")).to.equal(undefined);
    expect(heldByLibrdkafka(JSON.stringify({ topics: {} }))).to.equal(undefined);
  });

  it("should count as delivered what librdkafka no longer holds and did not report failed, never going back, and be exact at close", async () => {
    const producer = new ErrorsOnlyProducer(100);
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet, reports: "errors" });
    for (let i = 0; i < 10; i += 1) sink.write(envelope(`k${i}`));
    expect(sink.totals()).to.deep.include({ produced: 10, delivered: 0, inFlight: 10 });
    producer.deliver(5);
    sink.observeStats(stats(5, [[2, 1, 2]]));
    expect(sink.totals()).to.deep.include({ produced: 10, delivered: 5, failed: 0, inFlight: 5 });
    expect(sink.byTopic().get("t")).to.deep.equal({ produced: 10, delivered: 5, failed: 0 });
    producer.deliver(1, { message: "Broker: Message too large", code: 10 });
    sink.observeStats(stats(6, [[6, 0, 0]])); // older statistics served late: the counts do not go back
    expect(sink.totals()).to.deep.include({ delivered: 5, failed: 1, inFlight: 4 });
    expect(await sink.close(1000)).to.deep.equal({ produced: 10, delivered: 9, failed: 1 });
    expect(sink.byTopic().get("t")).to.deep.equal({ produced: 10, delivered: 9, failed: 1 });
  });

  it("should be held only by librdkafka's own queue (QUEUE_FULL), not by the in-flight marks", async () => {
    const producer = new ErrorsOnlyProducer(3);
    const sink = new KafkaSink(producer, { maxInFlight: 2, maxInFlightBytes: 1, log: quiet, reports: "errors" });
    for (let i = 0; i < 3; i += 1) sink.write(envelope(`k${i}`));
    expect(sink.held).to.equal(false);
    sink.write(envelope("k3"));
    expect(sink.held).to.equal(true);
    expect(await sink.close(1000)).to.deep.equal({ produced: 4, delivered: 4, failed: 0 });
  });

  it("should count as failed, per topic, what librdkafka still held when the flush timed out", async () => {
    const producer = new ErrorsOnlyProducer(4);
    producer.flushes = Array.from({ length: 1000 }, () => false);
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet, reports: "errors" });
    for (let i = 0; i < 4; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(1);
    sink.observeStats(stats(3, [[0, 1, 2]]));
    expect(await sink.close(60)).to.deep.equal({ produced: 4, delivered: 1, failed: 3 });
    expect(sink.byTopic().get("t")).to.deep.equal({ produced: 4, delivered: 1, failed: 3 });
  });

  it("should count as delivered what librdkafka cannot be holding (more than its queue), when its statistics are late", () => {
    const producer = new ErrorsOnlyProducer(3);
    const sink = new KafkaSink(producer, { maxInFlight: 3, log: quiet, reports: "errors" });
    for (let i = 0; i < 3; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(3);
    for (let i = 3; i < 5; i += 1) sink.write(envelope(`k${i}`));
    expect(sink.totals()).to.deep.include({ produced: 5, delivered: 2, failed: 0, inFlight: 3 });
  });

  it("should never count more than it produced: a failure reported after the counts were settled is not also delivered", () => {
    const producer = new ErrorsOnlyProducer(100);
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet, reports: "errors" });
    for (let i = 0; i < 4; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(2);
    sink.settle();
    producer.deliver(2, { message: "invalid timestamp", code: -1 });
    const totals = sink.totals();
    expect(totals.delivered + totals.failed).to.equal(totals.produced);
    expect(totals).to.deep.include({ produced: 4, failed: 2, delivered: 2 });
  });

  it("should never show more in flight than librdkafka's queue and what is parked, once parked records go out", async () => {
    const producer = new ErrorsOnlyProducer(3);
    const sink = new KafkaSink(producer, { maxInFlight: 3, log: quiet, reports: "errors", pollMs: 1 });
    for (let i = 0; i < 4; i += 1) sink.write(envelope(`k${i}`));
    expect(sink.totals().inFlight).to.equal(4); // three queued, one parked
    producer.deliver(3);
    await until("the parked record produced", 10_000, () => producer.queue.length === 1, 5);
    expect(sink.totals().inFlight).to.be.at.most(3);
  });

  it("should count every failure librdkafka reports after the flush, however long they take to be served (node-rdkafka serves 100 a turn)", async function () {
    this.timeout(10_000);
    const producer = new ErrorsOnlyProducer(5000);
    const sink = new KafkaSink(producer, { maxInFlight: 5000, log: quiet, reports: "errors" });
    for (let i = 0; i < 3000; i += 1) sink.write(envelope(`k${i}`));
    // The flush empties librdkafka's queue; the failure reports reach JavaScript 100 at a time, 40 ms apart
    // (a loaded machine serving tens of thousands of them): 1.2 s in all.
    producer.flush = (_timeoutMs, done) => {
      const failing = producer.queue.length;
      const serve = (): void => {
        producer.deliver(100, { message: "Broker: Invalid timestamp", code: 32 });
        if (producer.queue.length > 0) setTimeout(serve, 40);
      };
      setTimeout(serve, 40);
      done(null);
      return failing;
    };
    expect(await sink.close(5000)).to.deep.equal({ produced: 3000, delivered: 0, failed: 3000 });
  });

  it("should settle the counts when a commit or flush completed", () => {
    const producer = new ErrorsOnlyProducer(100);
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet, reports: "errors" });
    for (let i = 0; i < 4; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(1, { message: "Broker: Message too large", code: 10 });
    sink.settle();
    expect(sink.totals()).to.deep.include({ produced: 4, delivered: 3, failed: 1, inFlight: 0 });
  });
});
