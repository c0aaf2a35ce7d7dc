import { mergeMap, of, type MonoTypeOperatorFunction } from "rxjs";
import type { Tick } from "../model/tick.js";
import { copies, within, type Window } from "../model/window.js";

/**
 * Multiplies the traffic by `factor` within a window: each tick in it becomes
 * `factor` ticks on average (a fraction by a draw from the run's generator).
 *
 * @example
 * // surge(2, { at: 10, duration: 10 }):
 * // ticks:  a---------b---------c
 * // result: a---------(bb)------c
 */
export function surge(factor: number, window: Window): MonoTypeOperatorFunction<Tick> {
  if (!(factor > 0 && Number.isFinite(factor))) throw new RangeError(`surge factor must be > 0, got ${factor}`);
  return mergeMap((tick) =>
    within(window, tick.time) ? of(...copies(tick, factor, () => tick.rng.next())) : of(tick),
  );
}
