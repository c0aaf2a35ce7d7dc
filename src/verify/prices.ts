import type { Chain } from "../model/chain.js";
import { toCents, type PriceChangeEvent, type SaleEvent } from "../model/events.js";
import type { ReadEvent } from "./decode.js";
import type { Findings } from "./findings.js";
import { cellOf } from "./ledger.js";

/**
 * Every sale is at the shelf price in force in its store (the catalog price,
 * then each price change's new price) and totals quantity × price to the
 * cent; every price change starts from the price in force. Within one
 * millisecond a price may be any it took in that millisecond (topics are not
 * ordered against each other). Read from a later
 * point than the start, a price is known from its first change on.
 */
export function checkPrices(
  events: readonly ReadEvent[],
  chain: Chain,
  findings: Findings,
  fromStart: boolean,
): string {
  const catalog = new Map(chain.products.map((p) => [p.sku, toCents(p.base_price)]));
  const inForce = new Map<string, number>();
  const priceOf = (cell: string, sku: string): number | undefined =>
    inForce.get(cell) ?? (fromStart ? catalog.get(sku) : undefined);
  const sorted = [...events].sort(
    (a, b) => Date.parse(a.event.event_time) - Date.parse(b.event.event_time) || a.arrival - b.arrival,
  );
  let sales = 0;
  let changes = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    const time = (sorted[i] as ReadEvent).event.event_time;
    while (j < sorted.length && (sorted[j] as ReadEvent).event.event_time === time) j += 1;
    const group = sorted.slice(i, j);
    // Topics are not ordered against each other: within one millisecond a price may be any it took in that millisecond.
    const took = new Map<string, Set<number>>();
    const tookIn = (cell: string, sku: string): Set<number> => {
      let prices = took.get(cell);
      if (prices === undefined) {
        const was = priceOf(cell, sku);
        took.set(cell, (prices = new Set(was === undefined ? [] : [was])));
      }
      return prices;
    };
    const changesIn = group.filter((r) => r.event.event_type === "price_change");
    for (const read of changesIn) {
      const change = read.event as PriceChangeEvent;
      tookIn(cellOf(change), change.product_id).add(toCents(change.new_price));
    }
    for (const read of changesIn) {
      const change = read.event as PriceChangeEvent;
      const cell = cellOf(change);
      changes += 1;
      const possible = tookIn(cell, change.product_id);
      if (
        possible.size > 0 &&
        priceOf(cell, change.product_id) !== undefined &&
        !possible.has(toCents(change.old_price))
      ) {
        findings.add(
          "prices",
          `price change ${change.event_id} of ${cell} starts from ${change.old_price}; the price in force was ${listed(possible)}`,
          read.at,
          earlierChange(change.product_id, read),
        );
      }
      inForce.set(cell, toCents(change.new_price));
    }
    for (const read of group) {
      if (read.event.event_type !== "sale") continue;
      const sale = read.event as SaleEvent;
      const cell = cellOf(sale);
      sales += 1;
      if (!catalog.has(sale.product_id))
        findings.add("prices", `sale ${sale.event_id} of ${sale.product_id}, which is not in the catalog`, read.at);
      if (toCents(sale.quantity * sale.unit_price) !== toCents(sale.total_amount))
        findings.add(
          "prices",
          `sale ${sale.event_id}: ${sale.quantity} × ${sale.unit_price} is not ${sale.total_amount}`,
          read.at,
        );
      const possible =
        took.get(cell) ?? new Set([priceOf(cell, sale.product_id)].filter((p): p is number => p !== undefined));
      if (possible.size > 0 && !possible.has(toCents(sale.unit_price)))
        findings.add(
          "prices",
          `sale ${sale.event_id} of ${cell} at ${sale.unit_price}; the price in force was ${listed(possible)}`,
          read.at,
          earlierChange(sale.product_id, read),
          sale.event_id,
        );
    }
    i = j;
  }
  return `${sales} sales at the price in force, ${changes} price changes from it`;
}

const listed = (cents: ReadonlySet<number>): string => [...cents].map((c) => c / 100).join(" or ");

/** A price change of `product` declared malformed before `read` may have set the price. */
const earlierChange = (product: string, read: ReadEvent) => ({
  types: ["price_change"],
  product,
  from: -Infinity,
  to: Date.parse(read.event.event_time),
});
