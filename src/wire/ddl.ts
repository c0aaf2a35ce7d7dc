// The statements that declare this tool's topics in a stream processor's SQL: Flink SQL tables and
// ksqlDB streams and tables, for the JSON values of schema versions 2 and 3 (exact amounts as DECIMAL(12, 2),
// event time from the ISO-8601 `event_time`, the upsert topics keyed by their table's primary key).
import { DEFAULT_TOPICS, REFERENCE_TOPICS, TRUTH_TOPIC } from "./envelope.js";

/** Where the topics are and how late events may come. */
export interface DdlOptions {
  brokers: string;
  /** Put before every default topic name (`--topic-prefix`). */
  prefix?: string;
  /** How far behind the newest event time an event may still come (`--faults late=…:SPAN`), ms: the watermark's delay. */
  lateness: number;
  /** Flink: read up to the offsets at the job's start and end (a bounded job, for tests and backfills). */
  bounded?: boolean;
  /** The run's value format (default json); Flink reads json and avro, ksqlDB all four. */
  valueFormat?: "json" | "avro" | "protobuf" | "json-schema";
  /** The registry the Flink tables of avro values read. */
  schemaRegistry?: string;
}

type Column = readonly [name: string, flink: string, ksql: string];

const text = (name: string): Column => [name, "STRING", "VARCHAR"];
const int = (name: string): Column => [name, "INT", "INT"];
const money = (name: string): Column => [name, "DECIMAL(12, 2)", "DECIMAL(12, 2)"];
const BASE: readonly Column[] = [
  text("event_id"),
  text("event_type"),
  ["event_time", "TIMESTAMP_LTZ(3)", "VARCHAR"],
  int("schema_version"),
];

/** Each topic: its table name, columns, the key (columns of the primary key for an upsert table) and the default topic name. */
const TABLES: ReadonlyArray<{
  name: string;
  topic: string;
  columns: readonly Column[];
  upsert?: readonly string[];
  keyFormat?: "raw" | "json";
  time?: "event_time" | "record";
}> = [
  {
    name: "sales",
    topic: DEFAULT_TOPICS.sale,
    time: "event_time",
    columns: [
      ...BASE,
      text("transaction_id"),
      text("store_id"),
      text("product_id"),
      int("quantity"),
      money("unit_price"),
      money("total_amount"),
      text("payment_method"),
      text("customer_id"),
      int("line_number"),
      int("line_count"),
      text("currency"),
    ],
  },
  {
    name: "inventory_updates",
    topic: DEFAULT_TOPICS.inventory_update,
    time: "event_time",
    columns: [
      ...BASE,
      text("store_id"),
      text("product_id"),
      int("quantity_change"),
      text("reason"),
      int("stock_after"),
      text("source_event_id"),
    ],
  },
  {
    name: "price_changes",
    topic: DEFAULT_TOPICS.price_change,
    time: "event_time",
    columns: [
      ...BASE,
      text("store_id"),
      text("product_id"),
      money("old_price"),
      money("new_price"),
      text("reason"),
      text("currency"),
    ],
  },
  {
    name: "customer_events",
    topic: DEFAULT_TOPICS.customer_event,
    time: "event_time",
    columns: [...BASE, text("customer_id"), text("store_id"), text("action"), text("transaction_id")],
  },
  {
    name: "restock_alerts",
    topic: DEFAULT_TOPICS.restock_alert,
    time: "event_time",
    columns: [
      ...BASE,
      text("store_id"),
      text("product_id"),
      int("current_stock"),
      int("reorder_point"),
      int("suggested_quantity"),
      text("priority"),
    ],
  },
  // Schema version 3: a checkout's payment attempts, an online order's status changes, returns.
  {
    name: "payments",
    topic: DEFAULT_TOPICS.payment,
    time: "event_time",
    columns: [
      ...BASE,
      text("payment_id"),
      text("transaction_id"),
      int("attempt"),
      text("store_id"),
      text("customer_id"),
      text("payment_method"),
      money("amount"),
      text("currency"),
      text("status"),
      text("decline_reason"),
    ],
  },
  {
    name: "order_status_changes",
    topic: DEFAULT_TOPICS.order_status,
    time: "event_time",
    columns: [
      ...BASE,
      text("order_id"),
      text("store_id"),
      text("customer_id"),
      text("status"),
      text("previous_status"),
      text("placed_at"),
      money("order_total"),
      text("currency"),
      money("refund_amount"),
    ],
  },
  {
    name: "returns",
    topic: DEFAULT_TOPICS.return,
    time: "event_time",
    columns: [
      ...BASE,
      text("return_id"),
      text("transaction_id"),
      int("line_number"),
      text("sale_event_id"),
      text("store_id"),
      text("purchase_store_id"),
      text("product_id"),
      text("customer_id"),
      int("quantity"),
      money("unit_price"),
      money("refund_amount"),
      text("currency"),
      text("disposition"),
      text("reason"),
      text("purchased_at"),
    ],
  },
  // Each online order's current status: its status topic read as an upsert table (keyed by the order).
  {
    name: "orders",
    topic: DEFAULT_TOPICS.order_status,
    upsert: ["order_id"],
    keyFormat: "raw",
    time: "event_time",
    columns: [
      text("order_id"),
      text("status"),
      money("order_total"),
      text("currency"),
      ["event_time", "TIMESTAMP_LTZ(3)", "VARCHAR"],
    ],
  },
  // Current stock and shelf price per store × product: the event topics read as upsert tables (their key is the pair).
  {
    name: "stock",
    topic: DEFAULT_TOPICS.inventory_update,
    upsert: ["store_id", "product_id"],
    keyFormat: "json",
    time: "event_time",
    columns: [
      text("store_id"),
      text("product_id"),
      int("stock_after"),
      text("reason"),
      ["event_time", "TIMESTAMP_LTZ(3)", "VARCHAR"],
    ],
  },
  {
    name: "prices",
    topic: DEFAULT_TOPICS.price_change,
    upsert: ["store_id", "product_id"],
    keyFormat: "json",
    time: "event_time",
    columns: [
      text("store_id"),
      text("product_id"),
      money("new_price"),
      text("currency"),
      ["event_time", "TIMESTAMP_LTZ(3)", "VARCHAR"],
    ],
  },
  // The chain's reference data: versioned by the record time (the run's start), for temporal joins.
  {
    name: "stores",
    topic: REFERENCE_TOPICS.stores,
    upsert: ["store_id"],
    keyFormat: "raw",
    time: "record",
    columns: [
      text("store_id"),
      text("name"),
      text("city"),
      text("region"),
      text("timezone"),
      text("channel"),
      text("currency"),
    ],
  },
  {
    name: "products",
    topic: REFERENCE_TOPICS.products,
    upsert: ["product_id"],
    keyFormat: "raw",
    time: "record",
    columns: [text("product_id"), text("name"), text("category"), text("brand"), money("base_price"), text("currency")],
  },
  {
    name: "truth",
    topic: TRUTH_TOPIC,
    columns: [
      text("kind"),
      ["window_start", "TIMESTAMP_LTZ(3)", "VARCHAR"],
      ["window_end", "TIMESTAMP_LTZ(3)", "VARCHAR"],
      ["complete", "BOOLEAN", "BOOLEAN"],
      text("store_id"),
      text("channel"),
      text("category"),
      text("shard"),
      ["sales", "BIGINT", "BIGINT"],
      ["lines", "BIGINT", "BIGINT"],
      ["transactions", "BIGINT", "BIGINT"],
      ["units", "BIGINT", "BIGINT"],
      money("revenue"),
      ["customers_entered", "BIGINT", "BIGINT"],
      money("avg_basket"),
      ["closing_stock", "MAP<STRING, INT>", "MAP<VARCHAR, INT>"],
      // Schema version 3: refunds and returns per store and channel, orders by status.
      ["returns", "BIGINT", "BIGINT"],
      ["units_returned", "BIGINT", "BIGINT"],
      ["units_restocked", "BIGINT", "BIGINT"],
      money("refunds"),
      money("net_revenue"),
      ["payments_declined", "BIGINT", "BIGINT"],
      ["statuses", "MAP<STRING, INT>", "MAP<VARCHAR, INT>"],
      ["median_hours_to_delivery", "DOUBLE", "DOUBLE"],
    ],
  },
];

