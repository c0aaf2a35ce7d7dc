import { profileOfValue } from "../model/profiles.js";
import type { EventType, RetailEvent } from "../model/events.js";
import { truthKey, type TruthRow } from "../model/truth.js";
import type { AnomalyLabel } from "../model/anomalies.js";

/** One Kafka record (or stdout line): where an event goes and how it is keyed. */
export interface Envelope<E extends RetailEvent = RetailEvent> {
  topic: string;
  key: string;
  /** Epoch milliseconds of the event's `event_time`. */
  timestamp: number;
  /** `fault` (and `fault_detail`) when a fault operator changed the record on purpose. */
  headers: {
    event_type: string;
    schema_version: string;
    fault?: string;
    fault_detail?: string;
    event_time?: string;
    /** Wall epoch ms when the record left for the sink (a load test's latency starts there). */
    produced_at?: string;
  };
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
  payment: "retail-payments",
  order_status: "retail-order-status",
  return: "retail-returns",
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
    key: profileOfValue(event.schema_version).keys === "store" ? keyV1(event) : keyV2(event),
    timestamp: parsedTime(event.event_time),
    headers: headersOf(event.event_type, event.schema_version),
    value: event,
  };
}

/** The headers of each event type and version, made once and shared (frozen: a fault's or stamp's headers are copies). */
const sharedHeaders = new Map<string, Envelope["headers"][]>();

/** The (shared, frozen) headers of an event of `type` in schema version `version`. */
function headersOf(type: string, version: number): Envelope["headers"] {
  let byVersion = sharedHeaders.get(type);
  if (byVersion === undefined) sharedHeaders.set(type, (byVersion = []));
  return (byVersion[version] ??= Object.freeze({ event_type: type, schema_version: String(version) }));
}

/** Version 1's keys: per store, so each store's events stay ordered in one partition; prices by product. */
function keyV1(event: RetailEvent): string {
  return event.event_type === "price_change" ? event.product_id : event.store_id;
}

/**
 * Version 2's keys fit the state each topic describes and spread the load: a
 * store × product's stock, price and alerts are keyed by the pair (a JSON key,
 * `{"store_id":…,"product_id":…}`, so a table's primary key reads it as
 * columns), so the last record of a key is its current row; a checkout's lines by
 * its transaction (together, in order); a visit by its customer; a payment
 * attempt by its id, an order's status changes by the order (the last is its
 * current status), a return by its id.
 */
function keyV2(event: RetailEvent): string {
  switch (event.event_type) {
    case "sale":
      return event.transaction_id;
    case "customer_event":
      return event.customer_id;
    case "payment":
      return event.transaction_id;
    case "order_status":
      return event.order_id;
    case "return":
      return event.return_id;
    default:
      return cellKey(event.store_id, event.product_id);
  }
}

/** Each store's cells' keys by product: a chain has a few thousand, asked for at every stock, price and alert record. */
const cellKeys = new Map<string, Map<string, string>>();

/** The JSON key of a store × product, made. */
const cellKeyText = (store: string, product: string): string =>
  `{"store_id":${JSON.stringify(store)},"product_id":${JSON.stringify(product)}}`;

/** The JSON key of a store × product. */
export function cellKey(store: string, product: string): string {
  let byProduct = cellKeys.get(store);
  if (byProduct === undefined) {
    // Bounded: ids from a chain file, not from the stream; a chain beyond this is keyed without keeping.
    if (cellKeys.size >= 10_000) return cellKeyText(store, product);
    cellKeys.set(store, (byProduct = new Map()));
  }
  let key = byProduct.get(product);
  if (key === undefined) {
    key = cellKeyText(store, product);
    if (byProduct.size < 100_000) byProduct.set(product, key);
  }
  return key;
}

/** The default topic of the ground truth (`--truth`). */
export const TRUTH_TOPIC = "retail-truth";

/** A row of ground truth as a record: keyed by window and store, stamped with the window's end. */
export interface TruthRecord {
  topic: string;
  key: string;
  timestamp: number;
  headers: {
    event_type: "truth";
    schema_version: string;
    fault?: undefined;
    fault_detail?: undefined;
    event_time?: string;
    produced_at?: string;
  };
  value: TruthRow;
}

/** The default topics of the chain's reference data (schema version 2): compacted, keyed by id. */
export const REFERENCE_TOPICS = { stores: "retail-stores", products: "retail-products" } as const;

