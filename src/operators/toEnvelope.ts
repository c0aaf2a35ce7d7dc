import { map, type OperatorFunction } from "rxjs";
import { DEFAULT_TOPICS, envelopeOf, type Envelope } from "../wire/envelope.js";
import type { EventType, RetailEvent } from "../model/events.js";

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
