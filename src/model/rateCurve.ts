import type { Store } from "./chain.js";
import { MAX_CURVE } from "./limits.js";

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

const series = (length: number) => ({
  type: "array",
  minItems: length,
  maxItems: length,
  items: { type: "number", minimum: 0, maximum: MAX_CURVE },
  contains: { type: "number", exclusiveMinimum: 0 },
});

/** JSON Schema of a rate curve: 24 hourly and 7 weekday multipliers ≥ 0 (some above 0), dated days by `YYYY-MM-DD`. */
export const CURVE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["daily", "weekly"],
  properties: {
    daily: series(24),
    weekly: series(7),
    dates: {
      type: "object",
      propertyNames: {
        description: "a date YYYY-MM-DD, or a day of the run (day+0 is its first UTC day)",
        pattern: "^(\\d{4}-\\d{2}-\\d{2}|day\\+\\d+)$",
      },
      additionalProperties: { type: "number", minimum: 0, maximum: MAX_CURVE },
    },
  },
} as const;

const HOUR = 3_600_000;
/** Offsets per zone, by hour since the epoch (a number key: no text made per lookup). */
const offsets = new Map<string, Map<number, number>>();
/** Each zone's offset in the hour last asked: asked for every store on every customer-facing event, mostly in the same hour. */
const lastHour = new Map<string, { hour: number; offset: number }>();

/** The timezone's offset from UTC (ms) at `time`, cached per zone and hour. */
export function zoneOffset(timeZone: string, time: number): number {
  const hour = Math.floor(time / HOUR);
  const last = lastHour.get(timeZone);
  if (last?.hour === hour) return last.offset;
  const offset = hourOffset(timeZone, hour);
  if (last === undefined) lastHour.set(timeZone, { hour, offset });
  else {
    last.hour = hour;
    last.offset = offset;
  }
  return offset;
}

/** One formatter per zone: making one costs about a millisecond, using it a few microseconds. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The offset in one hour (hours since the epoch), from the zone database. A UTC day is asked about at its two ends:
 * when they agree (every day but a change of clocks) its 24 hours take that offset, one lookup for the day instead of 24.
 */
function hourOffset(timeZone: string, hour: number): number {
  let zone = offsets.get(timeZone);
  if (zone === undefined) offsets.set(timeZone, (zone = new Map()));
  const known = zone.get(hour);
  if (known !== undefined) return known;
  const first = hour - (((hour % 24) + 24) % 24);
  const offset = zoneHourOffset(timeZone, first, zone);
  if (zoneHourOffset(timeZone, first + 24, zone) !== offset) return zoneHourOffset(timeZone, hour, zone);
  for (let h = first + 1; h < first + 24; h += 1) zone.set(h, offset);
  return offset;
}

/** The offset in one hour, looked up in the zone database once and kept in `zone`. */
function zoneHourOffset(timeZone: string, hour: number, zone: Map<number, number>): number {
  let offset = zone.get(hour);
  if (offset === undefined) {
    let format = formatters.get(timeZone);
    if (format === undefined) {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
      formatters.set(timeZone, format);
    }
    const parts = format.formatToParts(new Date(hour * HOUR));
    const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
    offset =
      Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second")) -
      hour * HOUR;
    if (zone.size > 100_000) zone.clear();
    zone.set(hour, offset);
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
  const dated =
    curve.dates === undefined ? 1 : (curve.dates[new Date(day * 86_400_000).toISOString().slice(0, 10)] ?? 1);
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
