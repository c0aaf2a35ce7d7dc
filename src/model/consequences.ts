import { profileOfValue } from "./profiles.js";
import { uuidFrom } from "../random/ids.js";
import type { Rng } from "../random/rng.js";
import { unfocused, type FocusedRng } from "../random/storeRngs.js";
import type { ChainState } from "./chainState.js";
import {
  fromCents,
  isoFormatter,
  type CustomerEvent,
  type InventoryUpdateEvent,
  type SchemaVersion,
  type RestockAlertEvent,
  type RetailEvent,
  type SaleEvent,
} from "./events.js";
import { priorityOf } from "./priority.js";
import { codeFrom } from "../random/ids.js";
import { currencyOf, type Store } from "./chain.js";
import { isOnline, isOpen, opensAfter } from "./hours.js";
import { DEFAULT_AFTERCARE, drawOrderPlan, drawReturn, type AftercareRates, type ReturnPlan } from "./aftercare.js";
import type { OrderStatus, OrderStatusEvent, ReturnEvent } from "./events.js";

/** An event that falls due `afterMs` after its cause; `make` builds it, and what it causes at once, then (or nothing). */
export interface LaterEvents {
  afterMs: number;
  make: (time: number) => RetailEvent[];
}

/** What after-sale life needs beyond the chain: its rates, a scenario's returns factor. */
export interface AftercareOptions {
  rates?: AftercareRates;
  /** A scenario's factor on the return rate of lines bought at `time`. */
  returnFactor?: (time: number) => number;
}

/**
 * Everything one event causes in the chain, in one place, so a reader follows a
 * sale from start to end here: the sale takes its units off the ledger, its
 * decrement records that, the buyer (if in the store) makes a `purchase` step;
 * an update that takes stock to or below the reorder point raises a restock
 * alert (once per crossing); the alert's receipt refills the ledger a lead time
 * later; an `enter` ends in an `exit` when its visit is over. Operators decide
 * only when these go out (`fanOutSale` at once, `restocks` after the lead time,
 * `visitEnds` at the visit's end). Each draws from the generator of the store
 * whose events it makes (`StoreRngs`), so a shard makes them as one process would.
 */
export class Consequences {
  private readonly iso = isoFormatter();
  /** The lines of the checkout under way (version 3), its amount so far in cents. */
  private lines: SaleEvent[] = [];
  private checkoutCents = 0;
  private readonly rates: AftercareRates;
  /** The chain's physical stores: where an online order may be handed back. */
  private readonly physical: readonly number[];
  private readonly rng: FocusedRng;

  /** @param rng the stores' generators (`StoreRngs`), or one generator for all */
  constructor(
    private readonly state: ChainState,
    rng: Rng | FocusedRng,
    private readonly aftercare: AftercareOptions = {},
  ) {
    this.rng = "focus" in rng ? rng : unfocused(rng);
    this.rates = aftercare.rates ?? DEFAULT_AFTERCARE;
    this.physical = state.stores.flatMap((store, i) => (isOnline(store) ? [] : [i]));
  }

  /** Draws from now on are `storeId`'s. */
  private focus(storeId: string): void {
    this.rng.focus(this.state.storeIndexOf(storeId));
  }

  /**
   * What a sale causes at once: its decrement (the ledger change) and the buyer's purchase step
   * (in version 2, once per checkout, after its last line, naming the transaction).
   */
  ofSale(sale: SaleEvent): RetailEvent[] {
    this.focus(sale.store_id);
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
    const lifecycle = profileOfValue(sale.schema_version).lifecycle;
    if (lifecycle) {
      if (sale.line_number === 1) [this.lines, this.checkoutCents] = [[], 0];
      this.lines.push(sale);
      this.checkoutCents += Math.round(sale.total_amount * 100);
    }
    if (sale.line_number !== sale.line_count) return [decrement];
    const placed = lifecycle && isOnline(this.state.storeAt(cell)) ? [this.placed(sale)] : [];
    const visit = this.state.visiting.get(sale.customer_id);
    if (visit === undefined || this.state.stores[visit.store]?.store_id !== sale.store_id)
      return [decrement, ...placed];
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
    return [decrement, purchase, ...placed];
  }

  /** An online checkout becomes an order: its first status. */
  private placed(last: SaleEvent): OrderStatusEvent {
    return this.orderStatus(last, this.checkoutCents, "placed", last.event_time);
  }

  /** An order's status event: the order of the checkout whose last line is `last`, its total `cents`. */
  private orderStatus(
    last: SaleEvent,
    cents: number,
    status: OrderStatus,
    eventTime: string,
    previous?: OrderStatus,
  ): OrderStatusEvent {
    const refunded = status === "cancelled" || status === "returned_to_sender";
    return {
      event_id: uuidFrom(this.rng),
      event_type: "order_status",
      event_time: eventTime,
      schema_version: last.schema_version,
      order_id: last.transaction_id,
      store_id: last.store_id,
      customer_id: last.customer_id,
      status,
      ...(previous === undefined ? {} : { previous_status: previous }),
      placed_at: last.event_time,
      order_total: fromCents(cents),
      currency: last.currency ?? "USD",
      ...(refunded ? { refund_amount: fromCents(cents) } : {}),
    };
  }

