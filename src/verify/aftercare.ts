import {
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  toCents,
  type InventoryUpdateEvent,
  type OrderStatusEvent,
  type PaymentEvent,
  type ReturnEvent,
  type SaleEvent,
} from "../model/events.js";
import { profileOfValue } from "../model/profiles.js";
import { grouped } from "../model/grouped.js";
import type { ReadEvent } from "./decode.js";
import type { Findings, Scope } from "./findings.js";

const cents = (lines: readonly SaleEvent[]): number => lines.reduce((sum, l) => sum + toCents(l.total_amount), 0);

/**
 * A checkout's life after the till (schema version 3): every checkout of a
 * version that pays has one approved payment of its total, after its declined
 * attempts; a declined checkout sells nothing; every order's status changes
 * follow the state machine from `placed` (nothing ships after a cancel), a
 * refunded order puts each of its lines back in stock; a return refers to a
 * line that was bought, at the price paid, never more than bought all told,
 * after it was bought (an online order's after it was delivered), and goes back
 * into the stock it was sold from (an online order's warehouse, wherever it was
 * handed in) by one inventory update naming it unless written off.
 */
export function checkAftercare(events: readonly ReadEvent[], findings: Findings, fromStart: boolean): string {
  const sales: Array<ReadEvent & { event: SaleEvent }> = [];
  const payments: Array<ReadEvent & { event: PaymentEvent }> = [];
  const changes: Array<ReadEvent & { event: OrderStatusEvent }> = [];
  const returns: Array<ReadEvent & { event: ReturnEvent }> = [];
  const naming = new Map<string, Array<ReadEvent & { event: InventoryUpdateEvent }>>();
  for (const read of events) {
    const e = read.event;
    if (e.event_type === "sale") sales.push(read as ReadEvent & { event: SaleEvent });
    else if (e.event_type === "payment") payments.push(read as ReadEvent & { event: PaymentEvent });
    else if (e.event_type === "order_status") changes.push(read as ReadEvent & { event: OrderStatusEvent });
    else if (e.event_type === "return") returns.push(read as ReadEvent & { event: ReturnEvent });
    else if (
      e.event_type === "inventory_update" &&
      (e.reason === "return" || e.reason === "cancellation") &&
      e.source_event_id !== undefined
    ) {
      const list = naming.get(e.source_event_id) ?? [];
      list.push(read as ReadEvent & { event: InventoryUpdateEvent });
      naming.set(e.source_event_id, list);
    }
  }
  if (payments.length + changes.length + returns.length === 0) return "no payments, orders or returns read";
  // A scope: the records declared malformed that could have been the one missing (explained, not blamed).
  const fail = (message: string, read: ReadEvent, scope?: Scope): void =>
    findings.add("aftercare", message, read.at, scope);
  const at = (read: ReadEvent): number => Date.parse(read.event.event_time);
  const around = (read: ReadEvent, types: string[], key?: string): Scope => ({
    types,
    key,
    from: at(read),
    to: at(read),
  });
  const checkouts = grouped(sales, (r) => r.event.transaction_id);
  const paid = grouped(payments, (r) => r.event.transaction_id);

  let declinedOnly = 0;
  for (const [tx, attempts] of paid) {
    const lines = (checkouts.get(tx) ?? []).map((r) => r.event);
    // Attempts in their order (one key per checkout keeps them in order on the wire; a file may hold them otherwise).
    attempts.sort((a, b) => a.event.attempt - b.event.attempt);
    const approved = attempts.filter((r) => r.event.status === "approved");
    attempts.forEach((r, i) => {
      if (r.event.attempt !== i + 1)
        fail(
          `payment ${r.event.payment_id} is attempt ${r.event.attempt}; ${tx} has no attempt ${i + 1}`,
          r,
          around(r, ["payment"]),
        );
    });
    if (approved.length > 1) fail(`checkout ${tx} was approved ${approved.length} times`, approved[1] as ReadEvent);
    const last = attempts[attempts.length - 1] as ReadEvent & { event: PaymentEvent };
    if (approved.length === 1 && approved[0] !== last) fail(`checkout ${tx} has an attempt after its approval`, last);
    if (approved.length === 0) {
      declinedOnly += 1;
      if (lines.length > 0)
        fail(
          `checkout ${tx} was declined and sold ${lines.length} lines all the same`,
          last,
          around(last, ["payment"]),
        );
      continue;
    }
    const payment = (approved[0] as ReadEvent & { event: PaymentEvent }).event;
    if (lines.length > 0 && lines.length === (lines[0]?.line_count ?? 1) && toCents(payment.amount) !== cents(lines))
      fail(
        `payment ${payment.payment_id} is ${payment.amount.toFixed(2)}; its checkout's lines add up to ${(cents(lines) / 100).toFixed(2)}`,
        approved[0] as ReadEvent,
      );
    if (lines.some((l) => l.payment_method !== payment.payment_method))
      fail(`checkout ${tx} was paid by ${payment.payment_method}; its lines say otherwise`, approved[0] as ReadEvent);
  }
  if (fromStart)
    for (const [tx, lines] of checkouts) {
      const first = lines[0] as ReadEvent & { event: SaleEvent };
      if (profileOfValue(first.event.schema_version).lifecycle && !paid.has(tx))
        fail(`checkout ${tx} has no payment`, first, around(first, ["payment"]));
    }

  // An order's changes in event time (a late record is taken at its time, as a table keyed by the order holds it).
  const orders = grouped(changes, (r) => r.event.order_id);
  for (const steps of orders.values())
    steps.sort(
      (a, b) => at(a) - at(b) || ORDER_STATUSES.indexOf(a.event.status) - ORDER_STATUSES.indexOf(b.event.status),
    );
  let delivered = 0;
  const deliveredAt = new Map<string, number>();
  for (const [order, steps] of orders) {
    let before: OrderStatusEvent | undefined;
    for (const read of steps) {
      const e = read.event;
      if (before === undefined) {
        if (e.status !== "placed" && fromStart)
          fail(`order ${order} begins ${e.status}, not placed`, read, {
            types: ["order_status"],
            key: order,
            from: Date.parse(e.placed_at),
            to: at(read),
          });
      } else if (!ORDER_TRANSITIONS[before.status].includes(e.status)) {
        fail(`order ${order} moves ${before.status} → ${e.status}`, read, {
          types: ["order_status"],
          key: order,
          from: Date.parse(before.event_time),
          to: at(read),
        });
      } else if (e.previous_status !== before.status) {
        fail(
          `order ${order} says it was ${String(e.previous_status)} before ${e.status}; it was ${before.status}`,
          read,
        );
      } else if (Date.parse(e.event_time) < Date.parse(before.event_time)) {
        fail(`order ${order} is ${e.status} at ${e.event_time}, before it was ${before.status}`, read);
      }
      if (e.order_total !== steps[0]?.event.order_total)
        fail(`order ${order}'s total changes to ${e.order_total}`, read);
      const refunded = e.status === "cancelled" || e.status === "returned_to_sender";
      if (refunded) {
        const lines = (checkouts.get(order) ?? []).map((r) => r.event);
        const back = naming.get(e.event_id) ?? [];
        naming.delete(e.event_id);
        if (lines.length > 0 && back.length !== lines.length)
          fail(
            `order ${order} is ${e.status} with ${lines.length} lines, and ${back.length} of them back in stock`,
            read,
            around(read, ["inventory_update"]),
          );
        for (const line of lines) {
          const update = back.find((u) => u.event.product_id === line.product_id);
          if (update !== undefined && update.event.quantity_change !== line.quantity)
            fail(
              `order ${order}'s ${line.product_id} comes back ${update.event.quantity_change}, bought ${line.quantity}`,
              update,
            );
        }
      }
      if (e.status === "delivered") {
        delivered += 1;
        deliveredAt.set(order, Date.parse(e.event_time));
      }
      before = e;
    }
    const first = steps[0] as ReadEvent & { event: OrderStatusEvent };
    const lines = (checkouts.get(order) ?? []).map((r) => r.event);
    if (
      lines.length > 0 &&
      lines.length === (lines[0]?.line_count ?? 1) &&
      toCents(first.event.order_total) !== cents(lines)
    )
      fail(
        `order ${order}'s total is ${first.event.order_total.toFixed(2)}; its lines add up to ${(cents(lines) / 100).toFixed(2)}`,
        first,
      );
  }

  const bought = new Map(sales.map((r) => [r.event.event_id, r.event] as const));
  const returned = new Map<string, number>();
  for (const read of returns) {
    const r = read.event;
    const line = bought.get(r.sale_event_id);
    const back = naming.get(r.event_id) ?? [];
    naming.delete(r.event_id);
    if (r.disposition === "restock") {
      const update = back[0]?.event;
      if (back.length !== 1 || update === undefined)
        fail(`return ${r.return_id} is restocked by ${back.length} inventory updates`, read, {
          ...around(read, ["inventory_update"]),
          store: r.purchase_store_id,
          product: r.product_id,
        });
      else if (
        update.store_id !== r.purchase_store_id ||
        update.product_id !== r.product_id ||
        update.quantity_change !== r.quantity
      )
        fail(
          `return ${r.return_id} of ${r.quantity} ${r.product_id} bought at ${r.purchase_store_id} is restocked as ${update.quantity_change} at ${update.store_id}/${update.product_id}`,
          back[0] as ReadEvent,
        );
    } else if (back.length > 0) fail(`return ${r.return_id} was written off and restocked all the same`, read);
    if (toCents(r.refund_amount) !== r.quantity * toCents(r.unit_price))
      fail(
        `return ${r.return_id} refunds ${r.refund_amount.toFixed(2)} for ${r.quantity} × ${r.unit_price.toFixed(2)}`,
        read,
      );
    if (line === undefined) {
      if (fromStart)
        fail(`return ${r.return_id} names sale ${r.sale_event_id}, which was not read`, read, {
          types: ["sale"],
          key: r.transaction_id,
          from: Date.parse(r.purchased_at),
          to: Date.parse(r.purchased_at),
        });
      continue;
    }
    if (
      line.transaction_id !== r.transaction_id ||
      (line.line_number ?? 1) !== r.line_number ||
      line.product_id !== r.product_id
    )
      fail(
        `return ${r.return_id} says ${r.transaction_id}#${r.line_number} ${r.product_id}; the sale is ${line.transaction_id}#${line.line_number ?? 1} ${line.product_id}`,
        read,
      );
    if (toCents(line.unit_price) !== toCents(r.unit_price))
      fail(
        `return ${r.return_id} refunds at ${r.unit_price.toFixed(2)}; the line was bought at ${line.unit_price.toFixed(2)}`,
        read,
      );
    const total = (returned.get(line.event_id) ?? 0) + r.quantity;
    returned.set(line.event_id, total);
    if (total > line.quantity)
      fail(`line ${r.transaction_id}#${r.line_number} comes back ${total} times; ${line.quantity} were bought`, read);
    const handed = Date.parse(r.event_time);
    if (handed <= Date.parse(line.event_time)) fail(`return ${r.return_id} comes back before it was bought`, read);
    if (orders.has(r.transaction_id)) {
      const arrived = deliveredAt.get(r.transaction_id);
      if (arrived === undefined || handed < arrived)
        fail(`return ${r.return_id} of order ${r.transaction_id} comes back before the order was delivered`, read, {
          types: ["order_status"],
          key: r.transaction_id,
          from: Date.parse(r.purchased_at),
          to: handed,
        });
    }
  }
  if (fromStart)
    for (const [source, updates] of naming)
      fail(
        `${updates.length} inventory updates name ${source} as the return or order that moved them; it was not read`,
        updates[0] as ReadEvent,
        around(updates[0] as ReadEvent, ["return", "order_status"]),
      );
  return `${payments.length} payments of ${paid.size} checkouts (${declinedOnly} declined outright), ${orders.size} orders through the state machine (${delivered} delivered), ${returns.length} returns of lines bought, never more than bought`;
}
