import { SCHEMA_VERSIONS, type SchemaVersion } from "./events.js";
import type { Chain } from "./chain.js";
import { NULLABLE, type FaultPlan } from "./faults.js";
import { CURVE_SCHEMA, type RateCurve } from "./rateCurve.js";
import { isoTimeProblem } from "./isoTime.js";
import { MAX_FACTOR, MAX_MINUTES, MAX_RATE } from "./limits.js";
import { schemaProblems } from "./validation.js";
import { parseRateProfile } from "./rateProfile.js";
import { ANOMALY_KINDS, type AnomalySpec } from "./anomalies.js";

/** A scenario as data (JSON, or the default export of an `.mjs`): a rate, its curve over time, and dated happenings. */
export interface Scenario {
  description?: string;
  /** Primary events per minute where the curve is 1. */
  rate: number;
  /** The rate over the run's time instead of `rate` (`--rate-profile`'s text; the curve still shapes it). */
  rateProfile?: string;
  curve: RateCurve;
  flashSales?: Array<{ at: string; durationMinutes: number; category: string; discount: number; demandFactor: number }>;
  outages?: Array<{ store: string; at: string; durationMinutes: number }>;
  surges?: Array<{ factor: number; at: string; durationMinutes: number }>;
  /** Schema version 3's return rates by channel (shares of checkout lines), instead of the defaults. */
  returnRates?: { store?: number; online?: number };
  /** Returns waves: lines bought in the span come back `factor` times as often (holiday gifts, in the weeks after). */
  returnWaves?: Array<{ factor: number; at: string; durationMinutes: number }>;
  /** Schema rollouts: from `at` on, events are made in `version` (a consumer's live schema change, or its rollback). */
  schemaVersions?: Array<{ at: string; version: SchemaVersion }>;
  /** Faults on purpose (transport artefacts; the truth is unchanged by them). */
  faults?: {
    duplicate?: { p: number; withinSeconds?: number };
    late?: { p: number; delayMinutes: number };
    malformed?: { p: number };
    nulls?: { p: number; fields?: string[] };
    offline?: Array<{ store: string; at: string; durationMinutes: number }>;
  };
  /** Anomalies on purpose, each written with its label: one dated episode (`at`) or episodes a day (`perDay`). */
  anomalies?: AnomalySpec[];
}

const ISO = {
  type: "string",
  description:
    "an ISO 8601 time with its zone (2026-11-27T09:00:00Z), or a time on a day of the run (day+0T19:00Z: the run's first UTC day)",
  pattern:
    "^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})|day\\+\\d+T\\d{2}:\\d{2}(:\\d{2})?Z)$",
};
const positive = { type: "number", exclusiveMinimum: 0 };
const minutes = { type: "number", exclusiveMinimum: 0, maximum: MAX_MINUTES };
const factor = { type: "number", exclusiveMinimum: 0, maximum: MAX_FACTOR };
const happening = (required: string[], properties: Record<string, object>) => ({
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["at", "durationMinutes", ...required],
    properties: { at: ISO, durationMinutes: minutes, ...properties },
  },
});

const probability = { type: "number", minimum: 0, maximum: 1 };
const fault = (properties: Record<string, object>, required: string[] = []) => ({
  type: "object",
  additionalProperties: false,
  required: ["p", ...required],
  properties: { p: probability, ...properties },
});

/** JSON Schema of a scenario. */
const SCENARIO_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["rate", "curve"],
  properties: {
    description: { type: "string" },
    rate: { type: "number", exclusiveMinimum: 0, maximum: MAX_RATE },
    rateProfile: { type: "string", description: "the rate over the run's time, as --rate-profile takes it" },
    curve: CURVE_SCHEMA,
    flashSales: happening(["category", "discount", "demandFactor"], {
      category: { type: "string" },
      discount: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
      demandFactor: { type: "number", minimum: 1, maximum: MAX_FACTOR },
    }),
    outages: happening(["store"], { store: { type: "string" } }),
    surges: happening(["factor"], { factor }),
    returnRates: {
      type: "object",
      additionalProperties: false,
      properties: {
        store: { type: "number", minimum: 0, maximum: 1 },
        online: { type: "number", minimum: 0, maximum: 1 },
      },
    },
    returnWaves: happening(["factor"], { factor }),
    schemaVersions: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["at", "version"],
        properties: { at: ISO, version: { enum: [...SCHEMA_VERSIONS] } },
      },
    },
    faults: {
      type: "object",
      additionalProperties: false,
      properties: {
        duplicate: fault({ withinSeconds: { ...positive, maximum: 86_400 } }),
        late: fault({ delayMinutes: minutes }, ["delayMinutes"]),
        malformed: fault({}),
        nulls: fault({ fields: { type: "array", minItems: 1, items: { enum: NULLABLE } } }),
        offline: happening(["store"], { store: { type: "string" } }),
      },
    },
    anomalies: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["kind"],
        properties: {
          kind: { enum: [...ANOMALY_KINDS] },
          at: ISO,
          perDay: { type: "number", minimum: 0, maximum: 1000 },
          durationMinutes: minutes,
          store: { type: "string" },
          product: { type: "string" },
          acts: { type: "integer", minimum: 0, maximum: 100_000 },
          priceFactor: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
        },
      },
    },
  },
} as const;

