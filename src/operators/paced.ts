import { Observable, asyncScheduler, type MonoTypeOperatorFunction, type Subscription } from "rxjs";
import type { ArrivalModel } from "../model/arrivals.js";
import type { Clocked } from "./clocked.js";

/**
 * Spaces the values of the source by an arrival model: the first passes at
 * once, each next one a gap after the one before, drawn by `arrivals` at the
 * scheduler's time. Values wait, none is dropped.
 *
 * @param arrivals the gap model (uniform, Poisson, fixed, shaped by a rate curve)
 * @param clocked the generator for the gaps and the scheduler that waits them
 * @param first `"now"` (default) lets the first value pass at once; `"drawn"` makes it
 *   wait a gap too, so a rate curve that is 0 at the start (a closed night) holds it back
 *
 * @example
 * // fixedArrivals(5):
 * // source: (abc|)
 * // result: a 4ms b 4ms (c|)
 */
export function paced<T>(
  arrivals: ArrivalModel,
  { rng, scheduler = asyncScheduler }: Clocked,
  first: "now" | "drawn" = "now",
): MonoTypeOperatorFunction<T> {
  // What `concatMap((v, i) => i === 0 ? of(v) : timer(gap, scheduler).pipe(map(() => v)))` does — one value at a
  // time, its gap drawn when the one before has gone — with one scheduled action per value instead of an inner
  // observable, timer and subscriptions (at full speed, one per primary event).
  return (source) =>
    new Observable<T>((subscriber) => {
      const waiting: T[] = [];
      let active = false;
      let index = 0;
      let ended = false;
      let due: Subscription | undefined;
      const pass = (value: T): void => {
        due = undefined;
        subscriber.next(value);
        active = false;
        // (values may be undefined: a demand signal's are)
        if (waiting.length > 0) start(waiting.shift() as T);
        else if (ended) subscriber.complete();
      };
      const start = (value: T): void => {
        active = true;
        if (index++ === 0 && first === "now") return pass(value);
        let gap: number;
        try {
          gap = arrivals(rng, scheduler.now());
        } catch (error) {
          // A model that cannot draw (a curve that stays at 0) ends the stream with its error, as a throwing project does.
          return subscriber.error(error);
        }
        due = scheduler.schedule(() => pass(value), gap < 0 ? 0 : gap);
      };
      const upstream = source.subscribe({
        next: (value) => (active ? void waiting.push(value) : start(value)),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          ended = true;
          if (!active && waiting.length === 0) subscriber.complete();
        },
      });
      return () => {
        upstream.unsubscribe();
        due?.unsubscribe();
      };
    });
}
