import type { InventoryUpdateEvent } from "../model/events.js";
import type { ReadEvent } from "./decode.js";
import { where, type Findings } from "./findings.js";

/** A store × product, `S001/P0003`. */
export const cellOf = (e: { store_id: string; product_id: string }): string => `${e.store_id}/${e.product_id}`;

/**
 * Checks that each store × product's stock adds up — every update starts
 * from the stock the one before left — and never goes below 0. Updates are
 * taken in event-time order (late ones in their place); those of one
 * millisecond in the order that chains. Returns the updates of each cell in
 * ledger order, for the truth's closing stock.
 */
export function checkLedger(
  events: readonly ReadEvent[],
  findings: Findings,
): { cells: number; updates: number; ordered: Map<string, ReadEvent[]> } {
  const byCell = new Map<string, ReadEvent[]>();
  for (const read of events) {
    if (read.event.event_type !== "inventory_update") continue;
    const key = cellOf(read.event);
    const list = byCell.get(key) ?? [];
    byCell.set(key, list);
    list.push(read);
  }
  const ordered = new Map<string, ReadEvent[]>();
  let updates = 0;
  for (const [cell, list] of byCell) {
    const time = (r: ReadEvent): number => Date.parse(r.event.event_time);
    list.sort((a, b) => time(a) - time(b) || a.arrival - b.arrival);
    const chain: ReadEvent[] = [];
    let stock: number | undefined;
    let since = -Infinity;
    for (let i = 0; i < list.length;) {
      let j = i;
      while (j < list.length && time(list[j] as ReadEvent) === time(list[i] as ReadEvent)) j += 1;
      const pending = list.slice(i, j);
      while (pending.length > 0) {
        const found = pending.findIndex((r) => stock === undefined || before(r) === stock);
        const next = pending.splice(Math.max(0, found), 1)[0] as ReadEvent;
        const update = next.event as InventoryUpdateEvent;
        if (found < 0) {
          findings.add(
            "ledger",
            `${cell}: stock was ${stock}, then ${update.event_id} (${update.reason} ${signed(update.quantity_change)}) says it left ${update.stock_after}, i.e. it started from ${before(next)}`,
            next.at,
            {
              types: ["inventory_update"],
              store: update.store_id,
              product: update.product_id,
              from: since,
              to: time(next),
            },
          );
        }
        since = time(next);
        if (update.stock_after < 0)
          findings.add("ledger", `${cell}: stock below 0 (${update.stock_after}) after ${update.event_id}`, next.at);
        stock = update.stock_after;
        chain.push(next);
        updates += 1;
      }
      i = j;
    }
    ordered.set(cell, chain);
  }
  return { cells: byCell.size, updates, ordered };
}

const before = (read: ReadEvent): number => {
  const update = read.event as InventoryUpdateEvent;
  return update.stock_after - update.quantity_change;
};
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** `where` of a read event, for messages. */
export const at = (read: ReadEvent): string => where(read.at);
