import { asyncScheduler, concat, map, of, type MonoTypeOperatorFunction } from "rxjs";
import { isEvent, type OutRecord } from "../wire/envelope.js";
import { marked } from "../wire/faultMarks.js";
import { drawsFor, type RecordClocked } from "./clocked.js";
import { held, holding } from "./held.js";

/**
 * A producer's retry: each record, with probability `p`, is produced again
 * (same key, value and event time, header `fault: duplicate`) after a drawn
 * delay of up to `withinMs`; at the source's end at once. Truth rows pass untouched.
 *
 * @param p probability that a record is duplicated
 * @param withinMs longest delay of the copy, ms
 * @param clocked the generator that draws and the scheduler that waits
 *
 * @example
 * // p 1, withinMs 10, draws 0.5 (the delay) each:
 * // source: a 9ms b 20ms |
 * // result: a 4ms A 4ms b 4ms B 15ms |   (A, B: the copies)
 */
export function duplicates(
  p: number,
  withinMs: number,
  { rng, scheduler = asyncScheduler }: RecordClocked,
): MonoTypeOperatorFunction<OutRecord> {
  return holding((record, ended) => {
    if (!isEvent(record)) return of(record);
    const draws = drawsFor(rng, record);
    if (draws.next() >= p) return of(record);
    const copy = marked(record, "duplicate");
    return concat(of(record), held(draws.next() * withinMs, ended, scheduler).pipe(map(() => copy)));
  });
}
