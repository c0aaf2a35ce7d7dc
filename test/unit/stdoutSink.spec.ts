import { expect } from "chai";
import { Writable } from "node:stream";
import type { Envelope } from "../../src/wire/envelope.js";
import { stdoutSink } from "../../src/sinks/stdoutSink.js";

const record = (n: number): Envelope => ({
  topic: "t",
  key: `S${n}`,
  timestamp: n,
  headers: { event_type: "customer_event", schema_version: "1" },
  value: {
    event_id: `e${n}`,
    event_type: "customer_event",
    event_time: new Date(n).toISOString(),
    schema_version: 1,
    customer_id: "C1",
    store_id: `S${n}`,
    action: "enter",
  },
});

/** A writable that keeps what it gets and can be told to refuse more (full) or to break (EPIPE). */
class Collector extends Writable {
  text = "";
  writes = 0;
  private pending: Array<() => void> = [];
  constructor(private readonly slow = false) {
    super({ highWaterMark: 16 });
  }
  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    this.writes += 1;
    this.text += chunk.toString();
    if (this.slow) this.pending.push(() => done());
    else done();
  }
  release(): void {
    for (const done of this.pending.splice(0)) done();
  }
}

describe("stdoutSink (in process)", () => {
  it("should write one JSON envelope per line, gathered into one write per turn of the event loop", async () => {
    const out = new Collector();
    const sink = stdoutSink(out);
    for (let n = 1; n <= 3; n += 1) sink.write(record(n));
    expect(out.writes).to.equal(0);
    await new Promise((r) => setImmediate(r));
    expect(out.writes).to.equal(1);
    const totals = await sink.close(1000);
    expect(
      out.text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Envelope),
    ).to.deep.equal([record(1), record(2), record(3)]);
    expect(totals).to.deep.equal({ produced: 3, delivered: 3, failed: 0 });
  });

  it("should hold while the stream is full and resume the driver once it drains", async () => {
    const out = new Collector(true);
    const sink = stdoutSink(out);
    sink.write(record(1));
    await new Promise((r) => setImmediate(r));
    expect(sink.held).to.equal(true);
    let resumed = false;
    sink.whenReady(() => (resumed = true));
    expect(resumed).to.equal(false);
    expect(sink.totals()).to.include({ produced: 1, delivered: 0, inFlight: 1 });
    out.release();
    await new Promise((r) => setImmediate(r));
    expect(resumed).to.equal(true);
    expect(sink.held).to.equal(false);
    expect(sink.totals()).to.include({ delivered: 1, inFlight: 0 });
  });

  it("should count as failed what comes after its reader went away, and say so once", async () => {
    const out = new Collector();
    const sink = stdoutSink(out);
    const reasons: string[] = [];
    sink.onClosed((reason) => reasons.push(reason));
    out.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    sink.write(record(1));
    sink.write(record(2));
    expect(await sink.close(100)).to.deep.equal({ produced: 2, delivered: 0, failed: 2 });
    expect(reasons).to.deep.equal(["the reader closed standard output"]);
  });
});