const RELATIVE_TIME = /^day\+(\d+)T(\d{2}:\d{2}(?::\d{2})?)Z$/;
const RELATIVE_DAY = /^day\+(\d+)$/;
const DAY_MS = 86_400_000;

/**
 * A scenario dated for a run that starts at `start`: its times on a day of the run (`day+1T09:00Z`)
 * and its curve's days (`day+0`) become dates, counted from the run's first UTC day; absolute ones stay.
 */
export function datedFor(scenario: Scenario, start: number): Scenario {
  const first = Math.floor(start / DAY_MS) * DAY_MS;
  const day = (n: string): string => new Date(first + Number(n) * DAY_MS).toISOString().slice(0, 10);
  const at = <T extends { at: string }>(item: T): T => {
    const match = RELATIVE_TIME.exec(item.at);
    return match === null
      ? item
      : { ...item, at: `${day(match[1] as string)}T${match[2]}${(match[2] as string).length === 5 ? ":00" : ""}Z` };
  };
  const dates =
    scenario.curve.dates === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(scenario.curve.dates).map(([key, value]) => [
            RELATIVE_DAY.test(key) ? day((RELATIVE_DAY.exec(key) as RegExpExecArray)[1] as string) : key,
            value,
          ]),
        );
  return {
    ...scenario,
    curve: dates === undefined ? scenario.curve : { ...scenario.curve, dates },
    ...(scenario.flashSales === undefined ? {} : { flashSales: scenario.flashSales.map(at) }),
    ...(scenario.outages === undefined ? {} : { outages: scenario.outages.map(at) }),
    ...(scenario.surges === undefined ? {} : { surges: scenario.surges.map(at) }),
    ...(scenario.returnWaves === undefined ? {} : { returnWaves: scenario.returnWaves.map(at) }),
    ...(scenario.schemaVersions === undefined ? {} : { schemaVersions: scenario.schemaVersions.map(at) }),
    ...(scenario.faults?.offline === undefined
      ? {}
      : { faults: { ...scenario.faults, offline: scenario.faults.offline.map(at) } }),
    ...(scenario.anomalies === undefined
      ? {}
      : { anomalies: scenario.anomalies.map((a) => (a.at === undefined ? a : at(a as AnomalySpec & { at: string }))) }),
  };
}

/** Every problem of a scenario, each naming its field by JSON pointer; empty when usable with `chain`. */
export function scenarioProblems(data: unknown, where: string, chain: Chain): string[] {
  const problems = schemaProblems(SCENARIO_SCHEMA, data, where);
  if (problems.length > 0) return problems;
  // Relative dates are checked as they would be on any run's days.
  const scenario = datedFor(data as Scenario, 0);
  const categories = new Set(chain.products.map((p) => p.category));
  const stores = new Set(chain.stores.map((s) => s.store_id));
  const dated = (name: string, items: Array<{ at: string }> | undefined): void =>
    items?.forEach((item, i) => {
      const problem = isoTimeProblem(item.at);
      if (problem !== undefined) problems.push(`${where}: /${name}/${i}/at: "${item.at}" ${problem}`);
    });
  dated("flashSales", scenario.flashSales);
  dated("outages", scenario.outages);
  if (scenario.rateProfile !== undefined) {
    const profile = parseRateProfile(scenario.rateProfile);
    if (typeof profile === "string") problems.push(`${where}: /rateProfile: ${profile}`);
  }
  dated("surges", scenario.surges);
  dated("returnWaves", scenario.returnWaves);
  dated("schemaVersions", scenario.schemaVersions);
  scenario.flashSales?.forEach((f, i) => {
    if (!categories.has(f.category))
      problems.push(
        `${where}: /flashSales/${i}/category: must be one of ${[...categories].join(", ")}, got "${f.category}"`,
      );
  });
  scenario.outages?.forEach((o, i) => {
    if (!stores.has(o.store)) problems.push(`${where}: /outages/${i}/store: "${o.store}" is not a store of the chain`);
  });
  dated("faults/offline", scenario.faults?.offline);
  scenario.faults?.offline?.forEach((o, i) => {
    if (!stores.has(o.store))
      problems.push(`${where}: /faults/offline/${i}/store: "${o.store}" is not a store of the chain`);
  });
  anomalyProblems(scenario.anomalies ?? [], chain).forEach((problem) => problems.push(`${where}: ${problem}`));
  for (const date of Object.keys(scenario.curve.dates ?? {})) {
    const problem = isoTimeProblem(date);
    if (problem !== undefined) problems.push(`${where}: /curve/dates/${date}: ${problem}`);
  }
  return problems;
}

