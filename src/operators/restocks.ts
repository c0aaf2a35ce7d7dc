import { asyncScheduler, concat, map, mergeMap, of, takeUntil, timer, type MonoTypeOperatorFunction, type Observable, type SchedulerLike } from "rxjs";
import type { ChainState } from "../model/chainState.js";
import type { EventFactory } from "../model/factory.js";
import { SCHEMA_VERSION, type RestockAlertEvent, type RetailEvent } from "../model/events.js";
import { priorityOf } from "../model/priority.js";
import { uuidFrom } from "../random/ids.js";
import type { Rng } from "../random/rng.js";

export interface RestockOptions {
  state: ChainState;
  factory: EventFactory;
  rng: Rng;
  /** Simulated time from an alert to its receipt, ms. */
  leadTimeMs: number;
  scheduler?: SchedulerLike;
  /** Receipts not yet due when this emits are left out (the run ended before they arrived). */
  stop$: Observable<unknown>;
}

/**
 * Raises a restock alert when an inventory update takes a product's stock to
 * or below its reorder point (once per crossing), and `leadTimeMs` later emits
 * the receipt that refills it, naming the alert in `source_event_id`.
 *
 * @example
 * // lead time 30 ms; u takes stock from 21 to 19, reorder point 20:
 * // source: u------|
 * // result: (ua) 26ms (r|)      (a = alert, r = receipt)
 */
export function restocks({ state, factory, rng, leadTimeMs, scheduler = asyncScheduler, stop$ }: RestockOptions): MonoTypeOperatorFunction<RetailEvent> {
  return mergeMap((event) => {
    if (event.event_type !== "inventory_update") return of(event);
    const cell = state.cell(event.store_id, event.product_id);
    const { reorder_point: reorderPoint, initial_stock: target } = state.productAt(cell);
    const before = event.stock_after - event.quantity_change;
    if (!(before > reorderPoint && event.stock_after <= reorderPoint) || state.isRestocking(cell)) return of(event);
    state.setRestocking(cell, true);
    const alert: RestockAlertEvent = {
      event_id: uuidFrom(rng), event_type: "restock_alert", event_time: event.event_time, schema_version: SCHEMA_VERSION,
      store_id: event.store_id, product_id: event.product_id, current_stock: event.stock_after, reorder_point: reorderPoint,
      // Enough to refill to the initial level, and always enough to clear the reorder point.
      suggested_quantity: Math.max(target - event.stock_after, reorderPoint + 1),
      priority: priorityOf(event.stock_after, reorderPoint),
    };
    const receipt$ = timer(leadTimeMs, scheduler).pipe(
      map(() => {
        state.setRestocking(cell, false);
        return factory.inventoryEvent(scheduler.now(), cell, alert.suggested_quantity, "receipt", alert.event_id);
      }),
      takeUntil(stop$),
    );
    return concat(of(event, alert), receipt$);
  });
}
