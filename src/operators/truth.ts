import { Observable, Subscription, asyncScheduler, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { Store } from "../model/chain.js";
import type { RetailEvent } from "../model/events.js";
import { WindowTruth, windowStart, type TruthRow } from "../model/truth.js";

/** The stores the truth speaks of, the shard that wrote it and the clock that closes windows. */
export interface TruthOptions {
  /** The stores acting in this run (a shard's stores): their channels, and the channel rows. */
  stores: readonly Store[];
  /** `i/N` of a shard's run, else `all`. */
  shard?: string;
  scheduler?: SchedulerLike;
  /** A product's category, for the category rows (schema version 2). */
  categoryOf?: (product: string) => string | undefined;
}

/**
 * The ground truth of a stream of events: per tumbling event-time window of
 * `windowMs` (aligned to the epoch), the rows of `WindowTruth` — per store,
 * per channel, for the chain — emitted when the window closes on the clock,
 * and those of the window under way (marked incomplete) when the source ends.
 * Computed from the very events that pass, in their window by `event_time`.
 *
 * @param windowMs length of a window, ms
 * @param options the stores, the shard label and the scheduler
 *
 * @example
 * // windowMs 10; a, b in the first window, c in the second:
 * // source: a 4ms b 6ms c 2ms |
 * // result: ---------- W ----- (V|)   (W = first window's rows, V = second's, incomplete)
 */
export function truth(
  windowMs: number,
  { stores, shard = "all", scheduler = asyncScheduler, categoryOf }: TruthOptions,
): OperatorFunction<RetailEvent, TruthRow> {
  return (source) =>
    new Observable<TruthRow>((subscriber) => {
      const open = new Map<number, WindowTruth>();
      let next = windowStart(scheduler.now(), windowMs);
      const timers = new Subscription();
      const emit = (window: WindowTruth, complete: boolean): void => {
        for (const row of window.rows(stores, { complete, shard })) subscriber.next(row);
      };
      const windowAt = (start: number): WindowTruth => {
        let window = open.get(start);
        if (window === undefined) open.set(start, (window = new WindowTruth(start, windowMs, categoryOf)));
        return window;
      };
      // One timer at a time: at each window's end, its rows go out (an empty window says so too).
      const arm = (): void => {
        timers.add(
          scheduler.schedule(
            () => {
              for (const start of [...open.keys()].filter((s) => s < next).sort((a, b) => a - b)) {
                // An event of a window already closed (not one this generator makes): its rows again, corrected.
                emit(open.get(start) as WindowTruth, true);
                open.delete(start);
              }
              emit(windowAt(next), true);
              open.delete(next);
              next += windowMs;
              arm();
            },
            Math.max(0, next + windowMs - scheduler.now()),
          ),
        );
      };
      arm();
      const subscription = source.subscribe({
        next: (event) => windowAt(windowStart(Date.parse(event.event_time), windowMs)).add(event),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          timers.unsubscribe();
          // The window under way says what happened in it so far (unless it had only just begun).
          if (scheduler.now() > next) windowAt(next);
          for (const start of [...open.keys()].sort((a, b) => a - b))
            emit(open.get(start) as WindowTruth, start + windowMs <= scheduler.now());
          subscriber.complete();
        },
      });
      return () => {
        timers.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
