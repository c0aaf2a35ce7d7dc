import type { Observable } from "rxjs";
import { Driver, type WallClock } from "../clock/driver.js";
import type { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import type { OutRecord } from "../wire/envelope.js";
import type { DeliveryTotals, Sink } from "../sinks/sink.js";

/** How `runToSink` drives the pipeline: its scheduler, the wall clock, speed, backfill span and hooks. */
export interface RunToSinkOptions {
  scheduler: SimulatedScheduler;
  wall: WallClock;
  /** Simulated ms per wall ms (default 1). */
  speed?: number;
  /** Run everything before this simulated time at once (a backfill); pace the rest. */
  fastUntil?: number;
  /** Seconds to wait for deliveries at the end (default 10). */
  flushTimeoutS?: number;
  /** Called with each record once the sink has it. */
  onRecord?: (record: OutRecord) => void;
  /** Called with the driver before anything runs: to stop it (signals) or watch it (stats, progress). */
  onDriver?: (driver: Driver) => void;
}

/**
 * Runs a pipeline of envelopes into a sink under a `Driver`, to completion:
 * the source's end, `driver.stop()` (a signal), or the sink closing. Then
 * flushes the sink.
 *
 * @param records$ the envelopes, scheduled on `options.scheduler`
 * @param sink where they go; its backpressure holds the driver
 * @param options the scheduler, the wall clock, speed and backfill span
 * @returns the delivery totals; a pipeline error rejects (after the flush)
 */
export async function runToSink(
  records$: Observable<OutRecord>,
  sink: Sink,
  options: RunToSinkOptions,
): Promise<DeliveryTotals> {
  const anchor = options.fastUntil ?? options.scheduler.now();
  const driver = new Driver(options.scheduler, {
    wall: options.wall,
    speed: options.speed,
    anchor,
    fastUntil: options.fastUntil,
    backpressure: sink,
  });
  options.onDriver?.(driver);
  let failure: unknown;
  const subscription = records$.subscribe({
    next: (record) => {
      sink.write(record);
      options.onRecord?.(record);
    },
    error: (error: unknown) => {
      failure = error;
      driver.stop();
    },
    complete: () => driver.stop(),
  });
  sink.onClosed(() => driver.stop());
  await driver.start().done;
  subscription.unsubscribe();
  const totals = await sink.close((options.flushTimeoutS ?? 10) * 1000);
  if (failure !== undefined) throw failure;
  return totals;
}