/**
 * A watermark delay as Flink's interval literal, in the largest whole unit: a single unit holds at most two
 * digits (SECOND(2): '300' SECOND is refused), so longer or mixed delays are written DAY TO SECOND.
 */
function interval(delay: number): string {
  const ms = Math.round(delay);
  if (ms === 0) return "INTERVAL '0' SECOND";
  for (const [unit, size] of [
    ["HOUR", 3_600_000],
    ["MINUTE", 60_000],
    ["SECOND", 1000],
  ] as const)
    if (ms % size === 0 && ms / size < 100) return `INTERVAL '${ms / size}' ${unit}`;
  if (ms < 1000) return `INTERVAL '0.${String(ms).padStart(3, "0")}' SECOND`;
  const two = (n: number): string => String(n).padStart(2, "0");
  const [days, hours, minutes, seconds] = [
    Math.floor(ms / 86_400_000),
    Math.floor(ms / 3_600_000) % 24,
    Math.floor(ms / 60_000) % 60,
    Math.floor(ms / 1000) % 60,
  ];
  return `INTERVAL '${days} ${two(hours)}:${two(minutes)}:${two(seconds)}.${String(ms % 1000).padStart(3, "0")}' DAY TO SECOND(3)`;
}

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Flink SQL: a CREATE TABLE per topic (the event topics append-only, stock/prices/stores/products upsert), reading from the earliest offset. */
export function flinkSql(options: DdlOptions): string {
  const prefix = options.prefix ?? "";
  const statements = TABLES.map((table) => {
    // The truth and the reference rows are JSON in every format.
    const avro = options.valueFormat === "avro" && table.name !== "truth" && table.time !== "record";
    // In Avro an amount is a double for version 1's readers; its exact twin (<name>_exact) is the decimal, read under the amount's name.
    const columns = table.columns.flatMap(([name, type]) =>
      avro && type.startsWith("DECIMAL")
        ? [`  \`${name}_exact\` ${type}`, `  \`${name}\` AS \`${name}_exact\``]
        : [`  \`${name}\` ${avro && name === "event_time" ? "TIMESTAMP(3)" : type}`],
    );
    if (table.time === "record") columns.push("  `valid_from` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL");
    if (table.upsert !== undefined)
      columns.push(`  PRIMARY KEY (${table.upsert.map((c) => `\`${c}\``).join(", ")}) NOT ENFORCED`);
    if (table.time === "event_time")
      columns.push(`  WATERMARK FOR \`event_time\` AS \`event_time\` - ${interval(options.lateness)}`);
    if (table.time === "record") columns.push("  WATERMARK FOR `valid_from` AS `valid_from`");
    if (table.name === "truth") columns.push("  WATERMARK FOR `window_end` AS `window_end`");
    const common = [
      `'topic' = ${quote(prefix + table.topic)}`,
      `'properties.bootstrap.servers' = ${quote(options.brokers)}`,
      ...(options.bounded === true ? ["'scan.bounded.mode' = 'latest-offset'"] : []),
    ];
    const json = ["'json.timestamp-format.standard' = 'ISO-8601'", "'json.ignore-parse-errors' = 'true'"];
    const value = avro
      ? ["'format' = 'avro-confluent'", `'avro-confluent.url' = ${quote(options.schemaRegistry ?? "")}`]
      : ["'format' = 'json'", ...json];
    const connector =
      table.upsert === undefined
        ? [
            "'connector' = 'kafka'",
            ...common,
            "'properties.group.id' = 'retail-stream-flink'",
            "'scan.startup.mode' = 'earliest-offset'",
            ...value,
          ]
        : [
            "'connector' = 'upsert-kafka'",
            ...common,
            `'key.format' = '${table.keyFormat}'`,
            ...value.map((o) =>
              o.replace("'format'", "'value.format'").replace(/^'(json|avro-confluent)\./, "'value.$1."),
            ),
          ];
    return `CREATE TABLE \`${table.name}\` (\n${columns.join(",\n")}\n) WITH (\n  ${connector.join(",\n  ")}\n);`;
  });
  return (
    [
      `-- Flink SQL over retail-stream's topics (schema versions 2 and 3, ${options.valueFormat === "avro" ? "Avro values through the registry (avro-confluent; the truth and the reference topics stay JSON)" : "JSON values"}). Generated by \`retail-stream schemas --format flink-sql\`.`,
      "-- Run with table.local-time-zone = 'UTC'; amounts are DECIMAL(12, 2), so sums are exact to the cent.",
      `-- Watermarks allow events ${options.lateness / 1000} s late (--faults late=…:SPAN needs at least its span: --watermark).`,
      ...statements,
    ].join("\n\n") + "\n"
  );
}

