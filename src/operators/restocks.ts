import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike } from "rxjs";
import { caused } from "./caused.js";
import type { InventoryUpdateEvent, RestockAlertEvent, RetailEvent } from "../model/events.js";

/** What restocking needs of the chain (its `Consequences`, or a stand-in in a test). */
export interface RestockConsequences {
  alertAfter(update: InventoryUpdateEvent): RestockAlertEvent | undefined;
  receiptFor(alert: RestockAlertEvent, time: number): InventoryUpdateEvent | undefined;
}

/** The lead time of receipts and the scheduler that waits it. */
export interface RestockOptions {
  /** Simulated time from an alert to its receipt, ms. */
  leadTimeMs: number;
  scheduler?: SchedulerLike;
}

/**
 * Follows an inventory update that crosses the reorder point with its restock
 * alert at once, and `leadTimeMs` later emits the receipt that refills it.
 * Receipts not yet due when the source completes are left out (the run ended
 * before they arrived).
 *
 * @param consequences decides the alert and builds the receipt
 * @param options the lead time and the scheduler that waits it
 *
 * @example
 * // lead time 30 ms; u takes stock from 21 to 19, reorder point 20:
 * // source: u 40ms |
 * // result: (ua) 26ms r 10ms |   (a = alert, r = receipt)
 * // source: u 20ms |
 * // result: (ua) 17ms |          (the run ended first: no receipt)
 */
export function restocks(
  consequences: RestockConsequences,
  { leadTimeMs, scheduler = asyncScheduler }: RestockOptions,
): MonoTypeOperatorFunction<RetailEvent> {
  return caused((event) => {
    const alert = event.event_type === "inventory_update" ? consequences.alertAfter(event) : undefined;
    if (alert === undefined) return undefined;
    return { now: [alert], later: [{ afterMs: leadTimeMs, make: (time) => consequences.receiptFor(alert, time) }] };
  }, scheduler);
}
