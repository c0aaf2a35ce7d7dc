import { map, type OperatorFunction } from "rxjs";
import type { Envelope } from "../model/envelope.js";
import type { EventType, RetailEvent } from "../model/events.js";

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

/**
 * Wraps each event in its Kafka record: topic, key, headers, timestamp.
 *
 * @param topics overrides of the default topic names, per type
 *
 * @example
 * // source: s p|
 * // result: S P|    (S = { topic: "retail-sales-transactions", key: store_id, … })
 */
export function toEnvelope(topics: Partial<Record<EventType, string>> = {}): OperatorFunction<RetailEvent, Envelope> {
  const merged = { ...DEFAULT_TOPICS, ...topics };
  return map((event) => envelopeOf(event, merged));
}
