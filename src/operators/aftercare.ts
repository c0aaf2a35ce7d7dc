import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike } from "rxjs";
import type { RetailEvent, SaleEvent } from "../model/events.js";
import type { LaterEvents } from "../model/consequences.js";
import { caused } from "./caused.js";

/** What a checkout causes later (its `Consequences`, or a stand-in in a test). */
export interface AftercareConsequences {
  laterOf(sale: SaleEvent): LaterEvents[];
}

/**
 * A checkout's life after the till (schema version 3): at its last line, the
 * order's status changes and the returns of its lines are planned, and each
 * goes out (with the stock it moves) when it falls due. What is not yet due when
 * the source completes is left out.
 *
 * @example
 * // a checkout at 0 whose order is paid after 5 ms and delivered after 30 ms; the source completes at 20 ms:
 * // source: s 19ms |
 * // result: s 4ms p 14ms |
 */
export function aftercare(
  consequences: AftercareConsequences,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<RetailEvent> {
  return caused((event) => {
    if (event.event_type !== "sale") return undefined;
    const later = consequences.laterOf(event);
    return later.length === 0 ? undefined : { now: [], later };
  }, scheduler);
}
