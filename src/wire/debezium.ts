// Debezium's change events without a database: what its PostgreSQL connector captures from the
// tables `--sink postgres` writes (the state and reference tables), made from the stream itself,
// in its JSON converter's form (with or without the schema part) or in Avro as Kafka Connect's
// Avro converter maps that schema.
import { profileOfValue } from "../model/profiles.js";
import {
  isEvent,
  isTruth,
  type ChangeRecord,
  type ChangeRow as Row,
  type ChangeValue,
  type OutRecord,
  type ProductRow,
  type StoreRow,
} from "./envelope.js";

/**
 * The tables whose changes `--format debezium` writes, in the database schema `retail`: the state and
 * reference tables, and (schema version 3) the orders, whose status is updated in place.
 */
export const DEBEZIUM_TABLES = ["stores", "products", "stock", "prices", "orders"] as const;
export type DebeziumTable = (typeof DEBEZIUM_TABLES)[number];

/** The tables a run of a version writes changes of: the orders only where checkouts have a life after the till. */
export function debeziumTables(lifecycle: boolean): readonly DebeziumTable[] {
  return lifecycle ? DEBEZIUM_TABLES : DEBEZIUM_TABLES.filter((table) => table !== "orders");
}

/** How `--format debezium*` writes a change: JSON without the schema part, JSON with it, or Avro through the registry. */
export type DebeziumEncoding = "json" | "json-with-schema" | "avro";

/** Debezium's topic of a table: `<topic.prefix>.<schema>.<table>`, the connector's topic prefix being `retail`. */
export const debeziumTopic = (table: DebeziumTable, prefix = ""): string => `${prefix}retail.retail.${table}`;

/** A Kafka Connect schema, as Debezium's JSON converter writes it. */
export interface ConnectSchema {
  type: string;
  optional: boolean;
  field?: string;
  name?: string;
  version?: number;
  parameters?: Record<string, string>;
  default?: string;
  fields?: ConnectSchema[];
}

const column = (field: string, type: string, optional = true, name?: string): ConnectSchema =>
  name === undefined ? { type, optional, field } : { type, optional, name, version: 1, field };
const zoned = (field: string): ConnectSchema => column(field, "string", true, "io.debezium.time.ZonedTimestamp");

/** Each table's columns as the connector types them (numeric as text: decimal.handling.mode=string); the key columns are not optional. */
const COLUMNS: Record<DebeziumTable, { key: string[]; columns: ConnectSchema[] }> = {
  stores: {
    key: ["store_id"],
    columns: ["store_id", "name", "city", "region", "timezone", "channel", "currency"].map((c) =>
      column(c, "string", c !== "store_id"),
    ),
  },
  products: {
    key: ["product_id"],
    columns: ["product_id", "name", "category", "brand", "base_price", "currency"].map((c) =>
      column(c, "string", c !== "product_id"),
    ),
  },
  stock: {
    key: ["store_id", "product_id"],
    columns: [
      column("store_id", "string", false),
      column("product_id", "string", false),
      column("quantity", "int32"),
      zoned("updated_at"),
    ],
  },
  prices: {
    key: ["store_id", "product_id"],
    columns: [
      column("store_id", "string", false),
      column("product_id", "string", false),
      column("price", "string"),
      zoned("updated_at"),
    ],
  },
  orders: {
    key: ["transaction_id"],
    columns: [
      column("transaction_id", "string", false),
      column("store_id", "string"),
      column("customer_id", "string"),
      column("payment_method", "string"),
      zoned("ordered_at"),
      column("line_count", "int32"),
      column("total", "string"),
      column("currency", "string"),
      column("status", "string"),
      zoned("status_at"),
    ],
  },
};

/** The connector's Source block, field by field as Debezium 3.6 declares it. */
const SOURCE: ConnectSchema = {
  type: "struct",
  optional: false,
  name: "io.debezium.connector.postgresql.Source",
  version: 1,
  field: "source",
  fields: [
    column("version", "string", false),
    column("connector", "string", false),
    column("name", "string", false),
    column("ts_ms", "int64", false),
    {
      type: "string",
      optional: true,
      name: "io.debezium.data.Enum",
      version: 1,
      parameters: { allowed: "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental" },
      default: "false",
      field: "snapshot",
    },
    column("db", "string", false),
    column("sequence", "string"),
    column("ts_us", "int64"),
    column("ts_ns", "int64"),
    column("schema", "string", false),
    column("table", "string", false),
    column("txId", "int64"),
    column("lsn", "int64"),
    column("xmin", "int64"),
    column("origin", "string"),
    column("origin_lsn", "int64"),
  ],
};

const TRANSACTION: ConnectSchema = {
  type: "struct",
  optional: true,
  name: "event.block",
  version: 1,
  field: "transaction",
  fields: [
    column("id", "string", false),
    column("total_order", "int64", false),
    column("data_collection_order", "int64", false),
  ],
};

