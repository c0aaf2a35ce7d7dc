// The chain as a shop's database holds it (database schema version 2, in the PostgreSQL schema
// `retail`): reference tables, state tables updated in place, fact tables appended to. Every
// table has a primary key and REPLICA IDENTITY FULL, so change data capture sees whole rows.

/**
 * The version of the tables below; a database that holds another is refused. 2: orders say their
 * status (an online order's, updated in place), and payments, order status changes and returns have
 * tables (schema version 3's events); `--create-tables auto` brings a version 1 database up to it.
 */
export const DB_SCHEMA_VERSION = 2;

/** The PostgreSQL schema the tables live in. */
export const DB_SCHEMA = "retail";

/** Each table: its columns (name, SQL type) in order, and its primary key. */
export const TABLES: Readonly<
  Record<string, { columns: ReadonlyArray<readonly [string, string]>; key: readonly string[] }>
> = {
  stores: {
    columns: [
      ["store_id", "text"],
      ["name", "text"],
      ["city", "text"],
      ["region", "text"],
      ["timezone", "text"],
      ["channel", "text"],
      ["currency", "text"],
    ],
    key: ["store_id"],
  },
  products: {
    columns: [
      ["product_id", "text"],
      ["name", "text"],
      ["category", "text"],
      ["brand", "text"],
      ["base_price", "numeric"],
      ["currency", "text"],
    ],
    key: ["product_id"],
  },
  // State: the stock and the shelf price of each store × product, updated in place.
  stock: {
    columns: [
      ["store_id", "text"],
      ["product_id", "text"],
      ["quantity", "integer"],
      ["updated_at", "timestamp with time zone"],
    ],
    key: ["store_id", "product_id"],
  },
  prices: {
    columns: [
      ["store_id", "text"],
      ["product_id", "text"],
      ["price", "numeric"],
      ["updated_at", "timestamp with time zone"],
    ],
    key: ["store_id", "product_id"],
  },
  // Facts: orders with their lines, inventory movements, price changes, customer visits, payments, order status
  // changes, returns, restock alerts.
  orders: {
    columns: [
      ["transaction_id", "text"],
      ["store_id", "text"],
      ["customer_id", "text"],
      ["payment_method", "text"],
      ["ordered_at", "timestamp with time zone"],
      ["line_count", "integer"],
      ["total", "numeric"],
      ["currency", "text"],
      // An online order's current status and when it came (schema version 3), updated in place; none for a till's checkout.
      ["status", "text"],
      ["status_at", "timestamp with time zone"],
    ],
    key: ["transaction_id"],
  },
  order_lines: {
    columns: [
      ["transaction_id", "text"],
      ["line_number", "integer"],
      ["product_id", "text"],
      ["quantity", "integer"],
      ["unit_price", "numeric"],
      ["total_amount", "numeric"],
      ["event_id", "uuid"],
    ],
    key: ["transaction_id", "line_number"],
  },
  inventory_movements: {
    columns: [
      ["event_id", "uuid"],
      ["store_id", "text"],
      ["product_id", "text"],
      ["quantity_change", "integer"],
      ["reason", "text"],
      ["stock_after", "integer"],
      ["source_event_id", "uuid"],
      ["moved_at", "timestamp with time zone"],
    ],
    key: ["event_id"],
  },
  price_changes: {
    columns: [
      ["event_id", "uuid"],
      ["store_id", "text"],
      ["product_id", "text"],
      ["old_price", "numeric"],
      ["new_price", "numeric"],
      ["reason", "text"],
      ["changed_at", "timestamp with time zone"],
    ],
    key: ["event_id"],
  },
  customer_visits: {
    columns: [
      ["event_id", "uuid"],
      ["customer_id", "text"],
      ["store_id", "text"],
      ["action", "text"],
      ["transaction_id", "text"],
      ["at", "timestamp with time zone"],
    ],
    key: ["event_id"],
  },
  payments: {
    columns: [
      ["payment_id", "text"],
      ["event_id", "uuid"],
      ["transaction_id", "text"],
      ["attempt", "integer"],
      ["store_id", "text"],
      ["customer_id", "text"],
      ["payment_method", "text"],
      ["amount", "numeric"],
      ["currency", "text"],
      ["status", "text"],
      ["decline_reason", "text"],
      ["paid_at", "timestamp with time zone"],
    ],
    key: ["payment_id"],
  },
  order_status_changes: {
    columns: [
      ["event_id", "uuid"],
      ["order_id", "text"],
      ["status", "text"],
      ["previous_status", "text"],
      ["refund_amount", "numeric"],
      ["changed_at", "timestamp with time zone"],
    ],
    key: ["event_id"],
  },
  returns: {
    columns: [
      ["return_id", "text"],
      ["event_id", "uuid"],
      ["transaction_id", "text"],
      ["line_number", "integer"],
      ["sale_event_id", "uuid"],
      ["store_id", "text"],
      ["purchase_store_id", "text"],
      ["product_id", "text"],
      ["customer_id", "text"],
      ["quantity", "integer"],
      ["unit_price", "numeric"],
      ["refund_amount", "numeric"],
      ["currency", "text"],
      ["disposition", "text"],
      ["reason", "text"],
      ["returned_at", "timestamp with time zone"],
    ],
    key: ["return_id"],
  },
  restock_alerts: {
    columns: [
      ["event_id", "uuid"],
      ["store_id", "text"],
      ["product_id", "text"],
      ["current_stock", "integer"],
      ["reorder_point", "integer"],
      ["suggested_quantity", "integer"],
      ["priority", "text"],
      ["alerted_at", "timestamp with time zone"],
    ],
    key: ["event_id"],
  },
};

