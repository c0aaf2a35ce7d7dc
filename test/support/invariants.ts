import { expect } from "chai";
import type { Chain } from "../../src/model/chain.js";
import type { RetailEvent } from "../../src/model/events.js";

/** The documented bound on a visit: every `enter` has its `exit` within two hours. */
const LONGEST_VISIT_MS = 2 * 3_600_000;

/** `time` on a wall clock in `timeZone`, as `HH:MM:SS.mmm` (compares with `HH:MM` opening hours as text). */
export function localClock(time: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(time));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("hour")}:${part("minute")}:${part("second")}.${String(time % 1000).padStart(3, "0")}`;
}

/** What the replay saw, for tests that want to make sure it checked something. */
export interface Replay {
  sales: number;
  alerts: number;
  receipts: number;
  visits: number;
  /** Visits that ended in the stream (an `exit`). */
  exits: number;
  stores: Set<string>;
}

/**
 * Replays a stream and asserts the chain adds up: the ledger (initial + Σ changes,
 * never negative), restocks caused by crossings and answered within the lead
 * time, sales at the price in force, buyers in the store, visits well-formed.
 */
export function checkInvariants(events: readonly RetailEvent[], chain: Chain, leadTimeMs: number): Replay {
  const product = new Map(chain.products.map((p) => [p.sku, p]));
  const stock = new Map<string, number>();
  const price = new Map<string, number>();
  const inStore = new Map<string, string>();
  const openAlerts = new Map<string, { time: number; cell: string }>();
  const reorderPoints = new Map<string, number>();
  const replay: Replay = { sales: 0, alerts: 0, receipts: 0, visits: 0, exits: 0, stores: new Set() };
  const entered = new Map<string, number>();
  const storeOf = new Map(chain.stores.map((s) => [s.store_id, s]));
  const lastTime = events.length === 0 ? 0 : Date.parse((events.at(-1) as RetailEvent).event_time);
  let previous: RetailEvent | undefined;

  for (const e of events) {
    const time = Date.parse(e.event_time);
    if ("store_id" in e) replay.stores.add(e.store_id);
    switch (e.event_type) {
      case "inventory_update": {
        const cell = `${e.store_id}/${e.product_id}`;
        // A product without fixed levels starts where its plan put it: known from its first update.
        const before = stock.get(cell) ?? product.get(e.product_id)?.initial_stock ?? e.stock_after - e.quantity_change;
        expect(e.stock_after, `stock_after of ${cell}`).to.equal(before + e.quantity_change);
        expect(e.stock_after, `stock of ${cell}`).to.be.at.least(0);
        stock.set(cell, e.stock_after);
        if (e.reason === "receipt" && e.source_event_id !== undefined) {
          const alert = openAlerts.get(e.source_event_id);
          expect(alert, `alert ${e.source_event_id} before its receipt`).to.not.equal(undefined);
          expect(alert?.cell).to.equal(cell);
          expect(time - (alert?.time ?? 0)).to.be.within(0, leadTimeMs);
          openAlerts.delete(e.source_event_id);
          replay.receipts += 1;
        }
        break;
      }
      case "restock_alert": {
        const cell = `${e.store_id}/${e.product_id}`;
        // The update just before it crossed the reorder point.
        expect(previous?.event_type).to.equal("inventory_update");
        if (previous?.event_type === "inventory_update") {
          expect(`${previous.store_id}/${previous.product_id}`).to.equal(cell);
          expect(previous.stock_after).to.be.at.most(e.reorder_point);
          expect(previous.stock_after - previous.quantity_change).to.be.above(e.reorder_point);
          expect(e.current_stock).to.equal(previous.stock_after);
        }
        const point = reorderPoints.get(cell) ?? e.reorder_point;
        expect(e.reorder_point, `reorder point of ${cell}`).to.equal(point);
        reorderPoints.set(cell, point);
        openAlerts.set(e.event_id, { time, cell });
        replay.alerts += 1;
        break;
      }
      case "price_change": {
        const cell = `${e.store_id}/${e.product_id}`;
        expect(e.old_price, `price in force of ${cell}`).to.equal(
          price.get(cell) ?? product.get(e.product_id)?.base_price,
        );
        price.set(cell, e.new_price);
        break;
      }
      case "sale": {
        const cell = `${e.store_id}/${e.product_id}`;
        expect(e.unit_price, `price of ${cell}`).to.equal(price.get(cell) ?? product.get(e.product_id)?.base_price);
        const known = stock.get(cell) ?? product.get(e.product_id)?.initial_stock;
        if (known !== undefined) expect(e.quantity).to.be.at.most(known);
        if (!e.customer_id.startsWith("W-"))
          expect(inStore.get(e.customer_id), `${e.customer_id} in ${e.store_id}`).to.equal(e.store_id);
        replay.sales += 1;
        break;
      }
      case "customer_event": {
        if (e.action === "enter") {
          expect(inStore.has(e.customer_id), `${e.customer_id} enters twice`).to.equal(false);
          inStore.set(e.customer_id, e.store_id);
          entered.set(e.customer_id, time);
          replay.visits += 1;
        } else {
          expect(inStore.get(e.customer_id), `${e.customer_id} ${e.action} while not in ${e.store_id}`).to.equal(
            e.store_id,
          );
          if (e.action === "exit") {
            const length = time - (entered.get(e.customer_id) as number);
            expect(length, `${e.customer_id}'s visit to ${e.store_id}, ms`).to.be.at.most(LONGEST_VISIT_MS);
            const hours = storeOf.get(e.store_id)?.opening_hours;
            if (hours !== undefined && storeOf.get(e.store_id)?.channel !== "online") {
              const clock = localClock(time, storeOf.get(e.store_id)?.timezone ?? "UTC");
              expect(
                clock >= `${hours.open}:00.000` && clock <= `${hours.close}:00.000`,
                `${e.customer_id} leaves ${e.store_id} at ${clock}, open ${hours.open}–${hours.close}`,
              ).to.equal(true);
            }
            inStore.delete(e.customer_id);
            replay.exits += 1;
          }
        }
        break;
      }
    }
    previous = e;
  }
  // Visits still going are those whose end was not due before the stream ended.
  for (const [customer] of inStore)
    expect(lastTime - (entered.get(customer) as number), `${customer} still in at the end, ms`).to.be.below(
      LONGEST_VISIT_MS,
    );
  // Alerts still open are those whose receipt was not due before the stream ended.
  for (const [id, alert] of openAlerts) expect(alert.time + leadTimeMs, `receipt of ${id}`).to.be.above(lastTime);
  return replay;
}