/** The key schema of a table's topic. */
export function keySchema(table: DebeziumTable, topic: string): ConnectSchema {
  const { key, columns } = COLUMNS[table];
  return {
    type: "struct",
    fields: columns.filter((c) => key.includes(c.field as string)),
    optional: false,
    name: `${topic}.Key`,
  };
}

/** The value schema of a table's topic: the envelope of before, after, source, transaction, op and times. */
export function envelopeSchema(table: DebeziumTable, topic: string): ConnectSchema {
  const row = (field: string): ConnectSchema => ({
    type: "struct",
    fields: COLUMNS[table].columns,
    optional: true,
    name: `${topic}.Value`,
    field,
  });
  return {
    type: "struct",
    optional: false,
    name: `${topic}.Envelope`,
    version: 2,
    fields: [
      row("before"),
      row("after"),
      SOURCE,
      TRANSACTION,
      column("op", "string", false),
      column("ts_ms", "int64"),
      column("ts_us", "int64"),
      column("ts_ns", "int64"),
    ],
  };
}

/** A timestamptz as Debezium writes it (ZonedTimestamp, microseconds): 2026-11-02T18:30:00.000000Z. */
const zonedText = (iso: string): string => iso.replace(/\.(\d{3})Z$/, ".$1000Z");

/** Where a row change sits in the initial snapshot of the reference tables, as Debezium marks it. */
type Snapshot = "first" | "true" | "last_in_data_collection" | "first_in_data_collection" | "last" | "false";

/**
 * Turns a run's records into the row changes of the database `--sink postgres`
 * would write: the stores and products read by the connector's initial snapshot
 * (`r`), a store × product's stock and shelf price inserted then updated in place
 * (with the row before), and in schema version 3 each checkout's order row as its
 * last line completes it, an online order's status updated in place at each
 * change. Events of other types change only fact tables, which these topics leave
 * out; truth rows pass.
 */
export class DebeziumChanges {
  private readonly rows = new Map<string, Row>();
  private snapshotted = 0;
  /** The amount so far of the checkout under way (version 3), in cents. */
  private checkoutCents = 0;

  /** `snapshot`: how many stores and products the run begins with (its reference rows, read as the initial snapshot). */
  constructor(
    private readonly database: string,
    private readonly prefix = "",
    private readonly snapshot = { stores: 0, products: 0 },
    private readonly encoding: DebeziumEncoding = "json",
  ) {}

  of(record: OutRecord): Array<ChangeRecord | OutRecord> {
    if (isTruth(record)) return [record];
    if (!isEvent(record)) {
      if (record.headers.event_type === "store") {
        const s = record.value as StoreRow;
        return this.change(
          "stores",
          { store_id: s.store_id },
          {
            store_id: s.store_id,
            name: s.name,
            city: s.city,
            region: s.region,
            timezone: s.timezone,
            channel: s.channel,
            currency: s.currency,
          },
          record.timestamp,
          this.snapshotMark(),
        );
      }
      const p = record.value as ProductRow;
      return this.change(
        "products",
        { product_id: p.product_id },
        {
          product_id: p.product_id,
          name: p.name,
          category: p.category,
          brand: p.brand,
          base_price: p.base_price.toFixed(2),
          currency: p.currency,
        },
        record.timestamp,
        this.snapshotMark(),
      );
    }
    const e = record.value;
    if (e.event_type === "inventory_update") {
      return this.change(
        "stock",
        { store_id: e.store_id, product_id: e.product_id },
        {
          store_id: e.store_id,
          product_id: e.product_id,
          quantity: e.stock_after,
          updated_at: zonedText(e.event_time),
        },
        record.timestamp,
      );
    }
    if (e.event_type === "sale" && profileOfValue(e.schema_version).lifecycle) {
      if ((e.line_number ?? 1) === 1) this.checkoutCents = 0;
      this.checkoutCents += Math.round(e.total_amount * 100);
      if (e.line_number !== e.line_count) return [];
      return this.change(
        "orders",
        { transaction_id: e.transaction_id },
        {
          transaction_id: e.transaction_id,
          store_id: e.store_id,
          customer_id: e.customer_id,
          payment_method: e.payment_method,
          ordered_at: zonedText(e.event_time),
          line_count: e.line_count ?? 1,
          total: (this.checkoutCents / 100).toFixed(2),
          currency: e.currency ?? "USD",
          status: null,
          status_at: null,
        },
        record.timestamp,
      );
    }
    if (e.event_type === "order_status") {
      const before = this.rows.get(`orders/${JSON.stringify({ transaction_id: e.order_id })}`);
      if (before === undefined) return [];
      return this.change(
        "orders",
        { transaction_id: e.order_id },
        { ...before, status: e.status, status_at: zonedText(e.event_time) },
        record.timestamp,
      );
    }
    if (e.event_type === "price_change") {
      return this.change(
        "prices",
        { store_id: e.store_id, product_id: e.product_id },
        {
          store_id: e.store_id,
          product_id: e.product_id,
          price: e.new_price.toFixed(2),
          updated_at: zonedText(e.event_time),
        },
        record.timestamp,
      );
    }
    return [];
  }

