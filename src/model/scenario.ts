import type { OperatorFunction } from "rxjs";
import { flashSale } from "../operators/flashSale.js";
import { storeOutage } from "../operators/storeOutage.js";
import { surge } from "../operators/surge.js";
import { shapedArrivals, type ArrivalModel } from "./arrivals.js";
import type { Chain, Store } from "./chain.js";
import type { StoreWeight } from "./factory.js";
import { chainMultiplier, curvePeak, curveProblems, localMultiplier, type RateCurve } from "./rateCurve.js";
import type { Tick } from "./tick.js";

/** A scenario as data (JSON): a rate, its curve over time, and dated happenings. */
export interface Scenario {
  description?: string;
  /** Primary events per minute where the curve is 1. */
  rate: number;
  curve: RateCurve;
  flashSales?: Array<{ at: string; durationMinutes: number; category: string; discount: number; demandFactor: number }>;
  outages?: Array<{ store: string; at: string; durationMinutes: number }>;
  surges?: Array<{ factor: number; at: string; durationMinutes: number }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every problem of a scenario, each naming its field; empty when usable. */
export function scenarioProblems(data: unknown, where: string, chain: Chain): string[] {
  if (!isObject(data)) return [`${where}: a scenario must be a JSON object`];
  const problems: string[] = [];
  const known = ["description", "rate", "curve", "flashSales", "outages", "surges"];
  for (const key of Object.keys(data)) if (!known.includes(key)) problems.push(`${where}: unknown field "${key}" (known: ${known.join(", ")})`);
  if (typeof data.rate !== "number" || !(data.rate > 0)) problems.push(`${where}: rate must be a number > 0 (events per minute), got ${JSON.stringify(data.rate)}`);
  problems.push(...curveProblems(data.curve, `${where}: curve`));
  const list = (name: string, check: (item: Record<string, unknown>, at: string) => void): void => {
    const items = data[name];
    if (items === undefined) return;
    if (!Array.isArray(items)) return void problems.push(`${where}: ${name} must be a list`);
    items.forEach((item, i) => (isObject(item) ? check(item, `${where}: ${name}[${i}]`) : problems.push(`${where}: ${name}[${i}] must be an object`)));
  };
  const window = (item: Record<string, unknown>, at: string): void => {
    if (typeof item.at !== "string" || !Number.isFinite(Date.parse(item.at))) problems.push(`${at}.at must be an ISO 8601 time, got ${JSON.stringify(item.at)}`);
    if (typeof item.durationMinutes !== "number" || !(item.durationMinutes > 0)) problems.push(`${at}.durationMinutes must be a number > 0`);
  };
  const categories = new Set(chain.products.map((p) => p.category));
  list("flashSales", (item, at) => {
    window(item, at);
    if (typeof item.category !== "string" || !categories.has(item.category)) problems.push(`${at}.category must be one of ${[...categories].join(", ")}, got ${JSON.stringify(item.category)}`);
    if (typeof item.discount !== "number" || !(item.discount > 0 && item.discount < 1)) problems.push(`${at}.discount must be in (0, 1), got ${JSON.stringify(item.discount)}`);
    if (typeof item.demandFactor !== "number" || !(item.demandFactor >= 1)) problems.push(`${at}.demandFactor must be a number ≥ 1, got ${JSON.stringify(item.demandFactor)}`);
  });
  const stores = new Set(chain.stores.map((s) => s.store_id));
  list("outages", (item, at) => {
    window(item, at);
    if (typeof item.store !== "string" || !stores.has(item.store)) problems.push(`${at}.store must be a store id of the chain, got ${JSON.stringify(item.store)}`);
  });
  list("surges", (item, at) => {
    window(item, at);
    if (typeof item.factor !== "number" || !(item.factor > 0)) problems.push(`${at}.factor must be a number > 0, got ${JSON.stringify(item.factor)}`);
  });
  return problems;
}

/** What a scenario gives `retailEvents$`: arrivals shaped by its curve, store weights, and its tick operators. */
export function scenarioOptions(scenario: Scenario, chain: Chain, stores: readonly Store[], rate = scenario.rate): {
  arrivals: ArrivalModel; storeWeight: StoreWeight; scenario: OperatorFunction<Tick, Tick>; first: "drawn";
} {
  const minutes = (m: number): number => m * 60_000;
  const operators: Array<OperatorFunction<Tick, Tick>> = [
    ...(scenario.flashSales ?? []).map((f) => flashSale({
      at: Date.parse(f.at), duration: minutes(f.durationMinutes), category: f.category, discount: f.discount, demandFactor: f.demandFactor,
      share: chain.products.filter((p) => p.category === f.category).length / chain.products.length,
    })),
    ...(scenario.outages ?? []).map((o) => storeOutage({ store: o.store, at: Date.parse(o.at), duration: minutes(o.durationMinutes) })),
    ...(scenario.surges ?? []).map((s) => surge(s.factor, { at: Date.parse(s.at), duration: minutes(s.durationMinutes) })),
  ];
  return {
    arrivals: shapedArrivals(rate, chainMultiplier(scenario.curve, stores), curvePeak(scenario.curve)),
    storeWeight: (store, time) => localMultiplier(scenario.curve, store.timezone, time),
    scenario: (ticks) => operators.reduce((stream, op) => stream.pipe(op), ticks),
    // Even the first event follows the curve: a run that starts at night waits for the morning.
    first: "drawn",
  };
}

/** Dated happenings of a scenario that fall outside [from, to): worth a warning. */
export function outsideSpan(scenario: Scenario, from: number, to: number): string[] {
  const all = [
    ...(scenario.flashSales ?? []).map((f) => ({ what: `flash sale on ${f.category}`, ...f })),
    ...(scenario.outages ?? []).map((o) => ({ what: `outage of ${o.store}`, ...o })),
    ...(scenario.surges ?? []).map((s) => ({ what: `surge ×${s.factor}`, ...s })),
  ];
  return all.filter((h) => Date.parse(h.at) >= to || Date.parse(h.at) + h.durationMinutes * 60_000 <= from)
    .map((h) => `${h.what} at ${h.at} is outside the run (${new Date(from).toISOString()} → ${new Date(to).toISOString()})`);
}