/** ksqlDB: a STREAM per event topic and the truth, a TABLE per upsert topic; event time from `event_time`. */
export function ksql(options: DdlOptions): string {
  const prefix = options.prefix ?? "";
  const registry = { avro: "AVRO", protobuf: "PROTOBUF", "json-schema": "JSON_SR" }[
    options.valueFormat ?? ("json" as string)
  ];
  const statements = TABLES.map((table) => {
    const keyed = new Set(table.upsert ?? []);
    // A registry format's value columns come from the registry (ksqlDB infers them); the key columns are said.
    const inferred = registry !== undefined && table.name !== "truth" && table.time !== "record";
    const columns = table.columns
      .filter(([name]) => !inferred || keyed.has(name))
      .map(([name, , type]) => `  \`${name.toUpperCase()}\` ${type}${keyed.has(name) ? " PRIMARY KEY" : ""}`);
    const props = [`KAFKA_TOPIC = ${quote(prefix + table.topic)}`, `VALUE_FORMAT = '${inferred ? registry : "JSON"}'`];
    if (table.upsert !== undefined) props.push(`KEY_FORMAT = '${table.keyFormat === "json" ? "JSON" : "KAFKA"}'`);
    if (table.time === "event_time")
      props.push(
        "TIMESTAMP = 'EVENT_TIME'",
        ...(inferred ? [] : ["TIMESTAMP_FORMAT = 'yyyy-MM-dd''T''HH:mm:ss.SSSX'"]),
      );
    const kind = table.upsert === undefined ? "STREAM" : "TABLE";
    const body = columns.length === 0 ? "" : ` (\n${columns.join(",\n")}\n)`;
    return `CREATE ${kind} \`${table.name.toUpperCase()}\`${body} WITH (\n  ${props.join(",\n  ")}\n);`;
  });
  return (
    [
      "-- ksqlDB over retail-stream's topics (schema versions 2 and 3, JSON values). Generated by `retail-stream schemas --format ksql`.",
      "-- Amounts are DECIMAL(12, 2); event time is read from EVENT_TIME (ISO 8601, UTC).",
      ...statements,
    ].join("\n\n") + "\n"
  );
}
