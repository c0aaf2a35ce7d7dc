import type { Chain } from "../model/chain.js";
import { toCents, type PriceChangeEvent, type SaleEvent } from "../model/events.js";
import type { ReadEvent } from "./decode.js";
import type { Findings } from "./findings.js";
import { cellOf } from "./ledger.js";

/**
 * Every sale is at the shelf price in force in its store (the catalog price,
 * then each price change's new price) and totals quantity × price to the
 * cent; every price change starts from the price in force. A sale in the same
 * millisecond as a change of its price may be at either. Read from a later
 * point than the start, a price is known from its first change on.
 */
export function checkPrices(events: readonly ReadEvent[], chain: Chain, findings: Findings, fromStart: boolean): string {
  const catalog = new Map(chain.products.map((p) => [p.sku, toCents(p.base_price)]));
  const inForce = new Map<string, number>();
  const priceOf = (cell: string, sku: string): number | undefined => inForce.get(cell) ?? (fromStart ? catalog.get(sku) : undefined);
  const sorted = [...events].sort((a, b) => Date.parse(a.event.event_time) - Date.parse(b.event.event_time) || a.arrival - b.arrival);
  let sales = 0;
  let changes = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    const time = (sorted[i] as ReadEvent).event.event_time;
    while (j < sorted.length && (sorted[j] as ReadEvent).event.event_time === time) j += 1;
    const group = sorted.slice(i, j);
    // Prices before this millisecond, then the changes in it.
    const earlier = new Map<string, number | undefined>();
    for (const read of group) {
      if (read.event.event_type !== "price_change") continue;
      const change = read.event as PriceChangeEvent;
      const cell = cellOf(change);
      changes += 1;
      const was = priceOf(cell, change.product_id);
      if (!earlier.has(cell)) earlier.set(cell, was);
      if (was !== undefined && toCents(change.old_price) !== was) findings.add("prices", `price change ${change.event_id} of ${cell} starts from ${change.old_price}; the price in force was ${was / 100}`, read.at);
      inForce.set(cell, toCents(change.new_price));
    }
    for (const read of group) {
      if (read.event.event_type !== "sale") continue;
      const sale = read.event as SaleEvent;
      const cell = cellOf(sale);
      sales += 1;
      if (!catalog.has(sale.product_id)) findings.add("prices", `sale ${sale.event_id} of ${sale.product_id}, which is not in the catalog`, read.at);
      if (toCents(sale.quantity * sale.unit_price) !== toCents(sale.total_amount)) findings.add("prices", `sale ${sale.event_id}: ${sale.quantity} × ${sale.unit_price} is not ${sale.total_amount}`, read.at);
      const now = priceOf(cell, sale.product_id);
      const allowed = [now, earlier.get(cell)].filter((p): p is number => p !== undefined);
      if (allowed.length > 0 && !allowed.includes(toCents(sale.unit_price))) findings.add("prices", `sale ${sale.event_id} of ${cell} at ${sale.unit_price}; the price in force was ${(now as number) / 100}`, read.at);
    }
    i = j;
  }
  return `${sales} sales at the price in force, ${changes} price changes from it`;
}
