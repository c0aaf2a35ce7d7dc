import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike } from "rxjs";
import type { CustomerEvent, RetailEvent } from "../model/events.js";
import { caused } from "./caused.js";

/** What ending visits needs of the chain (its `Consequences`, or a stand-in in a test). */
export interface VisitConsequences {
  endOf(enter: CustomerEvent): { at: number; exit: (time: number) => CustomerEvent | undefined } | undefined;
}

/**
 * Ends every visit: an `enter` brings its customer's `exit` when the visit's
 * length is up or its store closes, whichever is sooner, unless the customer
 * has left by then. Exits not yet due when the source completes are left out.
 *
 * @example
 * // an enter at 0 whose visit ends at 30 ms; the source completes at 40 ms:
 * // source: e 39ms |
 * // result: e 29ms x 9ms |
 */
export function visitEnds(
  consequences: VisitConsequences,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<RetailEvent> {
  return caused((event) => {
    if (event.event_type !== "customer_event" || event.action !== "enter") return undefined;
    const end = consequences.endOf(event);
    if (end === undefined) return undefined;
    return { now: [], later: [{ afterMs: Math.max(0, end.at - scheduler.now()), make: end.exit }] };
  }, scheduler);
}
