import { map, type MonoTypeOperatorFunction } from "rxjs";
import { isEvent, type OutRecord } from "../wire/envelope.js";
import type { RetailEvent } from "../model/events.js";
import { optionalFields } from "../model/faults.js";
import { marked } from "../wire/faultMarks.js";
import { drawsFor, type RecordRng } from "./clocked.js";

/**
 * Nulls where a producer leaves a value out: each record that has one of
 * `fields` as an optional field, with probability `p`, carries them as
 * `null` (header `fault: null`; in the registry formats, absent).
 * Truth rows and records without such a field pass untouched.
 *
 * @param p probability that an eligible record is nulled
 * @param fields the optional fields to null (those a record has)
 * @param rng draws whether
 *
 * @example
 * // p 1, fields ["source_event_id"]; r a receipt, s a sale:
 * // source: r s |   result: R s |   (R: source_event_id null)
 */
export function nulls(
  p: number,
  fields: readonly string[],
  { rng }: { rng: RecordRng },
): MonoTypeOperatorFunction<OutRecord> {
  return map((record) => {
    if (!isEvent(record)) return record;
    const chosen = optionalFields(record.value).filter((f) => fields.includes(f));
    if (chosen.length === 0 || drawsFor(rng, record).next() >= p) return record;
    // Only optional fields are chosen: without them the value is still an event of its type.
    const value: RetailEvent = { ...record.value };
    for (const field of chosen) Reflect.deleteProperty(value, field);
    const raw = JSON.stringify({ ...record.value, ...Object.fromEntries(chosen.map((f) => [f, null])) });
    return { ...marked(record, "null", chosen.join(",")), value, raw };
  });
}
