import type { EventType, RetailEvent } from "./events.js";

/** One Kafka record (or stdout line): where an event goes and how it is keyed. */
export interface Envelope<E extends RetailEvent = RetailEvent> {
  topic: string;
  key: string;
  /** Epoch milliseconds of the event's `event_time`. */
  timestamp: number;
  headers: { event_type: string; schema_version: string };
  value: E;
}

/** The default topic of each event type. */
export const DEFAULT_TOPICS: Readonly<Record<EventType, string>> = {
  sale: "retail-sales-transactions",
  inventory_update: "retail-inventory-updates",
  price_change: "retail-price-changes",
  customer_event: "retail-customer-events",
  restock_alert: "retail-restock-alerts",
};

/** The record for one event: its type's topic, key, headers and timestamp. */
export function envelopeOf(event: RetailEvent, topics: Readonly<Record<EventType, string>> = DEFAULT_TOPICS): Envelope {
  return {
    topic: topics[event.event_type],
    // Per store, so each store's events stay ordered in one partition; prices are chain-wide.
    key: event.event_type === "price_change" ? event.product_id : event.store_id,
    timestamp: Date.parse(event.event_time),
    headers: { event_type: event.event_type, schema_version: String(event.schema_version) },
    value: event,
  };
}