/** What is wrong with a scenario's anomalies against `chain`: each names its field by JSON pointer. */
function anomalyProblems(anomalies: readonly AnomalySpec[], chain: Chain): string[] {
  const problems: string[] = [];
  anomalies.forEach((a, i) => {
    const field = `/anomalies/${i}`;
    if ((a.at === undefined) === (a.perDay === undefined))
      problems.push(`${field}: needs exactly one of "at" (one episode) and "perDay" (episodes a day)`);
    if (a.at !== undefined) {
      const problem = isoTimeProblem(a.at);
      if (problem !== undefined) problems.push(`${field}/at: "${a.at}" ${problem}`);
    }
    if (a.store !== undefined && !chain.stores.some((s) => s.store_id === a.store))
      problems.push(`${field}/store: "${a.store}" is not a store of the chain`);
    if (a.product !== undefined && !chain.products.some((p) => p.sku === a.product))
      problems.push(`${field}/product: "${a.product}" is not a product of the chain`);
    if (a.kind === "card_testing" && a.product !== undefined)
      problems.push(`${field}/product: card testing tries payments, not a product; drop it`);
  });
  return problems;
}

/** Dated happenings of a scenario that fall outside [from, to): worth a warning. */
export function outsideSpan(scenario: Scenario, from: number, to: number): string[] {
  const all = [
    ...(scenario.flashSales ?? []).map((f) => ({ what: `flash sale on ${f.category}`, ...f })),
    ...(scenario.outages ?? []).map((o) => ({ what: `outage of ${o.store}`, ...o })),
    ...(scenario.surges ?? []).map((s) => ({ what: `surge ×${s.factor}`, ...s })),
    ...(scenario.returnWaves ?? []).map((w) => ({ what: `returns wave ×${w.factor}`, ...w })),
    ...(scenario.schemaVersions ?? []).map((r) => ({
      what: `switch to schema version ${r.version}`,
      durationMinutes: Number.POSITIVE_INFINITY,
      ...r,
    })),
  ];
  return all
    .filter((h) => Date.parse(h.at) >= to || Date.parse(h.at) + h.durationMinutes * 60_000 <= from)
    .map(
      (h) =>
        `${h.what} at ${h.at} is outside the run (${new Date(from).toISOString()} → ${Number.isFinite(to) ? new Date(to).toISOString() : "no end"})`,
    );
}

/** A scenario's faults as a plan (times in epoch ms, spans in ms); undefined without any. */
export function scenarioFaults(scenario: Scenario): FaultPlan | undefined {
  const f = scenario.faults;
  if (f === undefined) return undefined;
  return {
    duplicate: f.duplicate && { p: f.duplicate.p, withinMs: (f.duplicate.withinSeconds ?? 2) * 1000 },
    late: f.late && { p: f.late.p, delayMs: f.late.delayMinutes * 60_000 },
    malformed: f.malformed && { p: f.malformed.p },
    nulls: f.nulls && { p: f.nulls.p, fields: f.nulls.fields ?? NULLABLE },
    offline: f.offline?.map((o) => ({ store: o.store, at: Date.parse(o.at), duration: o.durationMinutes * 60_000 })),
  };
}

/** The factor on the return rate of lines bought at a time: the product of the waves in force then (1 outside them). */
export function returnFactorOf(scenario: Scenario): ((time: number) => number) | undefined {
  const waves = (scenario.returnWaves ?? []).map((w) => ({
    from: Date.parse(w.at),
    to: Date.parse(w.at) + w.durationMinutes * 60_000,
    factor: w.factor,
  }));
  if (waves.length === 0) return undefined;
  return (time) => waves.reduce((f, w) => (time >= w.from && time < w.to ? f * w.factor : f), 1);
}

/**
 * The schema version in force at a time: the latest of a scenario's rollouts at
 * or before it, else `initial` (the run's `--schema-version`).
 */
export function schemaVersionAt(
  scenario: Scenario | undefined,
  initial: SchemaVersion,
): (time: number) => SchemaVersion {
  const rollouts = (scenario?.schemaVersions ?? [])
    .map((r) => ({ at: Date.parse(r.at), version: r.version }))
    .sort((a, b) => a.at - b.at);
  if (rollouts.length === 0) return () => initial;
  return (time) => {
    let version = initial;
    for (const rollout of rollouts) if (rollout.at <= time) version = rollout.version;
    return version;
  };
}
