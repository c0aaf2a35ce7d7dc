import type { Chain } from "./chain.js";
import { CURVE_SCHEMA, type RateCurve } from "./rateCurve.js";
import { schemaProblems } from "./validation.js";

/** A scenario as data (JSON, or the default export of an `.mjs`): a rate, its curve over time, and dated happenings. */
export interface Scenario {
  description?: string;
  /** Primary events per minute where the curve is 1. */
  rate: number;
  curve: RateCurve;
  flashSales?: Array<{ at: string; durationMinutes: number; category: string; discount: number; demandFactor: number }>;
  outages?: Array<{ store: string; at: string; durationMinutes: number }>;
  surges?: Array<{ factor: number; at: string; durationMinutes: number }>;
}

const ISO = { type: "string", description: "an ISO 8601 time with its zone (2026-11-27T09:00:00Z)", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$" };
const positive = { type: "number", exclusiveMinimum: 0 };
const happening = (required: string[], properties: Record<string, object>) => ({
  type: "array",
  items: { type: "object", additionalProperties: false, required: ["at", "durationMinutes", ...required], properties: { at: ISO, durationMinutes: positive, ...properties } },
});

/** JSON Schema of a scenario. */
const SCENARIO_SCHEMA = {
  type: "object", additionalProperties: false, required: ["rate", "curve"],
  properties: {
    description: { type: "string" },
    rate: positive,
    curve: CURVE_SCHEMA,
    flashSales: happening(["category", "discount", "demandFactor"], {
      category: { type: "string" }, discount: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 }, demandFactor: { type: "number", minimum: 1 },
    }),
    outages: happening(["store"], { store: { type: "string" } }),
    surges: happening(["factor"], { factor: positive }),
  },
} as const;

/** Every problem of a scenario, each naming its field by JSON pointer; empty when usable with `chain`. */
export function scenarioProblems(data: unknown, where: string, chain: Chain): string[] {
  const problems = schemaProblems(SCENARIO_SCHEMA, data, where);
  if (problems.length > 0) return problems;
  const scenario = data as Scenario;
  const categories = new Set(chain.products.map((p) => p.category));
  const stores = new Set(chain.stores.map((s) => s.store_id));
  const dated = (name: string, items: Array<{ at: string }> | undefined): void => items?.forEach((item, i) => {
    if (!Number.isFinite(Date.parse(item.at))) problems.push(`${where}: /${name}/${i}/at: "${item.at}" is not a real time`);
  });
  dated("flashSales", scenario.flashSales);
  dated("outages", scenario.outages);
  dated("surges", scenario.surges);
  scenario.flashSales?.forEach((f, i) => {
    if (!categories.has(f.category)) problems.push(`${where}: /flashSales/${i}/category: must be one of ${[...categories].join(", ")}, got "${f.category}"`);
  });
  scenario.outages?.forEach((o, i) => {
    if (!stores.has(o.store)) problems.push(`${where}: /outages/${i}/store: "${o.store}" is not a store of the chain`);
  });
  for (const date of Object.keys(scenario.curve.dates ?? {})) {
    if (!Number.isFinite(Date.parse(`${date}T00:00:00Z`))) problems.push(`${where}: /curve/dates/${date}: not a real date`);
  }
  return problems;
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
