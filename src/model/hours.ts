import type { Store } from "./chain.js";
import { zoneOffset } from "./rateCurve.js";

const parsed = new Map<string, number>();
/** Minutes after midnight of `HH:MM` (parsed once per distinct text). */
function minutes(hhmm: string): number {
  let value = parsed.get(hhmm);
  if (value === undefined) parsed.set(hhmm, (value = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))));
  return value;
}

/** Whether a store serves customers at `time`: an online shop always, a physical store within its local opening hours. */
export function isOpen(store: Store, time: number): boolean {
  if (store.channel === "online" || store.opening_hours === undefined) return true;
  const local = time + zoneOffset(store.timezone, time);
  const minute = Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  return minute >= minutes(store.opening_hours.open) && minute < minutes(store.opening_hours.close);
}

/**
 * When a physical store that is open at `time` next closes (epoch ms, by its local
 * opening hours); undefined for an online shop or a store without hours.
 */
export function closesAt(store: Store, time: number): number | undefined {
  if (store.channel === "online" || store.opening_hours === undefined) return undefined;
  const local = time + zoneOffset(store.timezone, time);
  const intoDay = ((local % 86_400_000) + 86_400_000) % 86_400_000;
  const close = minutes(store.opening_hours.close) * 60_000;
  return time + (close > intoDay ? close - intoDay : close + 86_400_000 - intoDay);
}

/** When a physical store closed at `time` next opens (epoch ms); `time` itself when it is open. */
export function opensAfter(store: Store, time: number): number {
  if (isOpen(store, time) || store.opening_hours === undefined) return time;
  const local = time + zoneOffset(store.timezone, time);
  const intoDay = ((local % 86_400_000) + 86_400_000) % 86_400_000;
  const open = minutes(store.opening_hours.open) * 60_000;
  return time + (open > intoDay ? open - intoDay : open + 86_400_000 - intoDay);
}

/** Whether a store is the online shop. */
export function isOnline(store: Store): boolean {
  return store.channel === "online";
}

/** The default share of an online shop while physical stores are open. */
export const DEFAULT_ONLINE_SHARE = 0.1;

/**
 * Where a customer-facing tick (a sale, a visit) can happen at `time`, as
 * chances per store index: physical stores that are open share what the online
 * shops leave; while every physical store is closed, the online shops take it
 * all. Empty when nothing serves customers (a shard without the online shop, at night).
 *
 * @param stores the chain's stores
 * @param acting indexes of the stores that may act (this shard's, minus any closed by an outage)
 * @param time simulated time
 * @param weightOf how busy a physical store is at `time` (a scenario's curve); equal by default
 */
export function servingChances(
  stores: readonly Store[],
  acting: readonly number[],
  time: number,
  weightOf?: (store: Store) => number,
): Array<[store: number, chance: number]> {
  const online = acting.filter((s) => isOnline(stores[s] as Store));
  const open = acting.filter((s) => !isOnline(stores[s] as Store) && isOpen(stores[s] as Store, time));
  const shares = online.map((s) => (stores[s] as Store).online_share ?? DEFAULT_ONLINE_SHARE);
  const onlineTotal = shares.reduce((a, b) => a + b, 0);
  let weights = open.map((s) => (weightOf === undefined ? 1 : weightOf(stores[s] as Store)));
  let physical = weights.reduce((a, b) => a + b, 0);
  if (open.length > 0 && !(physical > 0)) {
    // The curve says nobody is about, but the doors are open: equal chances.
    weights = open.map(() => 1);
    physical = open.length;
  }
  if (open.length === 0) {
    if (online.length === 0) return [];
    const total = onlineTotal > 0 ? onlineTotal : online.length;
    return online.map((s, i) => [s, (onlineTotal > 0 ? (shares[i] as number) : 1) / total]);
  }
  const onlinePart = Math.min(0.95, onlineTotal);
  return [
    ...online.map((s, i): [number, number] => [
      s,
      onlineTotal > 0 ? (onlinePart * (shares[i] as number)) / onlineTotal : 0,
    ]),
    ...open.map((s, i): [number, number] => [s, ((1 - onlinePart) * (weights[i] as number)) / physical]),
  ];
}
