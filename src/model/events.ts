/**
 * The kinds of retail activity, as they appear in `event_type`: the five of the
 * original plan, then (schema version 3) a checkout's payments, an online
 * order's status changes and returns, all caused by earlier events.
 */
export const EVENT_TYPES = [
  "sale",
  "inventory_update",
  "customer_event",
  "price_change",
  "restock_alert",
  "payment",
  "order_status",
  "return",
] as const;
/** One of the event types. */
export type EventType = (typeof EVENT_TYPES)[number];

/** The types `--weights` speaks of: the original plan's five (payments, order changes and returns are caused, never drawn). */
export const WEIGHTED_TYPES = ["sale", "inventory_update", "customer_event", "price_change", "restock_alert"] as const;
/** One of the weighted types. */
export type WeightedType = (typeof WEIGHTED_TYPES)[number];

/** The version of the event schemas (`data/schemas/<type>.v1.json`), in every event and its `schema_version` header: the default. */
export const SCHEMA_VERSION = 1;

/**
 * The versions a run can write. Version 2 adds baskets (a checkout's lines share
 * its `transaction_id`, with `line_number` and `line_count`), a `currency`, money
 * whose JSON text is the exact amount with two decimals, the purchase step's
 * `transaction_id`, and keys that fit the state each topic describes. Version 3
 * (the default) adds a checkout's payments (some declined), an online order's
 * life from placed to delivered, and returns, with the inventory reasons they
 * move stock by (`return`, `cancellation`).
 */
export const SCHEMA_VERSIONS = [1, 2, 3] as const;
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];

export const PAYMENT_METHODS = ["credit_card", "debit_card", "cash", "mobile_wallet", "gift_card"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const INVENTORY_REASONS = [
  "sale",
  "receipt",
  "adjustment",
  "damage",
  "theft",
  "return",
  "cancellation",
] as const;
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

export const PAYMENT_STATUSES = ["approved", "declined"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const DECLINE_REASONS = [
  "insufficient_funds",
  "do_not_honor",
  "expired_card",
  "incorrect_pin",
  "suspected_fraud",
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** A checkout's attempt to pay (version 3): approved, or declined with a reason (a declined checkout sells nothing). */
export interface PaymentEvent extends EventBase {
  event_type: "payment";
  /** `P-` and the transaction's code and the attempt: one row per attempt. */
  payment_id: string;
  transaction_id: string;
  /** 1 for the first attempt; a customer who retries after a decline makes attempt 2. */
  attempt: number;
  store_id: string;
  customer_id: string;
  payment_method: PaymentMethod;
  amount: number;
  currency: string;
  status: PaymentStatus;
  decline_reason?: DeclineReason;
}

/**
 * The states of an online order: placed → paid → picked → shipped → delivered,
 * cancelled before it ships, or a failed delivery that is delivered at the next
 * try or goes back to the warehouse.
 */
export const ORDER_STATUSES = [
  "placed",
  "paid",
  "picked",
  "shipped",
  "delivered",
  "cancelled",
  "delivery_failed",
  "returned_to_sender",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Each status's next ones: the state machine every order follows. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ["paid", "cancelled"],
  paid: ["picked", "cancelled"],
  picked: ["shipped", "cancelled"],
  shipped: ["delivered", "delivery_failed"],
  delivery_failed: ["delivered", "returned_to_sender"],
  delivered: [],
  cancelled: [],
  returned_to_sender: [],
};

/** A status change of an online order (version 3), keyed by order: its topic backs a table of orders' current state. */
export interface OrderStatusEvent extends EventBase {
  event_type: "order_status";
  /** The checkout's `transaction_id`: an online checkout is an order. */
  order_id: string;
  store_id: string;
  customer_id: string;
  status: OrderStatus;
  /** The status before (none for `placed`). */
  previous_status?: OrderStatus;
  /** When the order was placed (its checkout's `event_time`). */
  placed_at: string;
  order_total: number;
  currency: string;
  /** What the customer gets back: the order total when it is cancelled or comes back undelivered. */
  refund_amount?: number;
}

export const RETURN_REASONS = ["changed_mind", "wrong_size", "defective", "not_as_described", "arrived_late"] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/**
 * Goods of a checkout line come back (version 3): at most the quantity bought, refunded at the price
 * paid; restocked where they are handed in (an inventory update naming the return), or written off.
 */
export interface ReturnEvent extends EventBase {
  event_type: "return";
  return_id: string;
  transaction_id: string;
  line_number: number;
  /** The sale line's `event_id`. */
  sale_event_id: string;
  /** Where the goods are handed in: the store of purchase, or for an online order the warehouse or any store. */
  store_id: string;
  /** Where they were bought. */
  purchase_store_id: string;
  product_id: string;
  customer_id: string;
  quantity: number;
  unit_price: number;
  refund_amount: number;
  currency: string;
  disposition: "restock" | "write_off";
  reason: ReturnReason;
  /** When the line was bought (its sale's `event_time`). */
  purchased_at: string;
}

/** Any retail event: a union discriminated on `event_type`. */
export type RetailEvent =
  | SaleEvent
  | InventoryUpdateEvent
  | PriceChangeEvent
  | CustomerEvent
  | RestockAlertEvent
  | PaymentEvent
  | OrderStatusEvent
  | ReturnEvent;

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
 * drawn by the source: a sale's decrement and purchase, a restock alert, its receipt, a visit's exit,
 * a checkout's payments, an order's status changes, a return.
 */
export function isCaused(event: RetailEvent): boolean {
  return (
    event.event_type === "restock_alert" ||
    event.event_type === "payment" ||
    event.event_type === "order_status" ||
    event.event_type === "return" ||
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

const DAY_MS = 86_400_000;
/** The last time `toISOString` writes with a four-digit year (9999-12-31T23:59:59.999Z). */
const LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999;

/**
 * `event_time` text of simulated times; events often share a millisecond (a burst, a backfill), so each is formatted
 * once. The text is what `Date.prototype.toISOString` writes: a day's date is asked of it once, the time of day is
 * put in digit by digit, and the 24 characters become one flat string at once.
 */
export function isoFormatter(): (time: number) => string {
  let lastTime = Number.NaN;
  let lastText = "";
  let day = Number.NaN;
  const codes = Array.from("1970-01-01T00:00:00.000Z", (c) => c.charCodeAt(0));
  const digits = (at: number, value: number, width: 2 | 3): void => {
    for (let i = at + width - 1, v = value; i >= at; i -= 1, v = (v - (v % 10)) / 10) codes[i] = 48 + (v % 10);
  };
  return (time) => {
    if (time === lastTime) return lastText;
    lastTime = time;
    if (!(Number.isInteger(time) && time >= 0 && time <= LAST_FOUR_DIGIT_YEAR))
      return (lastText = new Date(time).toISOString());
    const today = Math.floor(time / DAY_MS);
    if (today !== day) {
      day = today;
      const date = new Date(today * DAY_MS).toISOString();
      for (let i = 0; i < 10; i += 1) codes[i] = date.charCodeAt(i);
    }
    const ms = time - today * DAY_MS;
    digits(11, Math.floor(ms / 3_600_000), 2);
    digits(14, Math.floor(ms / 60_000) % 60, 2);
    digits(17, Math.floor(ms / 1000) % 60, 2);
    digits(20, ms % 1000, 3);
    return (lastText = String.fromCharCode.apply(null, codes));
  };
}
