import { expect } from "chai";
import { until } from "../support/poll.js";
import { concat, map, take, throwError, timer } from "rxjs";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { realWall } from "../../src/clock/realWall.js";
import type { Envelope } from "../../src/wire/envelope.js";
import type { DeliveryTotals, Sink, SinkTotals } from "../../src/sinks/sink.js";
import { runToSink } from "../../src/app/runToSink.js";

const record = (n: number): Envelope => ({
  topic: "t",
  key: "k",
  timestamp: n,
  headers: { event_type: "customer_event", schema_version: "1" },
  value: {
    event_id: `e${n}`,
    event_type: "customer_event",
    event_time: new Date(n).toISOString(),
    schema_version: 1,
    customer_id: "C1",
    store_id: "S1",
    action: "enter",
  },
});

/** A sink that keeps what it is given, delivers everything at close, and can be closed by its reader. */
class MemorySink implements Sink {
  readonly got: Envelope[] = [];
  closedWith: number | undefined;
  private readonly listeners: Array<(reason: string, failed: boolean) => void> = [];
  held = false;
  whenReady(resume: () => void): void {
    resume();
  }
  write(envelope: Envelope): void {
    this.got.push(envelope);
  }
  totals(): SinkTotals {
    return {
      produced: this.got.length,
      delivered: 0,
      failed: 0,
      inFlight: this.got.length,
      peakInFlight: this.got.length,
    };
  }
  close(timeoutMs: number): Promise<DeliveryTotals> {
    this.closedWith = timeoutMs;
    return Promise.resolve({ produced: this.got.length, delivered: this.got.length, failed: 0 });
  }
  onClosed(listener: (reason: string, failed: boolean) => void): void {
    this.listeners.push(listener);
  }
  readerLeaves(): void {
    for (const l of this.listeners) l("gone", false);
  }
}

// In simulated time (a backfill over the whole span), so no test waits on the real clock.
describe("runToSink (in process)", () => {
  const START = Date.UTC(2026, 0, 1);

  it("should run a backfill to the source's end, hand every record to the sink in order, then flush it", async () => {
    const scheduler = new SimulatedScheduler(START);
    // Five records a simulated minute apart, all inside the backfill span: they run at once.
    const records$ = timer(0, 60_000, scheduler).pipe(
      take(5),
      map(() => record(scheduler.now())),
    );
    const sink = new MemorySink();
    const seen: number[] = [];
    const totals = await runToSink(records$, sink, {
      scheduler,
      wall: realWall,
      fastUntil: START + 10 * 60_000,
      flushTimeoutS: 3,
      onRecord: (r) => seen.push(r.timestamp),
    });
    expect(seen).to.deep.equal([0, 1, 2, 3, 4].map((n) => START + n * 60_000));
    expect(sink.got.map((r) => r.timestamp)).to.deep.equal(seen);
    expect(totals).to.deep.equal({ produced: 5, delivered: 5, failed: 0 });
    expect(sink.closedWith).to.equal(3000);
  });

  it("should flush what came before a pipeline error, then reject with it", async () => {
    const scheduler = new SimulatedScheduler(START);
    const sink = new MemorySink();
    const failing$ = concat(
      timer(0, scheduler).pipe(map(() => record(START))),
      throwError(() => new Error("bad tick")),
    );
    let caught: unknown;
    await runToSink(failing$, sink, { scheduler, wall: realWall, fastUntil: START + 1 }).catch(
      (error: unknown) => (caught = error),
    );
    expect((caught as Error).message).to.equal("bad tick");
    expect(sink.got).to.have.length(1);
    expect(sink.closedWith).to.equal(10_000);
  });

  it("should stop when the sink's reader goes away", async () => {
    const scheduler = new SimulatedScheduler(START);
    const sink = new MemorySink();
    // Endless with a timer always pending (a source with nothing scheduled is over, for the driver), one a simulated second.
    const endless$ = timer(0, 1000, scheduler).pipe(map(() => record(START)));
    let ended = false;
    const done = runToSink(endless$, sink, { scheduler, wall: realWall }).finally(() => (ended = true));
    await until("the first record", 10_000, () => sink.got.length === 1, 5);
    await new Promise((r) => setImmediate(r));
    // An endless source: the run must still be going until its reader leaves.
    expect(ended, "the run ended before its reader left").to.equal(false);
    sink.readerLeaves();
    const totals = await done;
    expect(totals.produced).to.equal(1);
  });
});
