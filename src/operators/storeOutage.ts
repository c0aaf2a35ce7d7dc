import { map, type MonoTypeOperatorFunction } from "rxjs";
import type { Tick } from "../model/tick.js";
import { within, type Window } from "../model/window.js";

/**
 * Closes a store for a window: its ticks in [at, at + duration) produce nothing
 * for it (other stores carry on; receipts on their way, and the exits of visits
 * begun before it, still arrive).
 *
 * @example
 * // storeOutage({ store: "S001", at: 10, duration: 10 }):
 * // ticks:  a---------b---------c
 * // result: a---------B---------c     (B: S001 closed)
 */
export function storeOutage({ store, ...window }: Window & { store: string }): MonoTypeOperatorFunction<Tick> {
  return map((tick) =>
    within(window, tick.time) ? { ...tick, closed: new Set([...(tick.closed ?? []), store]) } : tick,
  );
}
