import { map, type MonoTypeOperatorFunction } from "rxjs";
import { isEvent, type OutRecord } from "../wire/envelope.js";
import { MALFORMATIONS, malform, type Malformation } from "../model/faults.js";
import { marked } from "../wire/faultMarks.js";
import { drawsFor, type RecordRng } from "./clocked.js";

/**
 * A corrupt record: each, with probability `p`, has its value replaced by
 * text that is not JSON, lacks a required field or has a field of the wrong
 * type — which, drawn, is said in `fault_detail` beside `fault: malformed`
 * (the registry formats write bytes that do not decode instead). Truth rows pass untouched.
 *
 * @param p probability that a record is malformed
 * @param rng draws whether, how and which field
 *
 * @example
 * // p 1: source: a b |   result: A B |   (A.raw: a's value, broken)
 */
export function malformed(p: number, { rng: draws }: { rng: RecordRng }): MonoTypeOperatorFunction<OutRecord> {
  return map((record) => {
    if (!isEvent(record)) return record;
    const rng = drawsFor(draws, record);
    if (rng.next() >= p) return record;
    const how = MALFORMATIONS[Math.floor(rng.next() * MALFORMATIONS.length)] as Malformation;
    const { raw, detail } = malform(record.value, how, (n) => Math.floor(rng.next() * n));
    return { ...marked(record, "malformed", detail), raw };
  });
}
