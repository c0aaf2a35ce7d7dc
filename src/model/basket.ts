import type { Rng } from "../random/rng.js";

/** Units per sale line by category: groceries go in twos and sixes, a television goes alone. Weights of 1, 2, 3, … units. */
const QUANTITY_WEIGHTS: Record<string, readonly number[]> = {
  Grocery: [35, 25, 15, 10, 8, 7],
  Beverages: [30, 25, 15, 12, 10, 8],
  Household: [50, 25, 12, 8, 5],
  "Personal Care": [55, 25, 12, 8],
  Apparel: [65, 25, 10],
  Footwear: [90, 10],
  Electronics: [92, 8],
  "Home & Kitchen": [75, 18, 7],
  Toys: [70, 22, 8],
  Sports: [75, 18, 7],
  Garden: [60, 22, 10, 8],
  Books: [75, 18, 7],
};
/** Any other category: mostly one, sometimes a few. */
const DEFAULT_WEIGHTS = [60, 22, 10, 5, 3];

const weightsOf = (category: string): readonly number[] => QUANTITY_WEIGHTS[category] ?? DEFAULT_WEIGHTS;

/** Draws 1, 2, 3, … by `weights` (of 1, 2, 3, …). */
function drawCount(weights: readonly number[], rng: Rng): number {
  let draw = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i += 1) {
    draw -= weights[i] as number;
    if (draw < 0) return i + 1;
  }
  return weights.length;
}

/** Draws how many units of a product of `category` one sale takes. */
export function drawQuantity(category: string, rng: Rng): number {
  return drawCount(weightsOf(category), rng);
}

/** The mean units per sale of `category`. */
export function meanQuantity(category: string): number {
  const weights = weightsOf(category);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.reduce((sum, w, i) => sum + w * (i + 1), 0) / total;
}

/**
 * Lines per checkout (schema version 2), weights of 1, 2, 3, … lines: a store's
 * shoppers fill a basket (a mean near 3.4 lines, a long tail); an online order is
 * smaller (a mean near 2.4).
 */
const BASKET_WEIGHTS: Record<"store" | "online", readonly number[]> = {
  store: [24, 19, 15, 11, 9, 7, 5, 4, 3, 2, 1],
  online: [40, 24, 14, 9, 6, 4, 3],
};

/** Draws how many distinct products a checkout of `channel` takes. */
export function drawBasketSize(channel: "store" | "online", rng: Rng): number {
  return drawCount(BASKET_WEIGHTS[channel], rng);
}

/** The mean lines per checkout of `channel`. */
export function meanBasketSize(channel: "store" | "online"): number {
  const weights = BASKET_WEIGHTS[channel];
  return weights.reduce((sum, w, i) => sum + w * (i + 1), 0) / weights.reduce((a, b) => a + b, 0);
}
