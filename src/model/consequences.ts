import { profileOfValue } from "./profiles.js";
import { uuidFrom } from "../random/ids.js";
import type { Rng } from "../random/rng.js";
import type { ChainState } from "./chainState.js";
import {
  isoFormatter,
  type CustomerEvent,
  type InventoryUpdateEvent,
  type SchemaVersion,
  type RestockAlertEvent,
  type RetailEvent,
  type SaleEvent,
} from "./events.js";
import { priorityOf } from "./priority.js";

/**
 * Everything one event causes in the chain, in one place, so a reader follows a
 * sale from start to end here: the sale takes its units off the ledger, its
 * decrement records that, the buyer (if in the store) makes a `purchase` step;
 * an update that takes stock to or below the reorder point raises a restock
 * alert (once per crossing); the alert's receipt refills the ledger a lead time
 * later; an `enter` ends in an `exit` when its visit is over. Operators decide
 * only when these go out (`fanOutSale` at once, `restocks` after the lead time,
 * `visitEnds` at the visit's end).
 */
export class Consequences {
  private readonly iso = isoFormatter();

  constructor(
    private readonly state: ChainState,
    private readonly rng: Rng,
  ) {}

  /**
   * What a sale causes at once: its decrement (the ledger change) and the buyer's purchase step
   * (in version 2, once per checkout, after its last line, naming the transaction).
   */
  ofSale(sale: SaleEvent): RetailEvent[] {
    const cell = this.state.cell(sale.store_id, sale.product_id);
    const decrement = this.update(
      Date.parse(sale.event_time),
      cell,
      -sale.quantity,
      "sale",
      sale.event_id,
      sale.event_time,
      sale.schema_version as SchemaVersion,
    );
    if (sale.line_number !== sale.line_count) return [decrement];
    const visit = this.state.visiting.get(sale.customer_id);
    if (visit === undefined || this.state.stores[visit.store]?.store_id !== sale.store_id) return [decrement];
    const purchase: CustomerEvent = {
      event_id: uuidFrom(this.rng),
      event_type: "customer_event",
      event_time: sale.event_time,
      schema_version: sale.schema_version,
      customer_id: sale.customer_id,
      store_id: sale.store_id,
      action: "purchase",
      ...(profileOfValue(sale.schema_version).purchaseNamesTransaction ? { transaction_id: sale.transaction_id } : {}),
    };
    return [decrement, purchase];
  }

  /** The restock alert an update causes when it crosses the reorder point, unless a restock is already on its way. */
  alertAfter(update: InventoryUpdateEvent): RestockAlertEvent | undefined {
    const cell = this.state.cell(update.store_id, update.product_id);
    const reorderPoint = this.state.reorderPointAt(cell);
    const target = this.state.targetAt(cell);
    const before = update.stock_after - update.quantity_change;
    if (!(before > reorderPoint && update.stock_after <= reorderPoint) || this.state.isRestocking(cell))
      return undefined;
    this.state.setRestocking(cell, true);
    return {
      event_id: uuidFrom(this.rng),
      event_type: "restock_alert",
      event_time: update.event_time,
      schema_version: update.schema_version,
      store_id: update.store_id,
      product_id: update.product_id,
      current_stock: update.stock_after,
      reorder_point: reorderPoint,
      // Enough to refill to the initial level, and always enough to clear the reorder point.
      suggested_quantity: Math.max(target - update.stock_after, reorderPoint + 1),
      priority: priorityOf(update.stock_after, reorderPoint),
    };
  }

  /**
   * When the visit an `enter` begins ends at the latest, and the exit that ends it then: none when
   * the customer has left by a drawn step before (or is not in that visit).
   */
  endOf(enter: CustomerEvent): { at: number; exit: (time: number) => CustomerEvent | undefined } | undefined {
    const visit = this.state.visiting.get(enter.customer_id);
    if (visit === undefined || this.state.stores[visit.store]?.store_id !== enter.store_id) return undefined;
    const exit = (time: number): CustomerEvent | undefined => {
      if (this.state.visiting.get(visit.customer) !== visit) return undefined;
      this.state.leave(visit);
      return {
        event_id: uuidFrom(this.rng),
        event_type: "customer_event",
        event_time: this.iso(time),
        schema_version: this.state.version,
        customer_id: visit.customer,
        store_id: enter.store_id,
        action: "exit",
      };
    };
    return { at: visit.ends, exit };
  }

  /** The receipt that answers `alert` at `time`: refills the ledger and names the alert. */
  receiptFor(alert: RestockAlertEvent, time: number): InventoryUpdateEvent {
    const cell = this.state.cell(alert.store_id, alert.product_id);
    this.state.setRestocking(cell, false);
    return this.update(time, cell, alert.suggested_quantity, "receipt", alert.event_id);
  }

  /** An inventory update applied to the ledger, with the stock it leaves. */
  update(
    time: number,
    cell: number,
    change: number,
    reason: InventoryUpdateEvent["reason"],
    source?: string,
    isoTime = this.iso(time),
    version = this.state.version,
  ): InventoryUpdateEvent {
    const stockAfter = this.state.apply(cell, change);
    return {
      event_id: uuidFrom(this.rng),
      event_type: "inventory_update",
      event_time: isoTime,
      schema_version: version,
      store_id: this.state.storeAt(cell).store_id,
      product_id: this.state.productAt(cell).sku,
      quantity_change: change,
      reason,
      stock_after: stockAfter,
      ...(source === undefined ? {} : { source_event_id: source }),
    };
  }
}
