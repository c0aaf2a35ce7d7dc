import type { InventoryUpdateEvent, RestockAlertEvent, SaleEvent } from "../model/events.js";
import type { ReadEvent } from "./decode.js";
import type { Findings } from "./findings.js";
import { at, cellOf } from "./ledger.js";

const timeOf = (read: ReadEvent): number => Date.parse(read.event.event_time);

/** Every sale has exactly one decrement (its store, product and −quantity, at its time); every sale decrement has its sale. */
export function checkDecrements(events: readonly ReadEvent[], findings: Findings, fromStart: boolean): string {
  const sales = new Map<string, ReadEvent>();
  const decrements = new Map<string, ReadEvent[]>();
  for (const read of events) {
    const e = read.event;
    if (e.event_type === "sale") sales.set(e.event_id, read);
    if (e.event_type === "inventory_update" && e.reason === "sale" && e.source_event_id !== undefined) {
      decrements.set(e.source_event_id, [...(decrements.get(e.source_event_id) ?? []), read]);
    }
  }
  for (const [id, sale] of sales) {
    const found = decrements.get(id) ?? [];
    const s = sale.event as SaleEvent;
    if (found.length !== 1) {
      const t = timeOf(sale);
      findings.add(
        "decrements",
        `sale ${id} has ${found.length} decrements${found.length > 1 ? ` (${found.map(at).join(", ")})` : ""}`,
        sale.at,
        found.length === 0
          ? { types: ["inventory_update"], store: s.store_id, product: s.product_id, from: t, to: t }
          : undefined,
      );
      continue;
    }
    const d = (found[0] as ReadEvent).event as InventoryUpdateEvent;
    if (
      d.store_id !== s.store_id ||
      d.product_id !== s.product_id ||
      d.quantity_change !== -s.quantity ||
      d.event_time !== s.event_time
    ) {
      findings.add(
        "decrements",
        `decrement ${d.event_id} of sale ${id} is ${d.store_id}/${d.product_id} ${d.quantity_change} at ${d.event_time}; the sale is ${s.store_id}/${s.product_id} ×${s.quantity} at ${s.event_time}`,
        (found[0] as ReadEvent).at,
      );
    }
  }
  if (fromStart) {
    for (const [id, found] of decrements) {
      const first = found[0] as ReadEvent;
      const t = timeOf(first);
      if (!sales.has(id))
        findings.add("decrements", `decrement of sale ${id}, which was not read`, first.at, {
          types: ["sale"],
          store: first.event.store_id,
          from: t,
          to: t,
        });
    }
  }
  return `${sales.size} sales, each with one decrement`;
}

/** Every alert follows a crossing of its reorder point; its receipt follows within the lead time (or is still due when the read ends). */
export function checkRestocks(
  events: readonly ReadEvent[],
  ordered: ReadonlyMap<string, ReadEvent[]>,
  findings: Findings,
  leadTimeMs: number,
  fromStart: boolean,
): string {
  const alerts = events.filter((r) => r.event.event_type === "restock_alert");
  const receipts = new Map<string, ReadEvent>();
  let last = -Infinity;
  for (const read of events) {
    last = Math.max(last, timeOf(read));
    const e = read.event;
    if (e.event_type === "inventory_update" && e.reason === "receipt" && e.source_event_id !== undefined)
      receipts.set(e.source_event_id, read);
  }
  // Receipts whose link to their alert was nulled on purpose (`fault: null`): matched by store × product, quantity and time instead.
  const nulled = events.filter(
    (r) =>
      r.event.event_type === "inventory_update" &&
      r.event.reason === "receipt" &&
      r.event.source_event_id === undefined &&
      r.fault?.includes("null"),
  );
  const unlinked = (alert: RestockAlertEvent, from: number, to: number): ReadEvent | undefined => {
    const index = nulled.findIndex((r) => {
      const u = r.event as InventoryUpdateEvent;
      return (
        cellOf(u) === cellOf(alert) &&
        u.quantity_change === alert.suggested_quantity &&
        timeOf(r) >= from &&
        timeOf(r) <= to
      );
    });
    return index < 0 ? undefined : nulled.splice(index, 1)[0];
  };
  let pending = 0;
  const alertIds = new Set<string>();
  for (const read of alerts) {
    const alert = read.event as RestockAlertEvent;
    alertIds.add(alert.event_id);
    const crossing = (ordered.get(cellOf(alert)) ?? []).some((r) => {
      const u = r.event as InventoryUpdateEvent;
      return (
        u.event_time === alert.event_time &&
        u.stock_after === alert.current_stock &&
        u.stock_after - u.quantity_change > alert.reorder_point &&
        u.stock_after <= alert.reorder_point
      );
    });
    const t = timeOf(read);
    const inventory = (from: number, to: number) => ({
      types: ["inventory_update"],
      store: alert.store_id,
      product: alert.product_id,
      from,
      to,
    });
    if (!crossing)
      findings.add(
        "restocks",
        `alert ${alert.event_id} (${cellOf(alert)} at ${alert.current_stock} ≤ ${alert.reorder_point}) follows no crossing of the reorder point at ${alert.event_time}`,
        read.at,
        inventory(t, t),
      );
    const due = t + leadTimeMs;
    const receipt = receipts.get(alert.event_id) ?? unlinked(alert, t, due);
    if (receipt === undefined) {
      if (due <= last)
        findings.add(
          "restocks",
          `alert ${alert.event_id} has no receipt within the lead time (${leadTimeMs / 60_000} min)`,
          read.at,
          inventory(t, due),
        );
      else pending += 1;
      continue;
    }
    const r = receipt.event as InventoryUpdateEvent;
    const late = timeOf(receipt) - timeOf(read);
    if (
      late < 0 ||
      late > leadTimeMs ||
      cellOf(r) !== cellOf(alert) ||
      r.quantity_change !== alert.suggested_quantity
    ) {
      findings.add(
        "restocks",
        `receipt ${r.event_id} of alert ${alert.event_id}: ${cellOf(r)} +${r.quantity_change} after ${late / 60_000} min; asked ${cellOf(alert)} +${alert.suggested_quantity} within ${leadTimeMs / 60_000} min`,
        receipt.at,
        undefined,
        r.event_id,
      );
    }
  }
  if (fromStart) {
    for (const [id, read] of receipts) {
      const t = timeOf(read);
      if (!alertIds.has(id))
        findings.add("restocks", `receipt of alert ${id}, which was not read`, read.at, {
          types: ["restock_alert"],
          store: read.event.store_id,
          product: (read.event as InventoryUpdateEvent).product_id,
          from: t - leadTimeMs,
          to: t,
        });
    }
  }
  return `${alerts.length} alerts, each after a crossing, receipts within ${leadTimeMs / 60_000} min${pending > 0 ? ` (${pending} still due when the read ended)` : ""}`;
}
