import { expect } from "chai";
import type { Envelope } from "../../src/model/envelope.js";
import { KafkaSink } from "../../src/sinks/kafkaSink.js";
import { FakeProducer } from "../support/fakeProducer.js";

const envelope = (key: string): Envelope => ({
  topic: "t", key, timestamp: 0, headers: { event_type: "sale", schema_version: "1" },
  value: { event_id: key, event_type: "customer_event", event_time: "1970-01-01T00:00:00.000Z", schema_version: 1, customer_id: "C000001", store_id: key, action: "enter" },
});

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

describe("KafkaSink (fake producer)", () => {
  it("should account every message as delivered or failed, saying each kind of failure once with its topic and first key", async () => {
    const producer = new FakeProducer(100);
    const warnings: string[] = [];
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: { info: () => undefined, warn: (m: string) => warnings.push(m), debug: () => undefined } });
    for (let i = 0; i < 10; i += 1) sink.write(envelope(`k${i}`));
    producer.deliver(7);
    producer.deliver(3, { message: "Broker: Message too large", code: 10 });
    expect(sink.totals()).to.deep.include({ produced: 10, delivered: 7, failed: 3, inFlight: 0 });
    expect(warnings).to.deep.equal(["not delivered to topic t: Broker: Message too large (first: key k7); more like it are counted, not listed"]);
    expect(await sink.close(1000)).to.deep.equal({ produced: 10, delivered: 7, failed: 3 });
    expect(warnings.slice(1)).to.deep.equal(["3 records not delivered to topic t: Broker: Message too large"]);
    expect(producer.disconnected).to.equal(true);
  });

  it("should name the missing permission of a fatal error, even when reports come before its reason, and close early", async () => {
    const producer = new FakeProducer(100);
    const warnings: string[] = [];
    const sink = new KafkaSink(producer, { maxInFlight: 100, log: { info: () => undefined, warn: (m: string) => warnings.push(m), debug: () => undefined }, brokers: "b:9092" });
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
    expect(warnings[0]).to.match(/^not delivered to topic t: not authorized: the principal needs WRITE on the topic .*\(first: key k0\)/);
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
    expect(producer.queue.every((m) => m.opaque === undefined)).to.equal(true);
    expect(await sink.close(1000)).to.deep.equal({ produced: 6, delivered: 6, failed: 0 });
    expect(producer.produced).to.deep.equal(["k0", "k1", "k2", "k3", "k4", "k5"]);
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
    expect(producer.queue[0]).to.deep.include({ topic: "t", key: "S001", headers: [{ event_type: "sale" }, { schema_version: "1" }] });
    expect(JSON.parse(producer.queue[0]?.value ?? "{}")).to.include({ event_id: "S001", store_id: "S001" });
  });
});
