import { expect } from "chai";
import { readFileSync } from "node:fs";
import { KafkaSink } from "../../src/sinks/kafka/kafkaSink.js";
import { StallWatch, messageTimeoutMs } from "../../src/sinks/kafka/stallWatch.js";
import { FakeProducer, envelope, quiet } from "../support/fakeProducer.js";
import { until } from "../support/poll.js";

/** A producer that takes records and never reports on them, nor disconnects: librdkafka stuck for good. */
class StuckProducer extends FakeProducer {
  override flush(_timeoutMs: number, done: (error?: Error | null) => void): unknown {
    done(new Error("Local: Timed out"));
    return undefined;
  }

  override disconnect(): unknown {
    return undefined;
  }
}

describe("StallWatch", () => {
  it("should expire only with records in flight and nothing settled for longer than its timeout", () => {
    const watch = new StallWatch(1000, 0);
    watch.progress(0, 5, 10);
    expect(watch.expired(5, 1000)).to.equal(false);
    expect(watch.expired(5, 1001)).to.equal(true);
    expect(watch.expired(0, 5000)).to.equal(false);
  });

  it("should count a settled record, or nothing waiting, as progress; a connected broker alone as no delivery", () => {
    const watch = new StallWatch(1000, 0);
    watch.progress(3, 2, 900);
    expect(watch.expired(2, 1500)).to.equal(false);
    watch.progress(3, 2, 1800);
    expect(watch.expired(2, 1901)).to.equal(true);
    watch.brokers(true, 1950);
    expect(watch.expired(2, 1960)).to.equal(true);
    // Idle (nothing in flight) for a long time, then a record: its wait starts then.
    watch.progress(3, 0, 10_000);
    watch.progress(3, 1, 10_500);
    expect(watch.expired(1, 10_900)).to.equal(false);
  });

  it("should say how long no broker was connected, past a short grace, and how long nothing settled", () => {
    const watch = new StallWatch(60_000, 0);
    expect(watch.noConnectionMs(1500)).to.equal(0);
    expect(watch.noConnectionMs(42_000)).to.equal(42_000);
    watch.brokers(true, 42_000);
    expect(watch.noConnectionMs(43_000)).to.equal(0);
    expect(watch.stuckMs(43_000)).to.equal(43_000);
  });

  it("should take librdkafka's message timeout from the producer's settings", () => {
    expect(messageTimeoutMs(undefined)).to.equal(300_000);
    expect(messageTimeoutMs({ "message.timeout.ms": "5000" })).to.equal(5000);
    expect(messageTimeoutMs({ "delivery.timeout.ms": 7000 })).to.equal(7000);
    expect(messageTimeoutMs({ "message.timeout.ms": 0 })).to.equal(86_400_000);
  });
});

describe("KafkaSink's watch over a stall (fake producer, fake clock)", function () {
  this.timeout(15_000);

  it("should fail what is in flight past the timeout with no contact, say so in one line and stop the run", async () => {
    const clock = { now: 0 };
    const producer = new StuckProducer(100);
    let reads = 0;
    const sink = new KafkaSink(producer, {
      maxInFlight: 100,
      log: quiet,
      stall: { timeoutMs: 60_000, checkMs: 2, now: () => ((reads += 1), clock.now) },
    });
    // Each check reads the clock: waiting for more reads waits for checks to have run.
    const checks = (n: number): Promise<unknown> => {
      const from = reads;
      return until(`${n} checks`, 5000, () => reads >= from + n, 2);
    };
    const closed: Array<[string, boolean]> = [];
    sink.onClosed((reason, failed) => closed.push([reason, failed]));
    for (let i = 0; i < 5; i += 1) sink.write(envelope(`k${i}`));
    clock.now = 30_000;
    expect(sink.trouble()).to.equal("no broker connection for 30 s");
    sink.observeStats('{"brokers":{"b:9092/1":{"state":"UP"}}}');
    expect(sink.trouble()).to.equal("nothing delivered for 30 s (5 records in flight)");
    clock.now = 59_000;
    expect(sink.trouble()).to.equal("no broker connection for 29 s");
    await checks(2);
    expect(closed).to.deep.equal([]);
    clock.now = 61_000;
    await until("the run told to stop", 5000, () => closed.length > 0, 2);
    expect(closed).to.deep.equal([
      [
        "nothing delivered for 61 s, past librdkafka's message timeout, and no broker connection for 31 s: the 5 records in flight failed",
        true,
      ],
    ]);
    expect(sink.totals()).to.deep.include({ produced: 5, delivered: 0, failed: 5, inFlight: 0 });
    // A client stuck for good never calls back from disconnect: the run ends anyway.
    expect(await sink.close(10)).to.deep.equal({ produced: 5, delivered: 0, failed: 5 });
  });

  it("should not stop a run whose records keep being delivered, however long it lasts", async () => {
    const clock = { now: 0 };
    const producer = new FakeProducer(100);
    let reads = 0;
    const sink = new KafkaSink(producer, {
      maxInFlight: 100,
      log: quiet,
      stall: { timeoutMs: 1000, checkMs: 1, now: () => ((reads += 1), clock.now) },
    });
    const closed: string[] = [];
    sink.onClosed((reason) => closed.push(reason));
    // 18 s in all, never a second without a delivery.
    for (let step = 1; step <= 20; step += 1) {
      sink.write(envelope(`a${step}`));
      sink.write(envelope(`b${step}`));
      producer.deliver(1);
      clock.now = step * 900;
      const from = reads;
      await until("two checks", 5000, () => reads >= from + 2, 1);
    }
    expect(closed).to.deep.equal([]);
    expect(sink.totals()).to.deep.include({ produced: 40, delivered: 20, inFlight: 20 });
    await sink.close(1000);
  });
});

describe("the librdkafka this project builds", () => {
  it("should retry a metadata response that names no broker rather than forget every broker (librdkafka #5301)", () => {
    // scripts/librdkafka-patch.sh patches node-rdkafka's bundled sources before they are compiled.
    const source = readFileSync(
      new URL("../../node_modules/node-rdkafka/deps/librdkafka/src/rdkafka_metadata.c", import.meta.url),
      "utf8",
    );
    expect(source).to.include("if (md->broker_cnt == 0) {");
    expect(source).not.to.include("if (md->broker_cnt == 0 && md->topic_cnt == 0) {");
  });
});
