import type { Faker } from "@faker-js/faker";
import { seededFaker } from "../random/faker.js";
import { codeFrom, uuidFrom } from "../random/ids.js";
import { intBetween, pick, type Rng } from "../random/rng.js";
import type { Chain, Product, Store } from "./chain.js";
import {
  CUSTOMER_ACTIONS, PAYMENT_METHODS, PRICE_REASONS, SCHEMA_VERSION, fromCents, toCents,
  type EventOf, type EventType, type Priority, type RetailEvent,
} from "./events.js";

/** Size of the stable customer pool that sales and visits draw from. */
export const CUSTOMER_POOL = 5000;

const PAYMENT_WEIGHTS = PAYMENT_METHODS.map((value, i) => ({ value, weight: [45, 25, 12, 15, 3][i] ?? 1 }));
const SALE_QUANTITY_WEIGHTS = [{ weight: 60, value: 1 }, { weight: 22, value: 2 }, { weight: 10, value: 3 }, { weight: 5, value: 4 }, { weight: 3, value: 5 }];

/** The customer id of pool member `n`. */
export function customerId(n: number): string {
  return `C${String(n).padStart(6, "0")}`;
}

/**
 * Builds one event of a requested type at a given simulated time, drawing every
 * choice from the one seeded generator. Holds the chain's current prices, so a
 * price change applies to the sales after it.
 */
export class EventFactory {
  private readonly faker: Faker;
  private readonly priceCents = new Map<string, number>();
  private isoTime = { time: Number.NaN, text: "" };

  constructor(private readonly chain: Chain, private readonly rng: Rng) {
    this.faker = seededFaker(rng);
    for (const product of chain.products) this.priceCents.set(product.sku, toCents(product.base_price));
  }

  /** The price in force for `sku`, in dollars. */
  priceOf(sku: string): number {
    return fromCents(this.priceCents.get(sku) ?? 0);
  }

  build<K extends EventType>(type: K, time: number): EventOf<K>;
  build(type: EventType, time: number): RetailEvent {
    // Plain literals (no spread of a shared base): V8 keeps them fast-mode objects.
    const event_id = uuidFrom(this.rng);
    const event_time = this.iso(time);
    const schema_version = SCHEMA_VERSION;
    switch (type) {
      case "sale": {
        const { store, product } = this.place();
        const quantity = this.faker.helpers.weightedArrayElement(SALE_QUANTITY_WEIGHTS);
        const unitCents = this.priceCents.get(product.sku) ?? toCents(product.base_price);
        return {
          event_id, event_type: "sale", event_time, schema_version,
          transaction_id: `T-${codeFrom(this.rng, 12)}`,
          store_id: store.store_id, product_id: product.sku, quantity,
          unit_price: fromCents(unitCents), total_amount: fromCents(quantity * unitCents),
          payment_method: this.faker.helpers.weightedArrayElement(PAYMENT_WEIGHTS),
          customer_id: this.customer(),
        };
      }
      case "inventory_update": {
        const { store, product } = this.place();
        // The original plan's range, −5..+10, with signs that fit the reason.
        const reason = pick(this.rng, ["receipt", "adjustment", "damage", "theft"] as const);
        const change = reason === "receipt" ? intBetween(this.rng, 1, 10)
          : reason === "adjustment" ? pick(this.rng, [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
          : -intBetween(this.rng, 1, 5);
        return { event_id, event_type: "inventory_update", event_time, schema_version, store_id: store.store_id, product_id: product.sku, quantity_change: change, reason };
      }
      case "price_change": {
        const product = pick(this.rng, this.chain.products);
        const oldCents = this.priceCents.get(product.sku) ?? toCents(product.base_price);
        const reason = pick(this.rng, PRICE_REASONS);
        const newCents = this.repriced(product, oldCents, reason);
        this.priceCents.set(product.sku, newCents);
        return { event_id, event_type: "price_change", event_time, schema_version, product_id: product.sku, old_price: fromCents(oldCents), new_price: fromCents(newCents), reason };
      }
      case "customer_event": {
        const store = pick(this.rng, this.chain.stores);
        return { event_id, event_type: "customer_event", event_time, schema_version, customer_id: this.customer(), store_id: store.store_id, action: pick(this.rng, CUSTOMER_ACTIONS) };
      }
      case "restock_alert": {
        const { store, product } = this.place();
        const current = intBetween(this.rng, 0, product.reorder_point);
        return {
          event_id, event_type: "restock_alert", event_time, schema_version, store_id: store.store_id, product_id: product.sku,
          current_stock: current, reorder_point: product.reorder_point,
          suggested_quantity: Math.max(1, product.initial_stock - current), priority: priorityOf(current, product.reorder_point),
        };
      }
    }
  }

  /** Events often share a millisecond (a burst, a backfill): format each time once. */
  private iso(time: number): string {
    if (this.isoTime.time !== time) this.isoTime = { time, text: new Date(time).toISOString() };
    return this.isoTime.text;
  }

  private place(): { store: Store; product: Product } {
    return { store: pick(this.rng, this.chain.stores), product: pick(this.rng, this.chain.products) };
  }

  private customer(): string {
    return customerId(intBetween(this.rng, 1, CUSTOMER_POOL));
  }

  /** A new price in a sane band around the base price, ending in .x9 like shelf prices. */
  private repriced(product: Product, oldCents: number, reason: string): number {
    const baseCents = toCents(product.base_price);
    const factor = reason === "cost_change" ? 1 + (this.rng.next() * 0.2 - 0.05)
      : reason === "clearance" ? 0.5 + this.rng.next() * 0.2
      : 0.75 + this.rng.next() * 0.2;
    const from = reason === "cost_change" ? oldCents : baseCents;
    const cents = Math.round((from * factor) / 10) * 10 - 1;
    const floor = Math.max(9, Math.round(baseCents * 0.4));
    return Math.min(Math.max(cents, floor), Math.round(baseCents * 1.6));
  }
}

/** How urgent a restock is, from how far below the reorder point stock has fallen. */
export function priorityOf(current: number, reorderPoint: number): Priority {
  if (current === 0) return "critical";
  const ratio = reorderPoint === 0 ? 1 : current / reorderPoint;
  return ratio <= 0.25 ? "high" : ratio <= 0.6 ? "medium" : "low";
}
