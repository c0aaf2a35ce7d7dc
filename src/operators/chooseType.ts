import { map, type OperatorFunction } from "rxjs";
import type { WeightedType } from "../model/events.js";
import { typeSampler, type Weights } from "../model/weights.js";
import type { Rng } from "../random/rng.js";

/**
 * Maps each value of the source to an event type drawn with `weights`.
 *
 * @param weights relative weight per type, normalised; validated (a `RangeError` when unusable);
 *   or a function giving the weights in force, read at each value (a new object: a new mix)
 * @param clocked the generator to draw from
 *
 * @example
 * // weights { sale: 1, price_change: 1 }, rng yields 0.2, 0.7:
 * // source: a b|
 * // result: s p|    (s = "sale", p = "price_change")
 */
export function chooseType<T>(
  weights: Weights | (() => Weights),
  { rng }: { rng: Rng },
): OperatorFunction<T, WeightedType> {
  if (typeof weights !== "function") {
    const sample = typeSampler(weights, rng);
    return map(() => sample());
  }
  let current: { weights: Weights; sample: () => WeightedType } | undefined;
  return map(() => {
    const now = weights();
    if (current?.weights !== now) current = { weights: now, sample: typeSampler(now, rng) };
    return current.sample();
  });
}