  /**
   * What a checkout causes later (version 3), drawn at its last line: an online
   * order's status changes after their delays (a cancel or a parcel back at the
   * warehouse releasing its stock), and the returns of lines that come back, at
   * the store of purchase (an online order's at the warehouse or a physical
   * store), days after they were bought or delivered.
   */
  laterOf(sale: SaleEvent): LaterEvents[] {
    if (!profileOfValue(sale.schema_version).lifecycle || sale.line_number !== sale.line_count) return [];
    const lines = this.lines;
    const cents = this.checkoutCents;
    [this.lines, this.checkoutCents] = [[], 0];
    this.focus(sale.store_id);
    const time = Date.parse(sale.event_time);
    const store = this.state.storeAt(this.state.cell(sale.store_id, sale.product_id));
    const later: LaterEvents[] = [];
    let inHands: number | undefined = 0;
    if (isOnline(store)) {
      const plan = drawOrderPlan(this.rng);
      let previous: OrderStatus = "placed";
      for (const step of plan) {
        const before = previous;
        later.push({
          afterMs: step.afterMs,
          make: (at) => this.statusChange(sale, lines, cents, before, step.status, at),
        });
        previous = step.status;
      }
      inHands = previous === "delivered" ? (plan[plan.length - 1] as { afterMs: number }).afterMs : undefined;
    }
    if (inHands === undefined) return later;
    const factor = this.aftercare.returnFactor?.(time) ?? 1;
    for (const line of lines) {
      const plan = drawReturn(this.rng, isOnline(store) ? "online" : "store", line.quantity, this.rates, factor);
      if (plan === undefined) continue;
      const at = this.returnPlace(store, plan, time + inHands + plan.afterMs);
      later.push({ afterMs: at.time - time, make: (now) => this.returned(line, plan, at.store, now) });
    }
    return later;
  }

  /** Where and when a return is handed in: a physical store's while it is open (else at its next opening, a while after). */
  private returnPlace(bought: Store, plan: ReturnPlan, due: number): { store: number; time: number } {
    const physical = this.physical;
    const store =
      isOnline(bought) && plan.inStore && physical.length > 0
        ? (physical[Math.floor(this.rng.next() * physical.length)] as number)
        : this.state.stores.indexOf(bought);
    const at = this.state.stores[store] as Store;
    if (isOpen(at, due)) return { store, time: due };
    return { store, time: opensAfter(at, due) + Math.floor(this.rng.next() * 4 * 3_600_000) };
  }

  /**
   * A return handed in at `time`: its refund at the price paid, and the goods back in the stock they were sold
   * from unless written off (an online order handed in at a shop goes on to the online shop's warehouse), so the
   * store of purchase makes the whole return.
   */
  private returned(line: SaleEvent, plan: ReturnPlan, store: number, time: number): RetailEvent[] {
    this.focus(line.store_id);
    const at = this.state.stores[store] as Store;
    const unitCents = Math.round(line.unit_price * 100);
    const back: ReturnEvent = {
      event_id: uuidFrom(this.rng),
      event_type: "return",
      event_time: this.iso(time),
      schema_version: line.schema_version,
      return_id: `R-${codeFrom(this.rng, 12)}`,
      transaction_id: line.transaction_id,
      line_number: line.line_number ?? 1,
      sale_event_id: line.event_id,
      store_id: at.store_id,
      purchase_store_id: line.store_id,
      product_id: line.product_id,
      customer_id: line.customer_id,
      quantity: plan.quantity,
      unit_price: line.unit_price,
      refund_amount: fromCents(plan.quantity * unitCents),
      currency: line.currency ?? currencyOf(at),
      disposition: plan.disposition,
      reason: plan.reason,
      purchased_at: line.event_time,
    };
    if (plan.disposition === "write_off") return [back];
    const cell = this.state.cell(line.store_id, line.product_id);
    return [
      back,
      this.update(
        time,
        cell,
        plan.quantity,
        "return",
        back.event_id,
        back.event_time,
        line.schema_version as SchemaVersion,
      ),
    ];
  }

  /** An order's status change at `time`; a cancel, or a parcel back at the warehouse, refunds the order and puts its lines back in stock. */
  private statusChange(
    last: SaleEvent,
    lines: readonly SaleEvent[],
    cents: number,
    previous: OrderStatus,
    status: OrderStatus,
    time: number,
  ): RetailEvent[] {
    this.focus(last.store_id);
    const change = this.orderStatus(last, cents, status, this.iso(time), previous);
    if (change.refund_amount === undefined) return [change];
    const reason = status === "cancelled" ? "cancellation" : "return";
    return [
      change,
      ...lines.map((line) =>
        this.update(
          time,
          this.state.cell(line.store_id, line.product_id),
          line.quantity,
          reason,
          change.event_id,
          change.event_time,
          line.schema_version as SchemaVersion,
        ),
      ),
    ];
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
    this.focus(update.store_id);
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
      this.rng.focus(visit.store);
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

  /** The receipt that answers `alert` at `time`: refills the ledger and names the alert; none while a stock-out holds it. */
  receiptFor(alert: RestockAlertEvent, time: number): InventoryUpdateEvent | undefined {
    const cell = this.state.cell(alert.store_id, alert.product_id);
    // A stock-out holds the delivery until it ends (the cell stays restocking, so no second alert).
    const held = this.state.held.get(cell);
    if (held !== undefined) {
      held.alert = { id: alert.event_id, quantity: alert.suggested_quantity };
      return undefined;
    }
    this.state.setRestocking(cell, false);
    this.focus(alert.store_id);
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
