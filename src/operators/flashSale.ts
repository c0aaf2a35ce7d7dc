import { defer, mergeMap, of, type MonoTypeOperatorFunction } from "rxjs";
import type { Tick } from "../model/tick.js";
import { copies, within, type Window } from "../model/window.js";

/** A flash sale: a category cut by `discount` in every open store over a window, selling `demandFactor` times faster. */
export interface FlashSale extends Window {
  /** The product category on sale. */
  category: string;
  /** Price cut, in (0, 1): 0.3 is 30% off. */
  discount: number;
  /** How many times the usual rate the category sells at during the sale (≥ 1). */
  demandFactor: number;
  /** The category's share of all products (its usual share of sales), in (0, 1]. */
  share: number;
}

/**
 * A flash sale: with the first tick at or after `at`, every open store cuts the
 * category's prices by `discount`; until `at + duration` each sale tick brings
 * extra sales of the category so it sells at about `demandFactor` times its
 * usual rate; with the first tick after the end, prices go back.
 *
 * @example
 * // ticks:  s---------s---------s-----------s
 * // result: s---------(Ps)------(ss)--------(Rs)   (P cut, R restored, extra s)
 */
export function flashSale(sale: FlashSale): MonoTypeOperatorFunction<Tick> {
  if (!(sale.discount > 0 && sale.discount < 1))
    throw new RangeError(`flash sale discount must be in (0, 1), got ${sale.discount}`);
  if (!(sale.demandFactor >= 1)) throw new RangeError(`flash sale demand factor must be ≥ 1, got ${sale.demandFactor}`);
  const id = `${sale.category}@${sale.at}`;
  return (ticks) =>
    defer(() => {
      let phase: "before" | "on" | "over" = "before";
      return ticks.pipe(
        mergeMap((tick) => {
          const out: Tick[] = [];
          const reprice = (p: "start" | "end"): Tick => ({
            ...tick,
            reprice: { id, category: sale.category, discount: sale.discount, phase: p },
          });
          // A sale that ended before the run reached it is over: nothing to cut, nothing to restore.
          if (phase === "before" && tick.time >= sale.at + sale.duration) phase = "over";
          if (phase === "before" && tick.time >= sale.at) {
            phase = "on";
            out.push(reprice("start"));
          }
          if (phase === "on" && !within(sale, tick.time)) {
            phase = "over";
            out.push(reprice("end"));
          }
          out.push(tick);
          if (phase === "on" && tick.type === "sale") {
            out.push(
              ...copies({ ...tick, category: sale.category }, (sale.demandFactor - 1) * sale.share, () =>
                tick.rng.next(),
              ),
            );
          }
          return of(...out);
        }),
      );
    });
}
