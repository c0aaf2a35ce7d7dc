import { EMPTY, defer, takeWhile, type MonoTypeOperatorFunction } from "rxjs";
import type { RetailEvent } from "../model/events.js";

/** Whether a checkout goes on after this event (a line before its last). */
const checkoutOpen = (event: RetailEvent): boolean =>
  event.event_type === "sale" && event.line_number !== event.line_count;

/**
 * Takes `count` primary events and completes: like `take(count)`, except that a
 * checkout (schema version 2) counts once, and its lines after the count-th
 * primary's first still pass, so the last checkout goes out whole.
 *
 * @example
 * // source: a (s1 s2 s3) b |   (s1–s3 the lines of one checkout)
 * // takePrimary(2): a (s1 s2 s3|)
 */
export function takePrimary(count: number): MonoTypeOperatorFunction<RetailEvent> {
  if (count <= 0) return () => EMPTY;
  return (source) =>
    defer(() => {
      let taken = 0;
      return source.pipe(
        takeWhile((event) => {
          // A checkout's line after its first belongs to the primary event its first line began; caused events count as take(count) always counted them.
          if (!(event.event_type === "sale" && (event.line_number ?? 1) > 1)) taken += 1;
          return taken < count || checkoutOpen(event);
        }, true),
      );
    });
}
