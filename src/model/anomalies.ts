// Anomalies on purpose, each with its label: the kinds a detector is trained and scored on. A scenario asks for
// them (dated, or at a rate a day); the episodes are planned from the run's seed before it starts, alike in every
// shard, and the model acts them out in the store they hit, keeping its stock, prices and payments consistent.
import { codeFrom } from "../random/ids.js";
import { rngOf, type Rng } from "../random/rng.js";
import type { Chain, Store } from "./chain.js";
import { isOnline, isOpen } from "./hours.js";

export const ANOMALY_KINDS = ["shrinkage", "card_testing", "stockout", "pricing_error", "demand_spike"] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** A scenario's anomalies of one kind: one dated episode (`at`), or episodes at a rate a day (`perDay`). */
export interface AnomalySpec {
  kind: AnomalyKind;
  /** When a single episode starts (ISO, or `day+N` as other happenings). */
  at?: string;
  /** Episodes a day on average (Poisson), each at a drawn time, store and product. */
  perDay?: number;
  durationMinutes?: number;
  /** The store it hits (default drawn; card testing prefers the online shop). */
  store?: string;
  /** The product it hits (shrinkage, stock-outs, pricing errors, demand spikes; default drawn). */
  product?: string;
  /** How many acts the episode has: thefts, card tries, extra sales (default by kind). */
  acts?: number;
  /** A pricing error's price as a share of the price in force (default 0.1). */
  priceFactor?: number;
}

/** What each kind does by default: how long, and how many acts. */
export const ANOMALY_DEFAULTS: Readonly<Record<AnomalyKind, { minutes: number; acts: number }>> = {
  shrinkage: { minutes: 120, acts: 20 },
  card_testing: { minutes: 20, acts: 30 },
  // Longer than the 4 h lead time: the delivery is late.
  stockout: { minutes: 1440, acts: 0 },
  pricing_error: { minutes: 180, acts: 6 },
  demand_spike: { minutes: 120, acts: 40 },
};

/** One planned episode: where (store and product indexes of the chain), when, and the times of its acts. */
export interface Episode {
  id: string;
  kind: AnomalyKind;
  start: number;
  end: number;
  store: number;
  product: number;
  /** Simulated times of its acts, in order. */
  acts: readonly number[];
  /** Card testing's card holder (one account tries them all). */
  customer?: string;
  /** A pricing error's share of the price in force. */
  priceFactor?: number;
}

/** A label row: which anomaly, when and where, and the events that show it. */
export interface AnomalyLabel {
  label_id: string;
  kind: AnomalyKind;
  start_time: string;
  end_time: string;
  store_id: string;
  product_id: string | null;
  customer_id: string | null;
  /** What it was, in words (a pricing error's factor, a stock-out's held delivery). */
  detail: string;
  event_ids: string[];
  events: number;
}

const DAY_MS = 86_400_000;

/** The kinds that happen where shoppers are: planned at times their store's doors are open. */
const SHOPPERS: ReadonlySet<AnomalyKind> = new Set(["shrinkage", "pricing_error", "demand_spike"]);

/** A Poisson draw (Knuth's, fine for the small means of episodes a day). */
function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k += 1;
  return k;
}

/**
 * The episodes of `specs` over [from, to), in start order: dated ones where they are, rated ones drawn day by day
 * from the run's seed (not from its stream's generator, so a run without anomalies makes the stream it made).
 */
export function planEpisodes(
  specs: readonly AnomalySpec[],
  chain: Chain,
  { seed, from, to }: { seed: number; from: number; to: number },
): Episode[] {
  const episodes: Episode[] = [];
  const storeIndex = (id: string): number => chain.stores.findIndex((s) => s.store_id === id);
  const productIndex = (sku: string): number => chain.products.findIndex((p) => p.sku === sku);
  const online = chain.stores.flatMap((s, i) => (s.channel === "online" ? [i] : []));
  // Shoppers make spikes and pricing errors (the online shop's never close), and shoplifters come in with them
  // (through a store's doors only): those pick stores that serve at the time.
  const serving = (kind: AnomalyKind, store: number, time: number): boolean => {
    const at = chain.stores[store] as Store;
    if (!SHOPPERS.has(kind)) return true;
    return isOnline(at) ? kind !== "shrinkage" : isOpen(at, time);
  };
  const doorsOpen = (time: number): boolean => chain.stores.some((s) => !isOnline(s) && isOpen(s, time));
  specs.forEach((spec, n) => {
    const { minutes, acts: defaultActs } = ANOMALY_DEFAULTS[spec.kind];
    const duration = (spec.durationMinutes ?? minutes) * 60_000;
    const plan = (start: number, rng: Rng, index: number): Episode => {
      const open = chain.stores.flatMap((_, i) => (serving(spec.kind, i, start) ? [i] : []));
      const drawnStore =
        spec.kind === "card_testing" && online.length > 0
          ? (online[Math.floor(rng.next() * online.length)] as number)
          : (open[Math.floor(rng.next() * open.length)] ?? Math.floor(rng.next() * chain.stores.length));
      const product =
        spec.product === undefined ? Math.floor(rng.next() * chain.products.length) : productIndex(spec.product);
      const count = spec.acts ?? defaultActs;
      const acts = Array.from({ length: count }, () => start + Math.floor(rng.next() * duration)).sort((a, b) => a - b);
      return {
        id: `A-${spec.kind}-${new Date(start).toISOString().slice(0, 10)}-${n}-${index}`,
        kind: spec.kind,
        start,
        end: start + duration,
        store: spec.store === undefined ? drawnStore : storeIndex(spec.store),
        product,
        acts,
        ...(spec.kind === "card_testing" ? { customer: `W-${codeFrom(rng, 8)}` } : {}),
        ...(spec.kind === "pricing_error" ? { priceFactor: spec.priceFactor ?? 0.1 } : {}),
      };
    };
    if (spec.at !== undefined) {
      const start = Date.parse(spec.at);
      if (start + duration > from && start < to) episodes.push(plan(start, rngOf(seed, `anomaly ${n} ${start}`), 0));
      return;
    }
    const named = spec.store === undefined ? undefined : storeIndex(spec.store);
    const servedAt = (time: number): boolean =>
      named === undefined ? !SHOPPERS.has(spec.kind) || doorsOpen(time) : serving(spec.kind, named, time);
    const perDay = spec.perDay ?? 0;
    for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) {
      const rng = rngOf(seed, `anomaly ${n} ${day}`);
      const count = poisson(rng, perDay);
      for (let i = 0; i < count; i += 1) {
        // A time its store (or, unnamed, some store) serves at: drawn again while none does, a few times at most.
        let start = day + Math.floor(rng.next() * DAY_MS);
        for (let tries = 0; tries < 24 && !servedAt(start); tries += 1) start = day + Math.floor(rng.next() * DAY_MS);
        if (start >= from && start < to) episodes.push(plan(start, rng, i));
      }
    }
  });
  return episodes.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
}
