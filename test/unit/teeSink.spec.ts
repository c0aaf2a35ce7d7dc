import { expect } from "chai";
import { TeeSink } from "../../src/sinks/teeSink.js";
import type { DeliveryTotals, Sink, SinkTotals } from "../../src/sinks/sink.js";
import type { OutRecord } from "../../src/wire/envelope.js";

/** A sink that keeps what it was given and delivers when told. */
class Kept implements Sink {
  readonly got: OutRecord[] = [];
  delivered = 0;
  failed = 0;
  held = false;
  private ready: Array<() => void> = [];
  private closedListeners: Array<(reason: string, failed: boolean) => void> = [];
  write(record: OutRecord): void {
    this.got.push(record);
  }
  whenReady(resume: () => void): void {
    if (!this.held) resume();
    else this.ready.push(resume);
  }
  release(): void {
    this.held = false;
    for (const resume of this.ready.splice(0)) resume();
  }
  totals(): SinkTotals {
    return {
      produced: this.got.length,
      delivered: this.delivered,
      failed: this.failed,
      inFlight: this.got.length - this.delivered - this.failed,
      peakInFlight: 0,
    };
  }
  async close(): Promise<DeliveryTotals> {
    return { produced: this.got.length, delivered: this.delivered, failed: this.failed };
  }
  onClosed(listener: (reason: string, failed: boolean) => void): void {
    this.closedListeners.push(listener);
  }
  break(reason: string): void {
    for (const listener of this.closedListeners) listener(reason, true);
  }
}

const record = (type: string): OutRecord =>
  ({
    topic: "t",
    key: "k",
    timestamp: 0,
    headers: { event_type: type, schema_version: "1" },
    value: {},
  }) as unknown as OutRecord;

describe("TeeSink", () => {
  it("should give each side what it takes, and count a record delivered only when every side has it", async () => {
    const kafka = new Kept();
    const db = new Kept();
    const told: string[] = [];
    const tee = new TeeSink(
      [
        { name: "kafka", sink: kafka },
        { name: "postgres", sink: db, takes: (r) => r.headers.event_type !== "truth" },
      ],
      (l) => told.push(l),
    );
    for (const type of ["sale", "truth", "sale"]) tee.write(record(type));
    expect([kafka.got.length, db.got.length]).to.deep.equal([3, 2]);
    kafka.delivered = 3;
    expect(tee.totals()).to.include({ produced: 3, delivered: 1, failed: 0 });
    db.delivered = 1;
    db.failed = 1;
    expect(tee.totals()).to.include({ produced: 3, delivered: 2, failed: 1, inFlight: 0 });
    expect(await tee.close(10)).to.deep.equal({ produced: 3, delivered: 2, failed: 1 });
    expect(told).to.deep.equal([
      "kafka: produced 3, delivered 3, failed 0",
      "postgres: produced 2, delivered 1, failed 1",
    ]);
  });

  it("should hold while either side holds, resume once both take more, and break when either breaks", () => {
    const kafka = new Kept();
    const db = new Kept();
    const tee = new TeeSink(
      [
        { name: "kafka", sink: kafka },
        { name: "postgres", sink: db },
      ],
      () => undefined,
    );
    kafka.held = true;
    db.held = true;
    expect(tee.held).to.equal(true);
    let resumed = 0;
    tee.whenReady(() => (resumed += 1));
    kafka.release();
    expect(resumed).to.equal(0);
    db.release();
    expect(resumed).to.equal(1);
    const broken: string[] = [];
    tee.onClosed((reason) => broken.push(reason));
    db.break("gone");
    expect(broken).to.deep.equal(["postgres: gone"]);
  });
});
