import { asyncScheduler, concatMap, map, of, timer, type MonoTypeOperatorFunction } from "rxjs";
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
export function paced<T>(arrivals: ArrivalModel, { rng, scheduler = asyncScheduler }: Clocked, first: "now" | "drawn" = "now"): MonoTypeOperatorFunction<T> {
  return concatMap((value, index) => (index === 0 && first === "now" ? of(value) : timer(arrivals(rng, scheduler.now()), scheduler).pipe(map(() => value))));
}
