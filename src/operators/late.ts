import { asyncScheduler, map, of, type MonoTypeOperatorFunction } from "rxjs";
import { isEvent, type OutRecord } from "../wire/envelope.js";
import { marked } from "../wire/faultMarks.js";
import { drawsFor, type RecordClocked } from "./clocked.js";
import { held, holding } from "./held.js";

/**
 * Late data: each record, with probability `p`, is held back for a drawn
 * delay of up to `delayMs` and produced after later ones, keeping its event
 * time and timestamp (header `fault: late`), so event-time windows see true
 * lateness; at the source's end what is held goes out at once. Truth rows pass untouched.
 *
 * @param p probability that a record is late
 * @param delayMs longest delay, ms
 * @param clocked the generator that draws and the scheduler that waits
 *
 * @example
 * // p: a is drawn late, b is not; delay drawn 0.5 × 20 ms:
 * // source: a 4ms b 19ms |
 * // result: - 4ms b 4ms A 14ms |   (A: a, late, after b)
 */
export function late(
  p: number,
  delayMs: number,
  { rng, scheduler = asyncScheduler }: RecordClocked,
): MonoTypeOperatorFunction<OutRecord> {
  return holding((record, ended) => {
    if (!isEvent(record)) return of(record);
    const draws = drawsFor(rng, record);
    if (draws.next() >= p) return of(record);
    const delayed = marked(record, "late");
    return held(draws.next() * delayMs, ended, scheduler).pipe(map(() => delayed));
  });
}
