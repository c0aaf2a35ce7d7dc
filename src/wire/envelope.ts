import type { EventType, RetailEvent } from "../model/events.js";
import { truthKey, type TruthRow } from "../model/truth.js";

/** One Kafka record (or stdout line): where an event goes and how it is keyed. */
export interface Envelope<E extends RetailEvent = RetailEvent> {
  topic: string;
  key: string;
  /** Epoch milliseconds of the event's `event_time`. */
  timestamp: number;
  /** `fault` (and `fault_detail`) when a fault operator changed the record on purpose. */
  headers: { event_type: string; schema_version: string; fault?: string; fault_detail?: string; event_time?: string };
  value: E;
  /** What goes on the wire instead of the value (a malformed record's text); the value stays what it was. */
  raw?: string;
}

/** The default topic of each event type. */
export const DEFAULT_TOPICS: Readonly<Record<EventType, string>> = {
  sale: "retail-sales-transactions",
  inventory_update: "retail-inventory-updates",
  price_change: "retail-price-changes",
  customer_event: "retail-customer-events",
  restock_alert: "retail-restock-alerts",
};

/** The last event time parsed: a sale and its consequences, and every event of a run at full speed, share it. */
const lastParsed = { iso: "", ms: 0 };

/** Epoch ms of an ISO event time. */
function parsedTime(iso: string): number {
  if (iso !== lastParsed.iso) {
    lastParsed.ms = Date.parse(iso);
    lastParsed.iso = iso;
  }
  return lastParsed.ms;
}

/** The record for one event: its type's topic, key, headers and timestamp. */
export function envelopeOf(event: RetailEvent, topics: Readonly<Record<EventType, string>> = DEFAULT_TOPICS): Envelope {
  return {
    topic: topics[event.event_type],
    // Per store, so each store's events stay ordered in one partition; prices are chain-wide.
    key: event.event_type === "price_change" ? event.product_id : event.store_id,
    timestamp: parsedTime(event.event_time),
    headers: { event_type: event.event_type, schema_version: String(event.schema_version) },
    value: event,
  };
}

/** The default topic of the ground truth (`--truth`). */
export const TRUTH_TOPIC = "retail-truth";

/** A row of ground truth as a record: keyed by window and store, stamped with the window's end. */
export interface TruthRecord {
  topic: string;
  key: string;
  timestamp: number;
  headers: { event_type: "truth"; schema_version: string; fault?: undefined; fault_detail?: undefined; event_time?: string };
  value: TruthRow;
}

/** What a sink takes: an event's record, or a row of ground truth. */
export type OutRecord = Envelope | TruthRecord;

/** Whether a record carries ground truth rather than an event. */
export function isTruth(record: OutRecord): record is TruthRecord {
  return record.headers.event_type === "truth";
}

/** The record of a truth row on `topic`. */
export function truthRecord(row: TruthRow, topic: string = TRUTH_TOPIC): TruthRecord {
  return { topic, key: truthKey(row), timestamp: Date.parse(row.window_end), headers: { event_type: "truth", schema_version: "1" }, value: row };
}
