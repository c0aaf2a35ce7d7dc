import type { MonoTypeOperatorFunction } from "rxjs";
import { uniformArrivals } from "../model/arrivals.js";
import type { Clocked } from "./clocked.js";
import { paced } from "./paced.js";

/**
 * Spaces the values of the source: the first passes at once, each next one a
 * fresh gap after the one before, drawn uniformly from [minMs, maxMs] and
 * rounded to whole milliseconds. `minMs === maxMs` is a fixed interval; `0, 0`
 * is as fast as the scheduler runs. Values wait, none is dropped: a source that
 * outruns the gaps queues, so feed it one that emits on demand (as
 * `retailEvents$` does).
 *
 * @param minMs shortest gap, ms (≥ 0)
 * @param maxMs longest gap, ms (≥ minMs)
 * @param clocked the generator for the gaps and the scheduler that waits them
 *
 * @example
 * // rng yields 0, 0.5 with minMs 10, maxMs 20:
 * // source: (abc|)
 * // result: a 9ms b 14ms (c|)     gaps 10, 15
 */
export function randomDelay<T>(minMs: number, maxMs: number, clocked: Clocked): MonoTypeOperatorFunction<T> {
  if (!(Number.isFinite(minMs) && Number.isFinite(maxMs) && minMs >= 0 && maxMs >= minMs)) {
    throw new RangeError(`randomDelay needs 0 ≤ min ≤ max, got ${minMs}, ${maxMs}`);
  }
  return paced(uniformArrivals(minMs, maxMs), clocked);
}