/** The statements that make the schema and its tables where missing. */
export function createStatements(): string[] {
  const money = (type: string): string => (type === "numeric" ? "numeric(12, 2)" : type);
  const tables = Object.entries(TABLES).flatMap(([name, table]) => [
    `CREATE TABLE IF NOT EXISTS ${DB_SCHEMA}.${name} (${table.columns.map(([column, type]) => `${column} ${money(type)}${table.key.includes(column) ? " NOT NULL" : ""}`).join(", ")}, PRIMARY KEY (${table.key.join(", ")}))`,
    `ALTER TABLE ${DB_SCHEMA}.${name} REPLICA IDENTITY FULL`,
  ]);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${DB_SCHEMA}`,
    `CREATE TABLE IF NOT EXISTS ${DB_SCHEMA}.schema_info (version integer PRIMARY KEY)`,
    `INSERT INTO ${DB_SCHEMA}.schema_info (version) VALUES (${DB_SCHEMA_VERSION}) ON CONFLICT DO NOTHING`,
    ...tables,
    // A version 1 database's orders gain the status columns (the new tables were made above).
    `ALTER TABLE ${DB_SCHEMA}.orders ADD COLUMN IF NOT EXISTS status text, ADD COLUMN IF NOT EXISTS status_at timestamp with time zone`,
    // Where each run stands (--transactional-id): written in the same transaction as its records, read by --resume.
    `CREATE TABLE IF NOT EXISTS ${DB_SCHEMA}.run_position (run_id text PRIMARY KEY, records bigint NOT NULL, primary_events bigint NOT NULL, at bigint NOT NULL, seed bigint NOT NULL, start bigint NOT NULL, fingerprint text NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS order_lines_product ON ${DB_SCHEMA}.order_lines (product_id)`,
    `CREATE INDEX IF NOT EXISTS orders_store_time ON ${DB_SCHEMA}.orders (store_id, ordered_at)`,
    // An order's latest status change, looked up as its row is written.
    `CREATE INDEX IF NOT EXISTS order_status_changes_order ON ${DB_SCHEMA}.order_status_changes (order_id, changed_at)`,
  ];
}
