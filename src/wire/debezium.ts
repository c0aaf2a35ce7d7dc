// Debezium's change events without a database: what its PostgreSQL connector captures from the
// tables `--sink postgres` writes (the state and reference tables), made from the stream itself.
import { isEvent, isTruth, type ChangeRecord, type ChangeRow as Row, type OutRecord, type ProductRow, type StoreRow } from "./envelope.js";

/** The tables whose changes `--format debezium` writes, in the database schema `retail`. */
export const DEBEZIUM_TABLES = ["stores", "products", "stock", "prices"] as const;
type Table = (typeof DEBEZIUM_TABLES)[number];


/** Debezium's topic of a table: `<topic.prefix>.<schema>.<table>`, the connector's topic prefix being `retail`. */
export const debeziumTopic = (table: Table, prefix = ""): string => `${prefix}retail.retail.${table}`;



/** A timestamptz as Debezium writes it (ZonedTimestamp, microseconds): 2026-11-02T18:30:00.000000Z. */
const zoned = (iso: string): string => iso.replace(/\.(\d{3})Z$/, ".$1000Z");

/**
 * Turns a run's records into the row changes of the database `--sink postgres`
 * would write: a store or product inserted, a store × product's stock and shelf
 * price inserted then updated in place (with the row before). Events of other
 * types change only fact tables, which these topics leave out; truth rows pass.
 */
export class DebeziumChanges {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly database: string, private readonly prefix = "") {}

  of(record: OutRecord): Array<ChangeRecord | OutRecord> {
    if (isTruth(record)) return [record];
    if (!isEvent(record)) {
      if (record.headers.event_type === "store") {
        const s = record.value as StoreRow;
        return this.change("stores", { store_id: s.store_id }, { store_id: s.store_id, name: s.name, city: s.city, region: s.region, timezone: s.timezone, channel: s.channel, currency: s.currency }, record.timestamp);
      }
      const p = record.value as ProductRow;
      return this.change("products", { product_id: p.product_id }, { product_id: p.product_id, name: p.name, category: p.category, brand: p.brand, base_price: p.base_price.toFixed(2), currency: p.currency }, record.timestamp);
    }
    const e = record.value;
    if (e.event_type === "inventory_update") {
      return this.change("stock", { store_id: e.store_id, product_id: e.product_id }, { store_id: e.store_id, product_id: e.product_id, quantity: e.stock_after, updated_at: zoned(e.event_time) }, record.timestamp);
    }
    if (e.event_type === "price_change") {
      return this.change("prices", { store_id: e.store_id, product_id: e.product_id }, { store_id: e.store_id, product_id: e.product_id, price: e.new_price.toFixed(2), updated_at: zoned(e.event_time) }, record.timestamp);
    }
    return [];
  }

  private change(table: Table, key: Row, after: Row, time: number): ChangeRecord[] {
    const keyText = JSON.stringify(key);
    const before = this.rows.get(`${table}/${keyText}`) ?? null;
    // A change older than the row's (an event arriving late) leaves the row as it is, as the database does.
    if (before !== null && typeof before.updated_at === "string" && typeof after.updated_at === "string" && after.updated_at < before.updated_at) return [];
    this.rows.set(`${table}/${keyText}`, after);
    return [{
      topic: debeziumTopic(table, this.prefix), key: keyText, timestamp: time, headers: { event_type: "change", schema_version: "1" },
      value: {
        before, after, op: before === null ? "c" : "u", ts_ms: time,
        source: { version: "retail-stream", connector: "postgresql", name: "retail", ts_ms: time, snapshot: "false", db: this.database, schema: "retail", table },
      },
    }];
  }
}
