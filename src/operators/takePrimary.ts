import { EMPTY, defer, takeWhile, type MonoTypeOperatorFunction } from "rxjs";
import { isPrimary, type RetailEvent } from "../model/events.js";

/** Whether a checkout goes on after this event (a line before its last). */
const checkoutOpen = (event: RetailEvent): boolean =>
  event.event_type === "sale" && event.line_number !== event.line_count;

/**
 * Takes `count` primary events and completes: like `take(count)`, except that a
 * checkout (schema version 2) counts once, and its lines after the count-th
 * primary's first still pass, so the last checkout goes out whole; caused
 * events the source makes before a primary one (a checkout's payments) pass
 * without counting.
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
          // A checkout's line after its first belongs to the primary event its first line began; a checkout's
          // payments (version 3) come before its lines and are caused by it: a declined one alone counts nothing.
          if (isPrimary(event)) taken += 1;
          return taken < count || checkoutOpen(event);
        }, true),
      );
    });
}