  /** The mark of the next reference row: the first of all, the first and last of each table, the last of all. */
  private snapshotMark(): Snapshot {
    const { stores, products } = this.snapshot;
    const total = stores + products;
    const i = this.snapshotted;
    this.snapshotted += 1;
    if (i >= total) return "false";
    if (i === 0) return "first";
    if (i === total - 1) return "last";
    if (i === stores - 1) return "last_in_data_collection";
    if (i === stores) return "first_in_data_collection";
    return "true";
  }

  private change(
    table: DebeziumTable,
    key: Row,
    after: Row,
    time: number,
    snapshot: Snapshot = "false",
  ): ChangeRecord[] {
    const keyText = JSON.stringify(key);
    const before = this.rows.get(`${table}/${keyText}`) ?? null;
    // A change older than the row's (an event arriving late) leaves the row as it is, as the database does.
    const at = table === "orders" ? "status_at" : "updated_at";
    if (before !== null && typeof before[at] === "string" && typeof after[at] === "string" && after[at] < before[at])
      return [];
    this.rows.set(`${table}/${keyText}`, after);
    const topic = debeziumTopic(table, this.prefix);
    const payload: ChangeValue = {
      before,
      after,
      source: {
        version: "retail-stream",
        connector: "postgresql",
        name: "retail",
        ts_ms: time,
        snapshot,
        db: this.database,
        sequence: null,
        ts_us: time * 1000,
        ts_ns: null,
        schema: "retail",
        table,
        txId: null,
        lsn: null,
        xmin: null,
        origin: null,
        origin_lsn: null,
      },
      transaction: null,
      op: snapshot !== "false" ? "r" : before === null ? "c" : "u",
      ts_ms: time,
      ts_us: time * 1000,
      ts_ns: null,
    };
    const withSchema = this.encoding === "json-with-schema";
    return [
      {
        topic,
        key: withSchema ? JSON.stringify({ schema: keySchema(table, topic), payload: key }) : keyText,
        timestamp: time,
        headers: { event_type: "change", schema_version: "1", table },
        value: withSchema ? { schema: envelopeSchema(table, topic), payload } : payload,
      },
    ];
  }
}

/**
 * A Connect schema as Kafka Connect's Avro converter maps it: a struct is a
 * record named by its schema name (namespace and name), an optional field a
 * union with null first and default null, Connect's names, versions and
 * parameters kept as `connect.*` properties. A named record met again is
 * referred to by its full name.
 */
export function connectToAvro(schema: ConnectSchema, named = new Set<string>()): unknown {
  const primitive: Record<string, string> = {
    string: "string",
    int32: "int",
    int64: "long",
    boolean: "boolean",
    float64: "double",
  };
  let type: unknown;
  if (schema.type === "struct") {
    // Avro names allow letters, digits and _ (not leading digits): others become _, as Debezium's avro name adjustment does.
    const full = (schema.name ?? "ConnectDefault")
      .split(".")
      .map((part) => part.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=\d)/, "_"))
      .join(".");
    if (named.has(full)) type = full;
    else {
      named.add(full);
      const dot = full.lastIndexOf(".");
      type = {
        type: "record",
        name: full.slice(dot + 1),
        ...(dot > 0 ? { namespace: full.slice(0, dot) } : {}),
        fields: (schema.fields ?? []).map((f) => ({
          name: f.field,
          type: connectToAvro(f, named),
          ...(f.optional ? { default: f.default ?? null } : {}),
        })),
        ...(schema.version === undefined ? {} : { "connect.version": schema.version }),
        ...(schema.name === undefined ? {} : { "connect.name": schema.name }),
      };
    }
  } else {
    const base = primitive[schema.type] ?? "string";
    type =
      schema.name === undefined && schema.parameters === undefined
        ? base
        : {
            type: base,
            ...(schema.version === undefined ? {} : { "connect.version": schema.version }),
            ...(schema.parameters === undefined ? {} : { "connect.parameters": schema.parameters }),
            ...(schema.default === undefined ? {} : { "connect.default": schema.default }),
            ...(schema.name === undefined ? {} : { "connect.name": schema.name }),
          };
  }
  if (!schema.optional || schema.field === undefined) return type;
  // An optional field with a default other than null puts its type first, as the default must match the union's first branch.
  return schema.default === undefined ? ["null", type] : [type, "null"];
}
