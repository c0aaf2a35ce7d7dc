import { WEIGHTED_TYPES, type WeightedType } from "./events.js";
import type { Rng } from "../random/rng.js";
import { MAX_WEIGHT } from "./limits.js";

/** Relative weights per event type; missing types weigh 0. */
export type Weights = Partial<Record<WeightedType, number>>;

/** The original plan's mix: sales 50, inventory 20, customer 15, price 10, restock 5. */
export const DEFAULT_WEIGHTS: Readonly<Record<WeightedType, number>> = {
  sale: 50,
  inventory_update: 20,
  customer_event: 15,
  price_change: 10,
  restock_alert: 5,
};

/** What is wrong with `weights`, if anything (empty when they are usable). */
export function weightProblems(weights: Weights): string[] {
  const problems: string[] = [];
  let total = 0;
  for (const [type, weight] of Object.entries(weights)) {
    if (!(WEIGHTED_TYPES as readonly string[]).includes(type)) problems.push(`unknown event type "${type}"`);
    else if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0 || weight > MAX_WEIGHT)
      problems.push(`weight of ${type} must be a number from 0 to ${MAX_WEIGHT}, got ${String(weight)}`);
    else total += weight;
  }
  if (problems.length === 0 && total <= 0) problems.push("at least one weight must be above 0");
  return problems;
}

/** The weights the source draws from: restock alerts are left to the ledger. */
export function drawnWeights(weights: Weights): Weights {
  const { restock_alert: _caused, ...drawn } = weights;
  return drawn;
}

/** A sampler that draws types in proportion to their (normalised) weights. */
export function typeSampler(weights: Weights, rng: Rng): () => WeightedType {
  const problems = weightProblems(weights);
  if (problems.length > 0) throw new RangeError(`bad weights: ${problems.join("; ")}`);
  const types = WEIGHTED_TYPES.filter((type) => (weights[type] ?? 0) > 0);
  const total = types.reduce((sum, type) => sum + (weights[type] ?? 0), 0);
  let running = 0;
  const bounds = types.map((type) => (running += (weights[type] ?? 0) / total));
  return () => {
    const draw = rng.next();
    const index = bounds.findIndex((bound) => draw < bound);
    return types[index === -1 ? types.length - 1 : index] as WeightedType;
  };
}
