/** The five kinds of retail activity, as they appear in `event_type`. */
export const EVENT_TYPES = ["sale", "inventory_update", "customer_event", "price_change", "restock_alert"] as const;
/** One of the five event types. */
export type EventType = (typeof EVENT_TYPES)[number];

/** The version of the event schemas (`data/schemas/<type>.v1.json`), in every event and its `schema_version` header: the default. */
export const SCHEMA_VERSION = 1;

/**
 * The versions a run can write. Version 2 adds baskets (a checkout's lines share
 * its `transaction_id`, with `line_number` and `line_count`), a `currency`, money
 * whose JSON text is the exact amount with two decimals, the purchase step's
 * `transaction_id`, and keys that fit the state each topic describes.
 */
export const SCHEMA_VERSIONS = [1, 2] as const;
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];

export const PAYMENT_METHODS = ["credit_card", "debit_card", "cash", "mobile_wallet", "gift_card"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const INVENTORY_REASONS = ["sale", "receipt", "adjustment", "damage", "theft"] as const;
export type InventoryReason = (typeof INVENTORY_REASONS)[number];

export const PRICE_REASONS = ["promotion", "cost_change", "clearance", "competitor_match"] as const;
/** Reasons of a price change: the drawn ones, and a flash sale's start and end. */
export type PriceChangeReason = (typeof PRICE_REASONS)[number] | "flash_sale" | "flash_sale_end";
export type PriceReason = (typeof PRICE_REASONS)[number];

export const CUSTOMER_ACTIONS = ["enter", "browse", "purchase", "exit", "signup"] as const;
export type CustomerAction = (typeof CUSTOMER_ACTIONS)[number];

export const PRIORITIES = ["low", "medium", "high", "critical"] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface EventBase {
  event_id: string;
  /** ISO 8601 UTC with milliseconds: the pipeline clock at emission. */
  event_time: string;
  schema_version: number;
}

/** A sale of `quantity` units at the shelf price in force; `total_amount` = quantity × unit_price to the cent. */
export interface SaleEvent extends EventBase {
  event_type: "sale";
  transaction_id: string;
  store_id: string;
  product_id: string;
  quantity: number;
  unit_price: number;
  total_amount: number;
  payment_method: PaymentMethod;
  customer_id: string;
  /** Version 2: the line's place in its checkout (1-based) and the checkout's number of lines. */
  line_number?: number;
  line_count?: number;
  /** Version 2: ISO 4217 code of the store's money. */
  currency?: string;
}

/** A change of one store × product's stock: a sale's decrement, a receipt, an adjustment or shrinkage. */
export interface InventoryUpdateEvent extends EventBase {
  event_type: "inventory_update";
  store_id: string;
  product_id: string;
  quantity_change: number;
  reason: InventoryReason;
  /** Stock of this store × product once the change is applied (never below 0). */
  stock_after: number;
  /** The event that caused this update: a sale for its decrement, a restock alert for its receipt. */
  source_event_id?: string;
}

/** A shelf price set in one store: from the price in force to the new one. */
export interface PriceChangeEvent extends EventBase {
  event_type: "price_change";
  product_id: string;
  /** Prices are set per store (each store's shelf price for the product). */
  store_id: string;
  old_price: number;
  new_price: number;
  reason: PriceChangeReason;
  /** Version 2: ISO 4217 code of the store's money. */
  currency?: string;
}

/** A step of a customer's visit to a store (or web session online). */
export interface CustomerEvent extends EventBase {
  event_type: "customer_event";
  customer_id: string;
  store_id: string;
  action: CustomerAction;
  /** Version 2: the checkout a `purchase` step paid for. */
  transaction_id?: string;
}

/** Stock fell to or below its reorder point: a restock is asked for (its receipt follows after the lead time). */
export interface RestockAlertEvent extends EventBase {
  event_type: "restock_alert";
  store_id: string;
  product_id: string;
  current_stock: number;
  reorder_point: number;
  suggested_quantity: number;
  priority: Priority;
}

/** Any retail event: a union discriminated on `event_type`. */
export type RetailEvent = SaleEvent | InventoryUpdateEvent | PriceChangeEvent | CustomerEvent | RestockAlertEvent;

/** The event of one type. */
export type EventOf<K extends EventType> = Extract<RetailEvent, { event_type: K }>;

/** Money in dollars from integer cents, exact to the cent. */
export function fromCents(cents: number): number {
  return Math.round(cents) / 100;
}

/** Integer cents from dollars. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

/**
 * Whether an event is a consequence of another rather than a primary event
 * drawn by the source: a sale's decrement and purchase, a restock alert, its receipt, a visit's exit.
 */
export function isCaused(event: RetailEvent): boolean {
  return (
    event.event_type === "restock_alert" ||
    (event.event_type === "inventory_update" && event.source_event_id !== undefined) ||
    (event.event_type === "customer_event" && (event.action === "purchase" || event.action === "exit"))
  );
}

/**
 * Whether an event is a primary event, as `--count` and the summary count them:
 * not caused by another, and not a checkout's line after its first (a checkout
 * of schema version 2 counts once).
 */
export function isPrimary(event: RetailEvent): boolean {
  return !isCaused(event) && !(event.event_type === "sale" && (event.line_number ?? 1) > 1);
}

/** `event_time` text of simulated times; events often share a millisecond (a burst, a backfill), so each is formatted once. */
export function isoFormatter(): (time: number) => string {
  let last = { time: Number.NaN, text: "" };
  return (time) => {
    if (last.time !== time) last = { time, text: new Date(time).toISOString() };
    return last.text;
  };
}
