import type { Store } from "./chain.js";

/**
 * How busy the chain is over time, as data: a multiplier per local hour of the
 * day (24, in each store's timezone), per weekday (7, Monday first), and for
 * dated days (`"2026-11-27": 3` for Black Friday, local dates).
 */
export interface RateCurve {
  daily: number[];
  weekly: number[];
  dates?: Record<string, number>;
}

/** What is wrong with a curve (empty when usable); `where` prefixes each problem. */
export function curveProblems(curve: unknown, where: string): string[] {
  const c = curve as Partial<RateCurve> | null;
  if (typeof c !== "object" || c === null) return [`${where}: a rate curve must be an object with daily and weekly`];
  const problems: string[] = [];
  const series = (name: string, values: unknown, length: number): void => {
    if (!Array.isArray(values) || values.length !== length) problems.push(`${where}.${name}: needs ${length} numbers, got ${Array.isArray(values) ? values.length : typeof values}`);
    else if (!values.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0)) problems.push(`${where}.${name}: values must be numbers ≥ 0`);
    else if (!values.some((v) => v > 0)) problems.push(`${where}.${name}: at least one value must be above 0`);
  };
  series("daily", c.daily, 24);
  series("weekly", c.weekly, 7);
  for (const [date, value] of Object.entries(c.dates ?? {})) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) problems.push(`${where}.dates: "${date}" is not YYYY-MM-DD`);
    if (typeof value !== "number" || !(value >= 0)) problems.push(`${where}.dates.${date}: must be a number ≥ 0`);
  }
  return problems;
}

const HOUR = 3_600_000;
const offsets = new Map<string, number>();

/** The timezone's offset from UTC (ms) at `time`, cached per zone and hour. */
export function zoneOffset(timeZone: string, time: number): number {
  const key = `${timeZone}@${Math.floor(time / HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })
      .formatToParts(new Date(Math.floor(time / HOUR) * HOUR));
    const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
    offset = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second")) - Math.floor(time / HOUR) * HOUR;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The curve's multiplier for a store in `timeZone` at `time`. */
export function localMultiplier(curve: RateCurve, timeZone: string, time: number): number {
  const localMs = time + zoneOffset(timeZone, time);
  const day = Math.floor(localMs / 86_400_000);
  const hour = Math.floor((localMs - day * 86_400_000) / 3_600_000);
  // 1970-01-01 was a Thursday: weekday 3 counting from Monday.
  const weekday = (((day + 3) % 7) + 7) % 7;
  // Called for every store on every candidate arrival: format the date only when the curve has dated days.
  const dated = curve.dates === undefined ? 1 : curve.dates[new Date(day * 86_400_000).toISOString().slice(0, 10)] ?? 1;
  return (curve.daily[hour] ?? 0) * (curve.weekly[weekday] ?? 0) * dated;
}

/** The chain's multiplier: the mean over `stores` of their local multipliers. */
export function chainMultiplier(curve: RateCurve, stores: readonly Store[]): (time: number) => number {
  return (time) => stores.reduce((sum, store) => sum + localMultiplier(curve, store.timezone, time), 0) / stores.length;
}

/** An upper bound of the curve, for thinning. */
export function curvePeak(curve: RateCurve): number {
  return Math.max(...curve.daily) * Math.max(...curve.weekly) * Math.max(1, ...Object.values(curve.dates ?? {}));
}
