import { mergeMap, of, type MonoTypeOperatorFunction } from "rxjs";
import type { InventoryUpdateEvent, RetailEvent, SaleEvent } from "../model/events.js";
import { uuidFrom } from "../random/ids.js";
import type { Rng } from "../random/rng.js";

/** Where the decrement learns the stock the sale left (the chain's ledger). */
export type StockAfter = (sale: SaleEvent) => number;

/** The stock decrement a sale causes: same store, product and time; names the sale. */
export function saleDecrement(sale: SaleEvent, rng: Rng, stockAfter: number): InventoryUpdateEvent {
  return {
    event_id: uuidFrom(rng),
    event_type: "inventory_update",
    event_time: sale.event_time,
    schema_version: sale.schema_version,
    store_id: sale.store_id,
    product_id: sale.product_id,
    quantity_change: -sale.quantity,
    reason: "sale",
    stock_after: stockAfter,
    source_event_id: sale.event_id,
  };
}

/**
 * Follows every sale at once with its inventory decrement; other events pass.
 *
 * @param options the generator the decrement's `event_id` is drawn from, and the stock the sale left
 *
 * @example
 * // source: s p|
 * // result: (sd) p|    (d = the decrement of sale s)
 */
export function fanOutSale({ rng, stockAfter }: { rng: Rng; stockAfter: StockAfter }): MonoTypeOperatorFunction<RetailEvent> {
  return mergeMap((event) => (event.event_type === "sale" ? of(event, saleDecrement(event, rng, stockAfter(event))) : of(event)));
}
