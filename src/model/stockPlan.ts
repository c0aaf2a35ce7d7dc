import type { Rng } from "../random/rng.js";
import { meanQuantity } from "./basket.js";
import type { Chain, Store } from "./chain.js";
import { servingChances } from "./hours.js";
import type { ProductPicker } from "./popularity.js";
import { type Weights, drawnWeights } from "./weights.js";

/** Stock levels per store × product cell (index `store × products + product`). */
export interface StockLevels {
  /** Stock at the start of the run. */
  start: Int32Array;
  /** At or below it, a restock alert is raised. */
  reorder: Int32Array;
  /** A receipt refills to it. */
  target: Int32Array;
}

export interface StockPlanOptions {
  chain: Chain;
  picker: ProductPicker;
  /** Every weight, the restock weight included: its share of the total is the share of restock alerts sought (5% without one). */
  weights: Weights;
  /** Primary events per simulated day. */
  perDay: number;
  leadTimeMs: number;
  /** Simulated time the run starts (a week from it is sampled for opening hours). */
  start: number;
  /** How busy a physical store is at a time (a scenario's curve). */
  storeWeight?: (store: Store, time: number) => number;
  /** Draws where in its restock cycle each cell starts, so alerts come at their rate from the first day: a store's generator. */
  rngOf: (store: number) => Rng;
  /** Lines a sale tick makes in a store: 1 (version 1), or its channel's mean basket (a version 2 checkout). */
  linesPerSale?: (store: Store) => number;
}

const HOUR = 3_600_000;
/** Restock alerts per primary event when the weights give no restock weight. */
const DEFAULT_ALERT_SHARE = 0.05;
/** The smallest shelf a store keeps: at least this many units above a reorder point of at least 2. */
const MIN_CYCLE = 6;
const MIN_REORDER = 2;
/** Units the back office writes off per inventory event, on average (damage, theft, a negative count: −1..−5 each). */
const SHRINK_PER_UPDATE = 1.75;

/**
 * Stocks each store × product from its expected demand, so that restock alerts
 * — raised only when a real stock movement crosses the reorder point — come to
 * the restock weight's share of primary events. A cell that sells `d` units per
 * primary event, stocked with `U` units above its reorder point, alerts once
 * per `U / d` primary events; `U` is the demand over a cover (in primary events)
 * chosen so that the cells together alert at the sought rate. The reorder point
 * covers the lead time's demand with half again as safety; each cell starts at a
 * drawn point of its cycle. Products with fixed `initial_stock`/`reorder_point` keep them.
 */
export function stockPlan(options: StockPlanOptions): StockLevels {
  const { chain, picker, weights, leadTimeMs, start, rngOf } = options;
  // Every store of the chain: a shard plans the stock of all alike, so its own stores' is the one process's.
  const acting = chain.stores.map((_, i) => i);
  const productCount = chain.products.length;
  const cells = chain.stores.length * productCount;
  const levels: StockLevels = {
    start: new Int32Array(cells),
    reorder: new Int32Array(cells),
    target: new Int32Array(cells),
  };

  const drawn = drawnWeights(weights);
  const drawnTotal = Object.values(drawn).reduce((a, b) => a + (b ?? 0), 0);
  const allTotal = drawnTotal + (weights.restock_alert ?? 0);
  const salesPerEvent = drawnTotal > 0 ? (drawn.sale ?? 0) / drawnTotal : 0;
  // Back-office updates fall on any cell of the acting stores alike.
  const shrinkPerCell =
    drawnTotal > 0 && acting.length > 0
      ? (((drawn.inventory_update ?? 0) / drawnTotal) * SHRINK_PER_UPDATE) / (acting.length * productCount)
      : 0;
  // Without a restock weight, the original plan's 5%.
  const alertsPerEvent =
    weights.restock_alert === undefined ? DEFAULT_ALERT_SHARE : allTotal > 0 ? weights.restock_alert / allTotal : 0;
  const eventsPerLead = (options.perDay * leadTimeMs) / 86_400_000;

  // Each store's share of sales: its chance to serve, averaged over a week of hours.
  const storeShare = new Float64Array(chain.stores.length);
  for (let h = 0; h < 168; h += 1) {
    const time = start + h * HOUR + HOUR / 2;
    const weightOf =
      options.storeWeight === undefined
        ? undefined
        : (store: Store) => (options.storeWeight as NonNullable<StockPlanOptions["storeWeight"]>)(store, time);
    for (const [s, chance] of servingChances(chain.stores, acting, time, weightOf))
      storeShare[s] = (storeShare[s] ?? 0) + chance / 168;
  }

  // Units each cell loses per primary event (sold, or written off), and by how much a crossing overshoots on average.
  const demand = new Float64Array(cells);
  // A checkout's further lines are drawn by popularity as its first is: they multiply a store's demand.
  const lines = chain.stores.map((store) => options.linesPerSale?.(store) ?? 1);
  const overshoot = new Float64Array(productCount);
  for (let p = 0; p < productCount; p += 1)
    overshoot[p] = (meanQuantity((chain.products[p] as Chain["products"][number]).category) - 1) / 2;
  for (const s of acting) {
    for (let p = 0; p < productCount; p += 1) {
      const quantity = meanQuantity((chain.products[p] as Chain["products"][number]).category);
      demand[s * productCount + p] =
        salesPerEvent * (storeShare[s] ?? 0) * lines[s]! * picker.share(s, p) * quantity + shrinkPerCell;
    }
  }

  const units = (d: number, cover: number): number => Math.max(MIN_CYCLE, Math.round(d * cover));
  // A cell alerts once per cycle, and a cycle uses its units plus the overshoot of the movement that crosses.
  const alertRate = (cover: number): number => {
    let rate = 0;
    for (const s of acting)
      for (let p = 0; p < productCount; p += 1) {
        const d = demand[s * productCount + p] as number;
        if (d > 0) rate += d / (units(d, cover) + (overshoot[p] as number));
      }
    return rate;
  };
  // The cover (in primary events) at which the cells alert at the sought rate: the rate falls as the cover grows.
  let low = 1;
  let high = 1e9;
  if (alertsPerEvent <= 0) low = high;
  for (let i = 0; i < 80 && high / low > 1.0001; i += 1) {
    const mid = Math.sqrt(low * high);
    if (alertRate(mid) > alertsPerEvent) low = mid;
    else high = mid;
  }
  const cover = high;

  for (let s = 0; s < chain.stores.length; s += 1) {
    const rng = rngOf(s);
    for (let p = 0; p < productCount; p += 1) {
      const cell = s * productCount + p;
      const product = chain.products[p] as Chain["products"][number];
      if (product.initial_stock !== undefined && product.reorder_point !== undefined) {
        levels.start[cell] = levels.target[cell] = product.initial_stock;
        levels.reorder[cell] = product.reorder_point;
        continue;
      }
      const d = demand[cell] as number;
      const cycle = units(d, cover);
      const reorder = Math.max(MIN_REORDER, Math.ceil(1.5 * d * eventsPerLead));
      levels.reorder[cell] = reorder;
      levels.target[cell] = reorder + cycle;
      levels.start[cell] = reorder + 1 + Math.floor(rng.next() * cycle);
    }
  }
  return levels;
}