/** A store as its reference topic holds it. */
export interface StoreRow {
  store_id: string;
  name: string;
  city: string;
  region: string;
  timezone: string;
  channel: "store" | "online";
  currency: string;
  schema_version: 2;
}

/** A product as its reference topic holds it: `base_price` exact to the cent. */
export interface ProductRow {
  product_id: string;
  name: string;
  category: string;
  brand: string;
  base_price: number;
  currency: string;
  schema_version: 2;
}

/** A row of the chain's reference data as a record: keyed by its id. */
export interface ReferenceRecord {
  topic: string;
  key: string;
  timestamp: number;
  headers: {
    event_type: "store" | "product";
    schema_version: "2";
    fault?: undefined;
    fault_detail?: undefined;
    event_time?: string;
    produced_at?: string;
  };
  value: StoreRow | ProductRow;
}

/** A row as a change record carries it. */
export type ChangeRow = Record<string, string | number | null>;

/** A row change as Debezium writes it: the row before and after, where it comes from, `c`reate, `u`pdate or `r`ead by the snapshot. */
export interface ChangeValue {
  before: ChangeRow | null;
  after: ChangeRow;
  source: Record<string, unknown>;
  transaction: null;
  op: "c" | "u" | "r";
  ts_ms: number;
  ts_us: number;
  ts_ns: null;
}

/** A row change as Debezium's JSON converter writes it: the change, or the change with its schema (`{schema, payload}`). */
export interface ChangeRecord {
  topic: string;
  key: string;
  timestamp: number;
  headers: {
    event_type: "change";
    schema_version: "1";
    table: string;
    fault?: undefined;
    fault_detail?: undefined;
    event_time?: string;
    produced_at?: string;
  };
  value: ChangeValue | { schema: object; payload: ChangeValue };
}

/** The default topic of the anomaly labels (a scenario's `anomalies`). */
export const LABELS_TOPIC = "retail-anomaly-labels";

/** The topic of a run's anomaly labels: the default name after its topic prefix (the run's, or `verify`'s). */
export function labelsTopicOf(prefix = ""): string {
  return `${prefix}${LABELS_TOPIC}`;
}

/** An anomaly's label as a record: keyed by its id, stamped with the episode's end. */
export interface LabelRecord {
  topic: string;
  key: string;
  timestamp: number;
  headers: {
    event_type: "label";
    schema_version: "1";
    fault?: undefined;
    fault_detail?: undefined;
    event_time?: string;
    produced_at?: string;
  };
  value: AnomalyLabel;
}

/** The record of an anomaly's label on `topic`. */
export function labelRecord(label: AnomalyLabel, topic: string = LABELS_TOPIC): LabelRecord {
  return {
    topic,
    key: label.label_id,
    timestamp: Date.parse(label.end_time),
    headers: { event_type: "label", schema_version: "1" },
    value: label,
  };
}

/** What a sink takes: an event's record, a row of ground truth, a row of reference data, a row change (`--format debezium`) or an anomaly's label. */
export type OutRecord = Envelope | TruthRecord | ReferenceRecord | ChangeRecord | LabelRecord;

/** Whether a record carries an event (not truth, reference data, a row change or a label). */
export function isEvent(record: OutRecord): record is Envelope {
  const type = record.headers.event_type;
  return type !== "truth" && type !== "store" && type !== "product" && type !== "change" && type !== "label";
}

/** Whether a record carries an anomaly's label. */
export function isLabel(record: OutRecord): record is LabelRecord {
  return record.headers.event_type === "label";
}

/** Whether a record carries a row of the chain's reference data (a store or a product). */
export function isReference(record: OutRecord): record is ReferenceRecord {
  return record.headers.event_type === "store" || record.headers.event_type === "product";
}

/** Whether a record carries ground truth rather than an event. */
export function isTruth(record: OutRecord): record is TruthRecord {
  return record.headers.event_type === "truth";
}

/** The record of a truth row on `topic`. */
export function truthRecord(row: TruthRow, topic: string = TRUTH_TOPIC): TruthRecord {
  return {
    topic,
    key: truthKey(row),
    timestamp: Date.parse(row.window_end),
    headers: { event_type: "truth", schema_version: "1" },
    value: row,
  };
}
