import type { EventOf, RetailEvent } from "../../model/events.js";
import { isEvent, type OutRecord, type ProductRow, type StoreRow } from "../../wire/envelope.js";
import { DB_SCHEMA, TABLES } from "./tables.js";

/** Text in SQL as a dollar-quoted literal, with a tag the text does not contain. */
export function literal(text: string): string {
  let tag = "j";
  while (text.includes(`$${tag}$`)) tag += "j";
  return `$${tag}$${text}$${tag}$`;
}

/**
 * One batch as one round trip: its statements in one text (the simple query
 * protocol), the rows of each as a JSON literal turned into typed rows by the
 * server. A backfill then hands the server a whole batch at once and makes the
 * next while the server writes it, instead of waiting on the event loop between
 * statements. In an order that keeps the ledger right: a fact row the database
 * already had (a duplicate submission, a record written twice) is refused by its
 * key, and only the fact rows this transaction added (their xmin is its id) make
 * an order's total or change a stock or a price, so nothing derived from a
 * refused row is applied again. Returns the statements, how many fact rows they
 * submit, and which statements insert them (their row counts are the rows added).
 */
export function batchSql(records: readonly OutRecord[]): {
  statements: string[];
  facts: number;
  factStatements: number[];
} {
  const stores: StoreRow[] = [];
  const products: ProductRow[] = [];
  const events: RetailEvent[] = [];
  const seen = new Set<string>();
  let facts = 0;
  for (const record of records) {
    if (isEvent(record)) {
      events.push(record.value);
      facts += 1;
    } else if (record.headers.event_type === "store") stores.push(record.value as StoreRow);
    else if (record.headers.event_type === "product") products.push(record.value as ProductRow);
  }
  const statements: string[] = [];
  /** The statements that insert fact rows: their row counts say how many were added. */
  const factStatements: number[] = [];
  /** Whether this transaction added the fact row of an event (its xmin is this transaction's id). */
  const addedHere = (table: string, id: string): string =>
    `EXISTS (SELECT 1 FROM ${DB_SCHEMA}.${table} f WHERE f.event_id = ${id} AND f.xmin = pg_current_xact_id()::xid)`;
  // The rows as JSON objects turned into typed rows by json_to_recordset (in C, column by column), an event id
  // beside a state row's columns when it has one.
  const select = (table: string, rows: unknown[][], id = false): string => {
    const columns = columnsOf(table);
    const names = id ? [...columns.map(([c]) => c), "row_event_id"] : columns.map(([c]) => c);
    const objects = rows.map((row) => {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i += 1) object[names[i] as string] = row[i] ?? null;
      return object;
    });
    const types = columns.map(([c, type]) => `${c} ${type}`).join(", ");
    return `SELECT ${columns.map(([c]) => `r.${c}`).join(", ")} FROM json_to_recordset(${literal(JSON.stringify(objects))}::json) AS r(${types}${id ? ", row_event_id uuid" : ""})`;
  };
  const columnsOf = (table: string): ReadonlyArray<readonly [string, string]> =>
    (TABLES[table] as { columns: ReadonlyArray<readonly [string, string]> }).columns;
  const keyOf = (table: string): string => (TABLES[table] as { key: readonly string[] }).key.join(", ");
  const insertInto = (table: string): string =>
    `INSERT INTO ${DB_SCHEMA}.${table} (${columnsOf(table)
      .map(([c]) => c)
      .join(", ")})`;
  const upsert = (
    table: string,
    rows: unknown[][],
    columns: string[],
    when: "newer" | "different",
    only?: string,
  ): void => {
    if (rows.length === 0) return;
    const row = (of: string): string => `(${columns.map((c) => `${of}.${c}`).join(", ")})`;
    const guard =
      when === "newer"
        ? `${DB_SCHEMA}.${table}.updated_at <= EXCLUDED.updated_at`
        : `${row(`${DB_SCHEMA}.${table}`)} IS DISTINCT FROM ${row("EXCLUDED")}`;
    // `only`: the fact table of the event each row carries; the row counts only if this transaction added that fact row.
    const filter = only === undefined ? "" : ` WHERE ${addedHere(only, "r.row_event_id")}`;
    statements.push(
      `${insertInto(table)} ${select(table, rows, only !== undefined)}${filter} ON CONFLICT (${keyOf(table)}) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(", ")} WHERE ${guard}`,
    );
  };
  /** Fact rows, refused by their keys when there; the statement's row count is how many were added. */
  const facts$ = (table: string, rows: unknown[][]): void => {
    if (rows.length === 0) return;
    factStatements.push(statements.length);
    statements.push(`${insertInto(table)} ${select(table, rows)} ON CONFLICT (${keyOf(table)}) DO NOTHING`);
  };
  // A store or product written again as it is (a later run on the same database) is left alone: no change to capture.
  upsert(
    "stores",
    stores.map((s) => [s.store_id, s.name, s.city, s.region, s.timezone, s.channel, s.currency]),
    ["name", "city", "region", "timezone", "channel", "currency"],
    "different",
  );
  upsert(
    "products",
    products.map((p) => [p.product_id, p.name, p.category, p.brand, p.base_price, p.currency]),
    ["name", "category", "brand", "base_price", "currency"],
    "different",
  );
  const of = <K extends RetailEvent["event_type"]>(type: K): Array<EventOf<K>> =>
    events.filter((e): e is EventOf<K> => e.event_type === type);
  const sales = of("sale");
  facts$(
    "order_lines",
    sales.map((e) => [
      e.transaction_id,
      e.line_number ?? 1,
      e.product_id,
      e.quantity,
      e.unit_price,
      e.total_amount,
      e.event_id,
    ]),
  );
  // An order of the lines just added, its total their sum, its status the latest change already written (a status
  // change can come before its checkout's lines, when a fault made them late). A checkout's lines come in one batch, but a line a fault
  // delayed (late, replayed after an outage) comes in a later one: its amount is added to the order's total.
  if (sales.length > 0) {
    const heads = new Map<string, unknown[]>();
    for (const e of sales)
      if (!heads.has(e.transaction_id))
        heads.set(e.transaction_id, [
          e.transaction_id,
          e.store_id,
          e.customer_id,
          e.payment_method,
          e.event_time,
          e.line_count ?? 1,
          e.currency ?? "USD",
        ]);
    // In the stream's order (a reader of the table, or of its change stream, sees orders as they came).
    statements.push(`${insertInto("orders")} SELECT h.v->>0, h.v->>1, h.v->>2, h.v->>3, (h.v->>4)::timestamptz, (h.v->>5)::integer, t.total, h.v->>6, s.status, s.changed_at
      FROM json_array_elements(${literal(JSON.stringify([...heads.values()]))}::json) WITH ORDINALITY AS h(v, n)
      JOIN LATERAL (SELECT sum(l.total_amount) AS total FROM ${DB_SCHEMA}.order_lines l WHERE l.transaction_id = h.v->>0 AND l.xmin = pg_current_xact_id()::xid) t
      ON t.total IS NOT NULL
      LEFT JOIN LATERAL (SELECT c.status, c.changed_at FROM ${DB_SCHEMA}.order_status_changes c WHERE c.order_id = h.v->>0 ORDER BY c.changed_at DESC LIMIT 1) s ON true
      ORDER BY h.n
      ON CONFLICT (transaction_id) DO UPDATE SET total = ${DB_SCHEMA}.orders.total + EXCLUDED.total`);
  }
  // The state tables and an order's status change once per new event, each row's changes in order (a change-data-capture
  // reader sees every one, as the stream says it): the k-th change of each row in a batch goes in the k-th round, so no
  // statement touches a row twice; a record submitted twice in one batch changes its row once; a change older than the
  // row's (an event arriving late) is kept in its fact table but does not set the row back. Each round's rows carry their
  // event id last.
  const rounds = (changes: Array<{ id: string; key: string; row: unknown[] }>): unknown[][][] => {
    const generations: unknown[][][] = [];
    const count = new Map<string, number>();
    for (const { id, key, row } of changes) {
      if (seen.has(id)) continue;
      seen.add(id);
      const k = count.get(key) ?? 0;
      count.set(key, k + 1);
      (generations[k] ??= []).push([...row, id]);
    }
    return generations;
  };
  const inState = (
    table: "stock" | "prices",
    facts: string,
    changes: Array<{ id: string; row: unknown[] }>,
    columns: string[],
  ): void => {
    const keyed = changes.map((c) => ({ ...c, key: `${String(c.row[0])}/${String(c.row[1])}` }));
    for (const rows of rounds(keyed)) upsert(table, rows, columns, "newer", facts);
  };
  const updates = of("inventory_update");
  facts$(
    "inventory_movements",
    updates.map((e) => [
      e.event_id,
      e.store_id,
      e.product_id,
      e.quantity_change,
      e.reason,
      e.stock_after,
      e.source_event_id,
      e.event_time,
    ]),
  );
  inState(
    "stock",
    "inventory_movements",
    updates.map((e) => ({ id: e.event_id, row: [e.store_id, e.product_id, e.stock_after, e.event_time] })),
    ["quantity", "updated_at"],
  );
  const changes = of("price_change");
  facts$(
    "price_changes",
    changes.map((e) => [e.event_id, e.store_id, e.product_id, e.old_price, e.new_price, e.reason, e.event_time]),
  );
  inState(
    "prices",
    "price_changes",
    changes.map((e) => ({ id: e.event_id, row: [e.store_id, e.product_id, e.new_price, e.event_time] })),
    ["price", "updated_at"],
  );
  facts$(
    "customer_visits",
    of("customer_event").map((e) => [e.event_id, e.customer_id, e.store_id, e.action, e.transaction_id, e.event_time]),
  );
  facts$(
    "payments",
    of("payment").map((e) => [
      e.payment_id,
      e.event_id,
      e.transaction_id,
      e.attempt,
      e.store_id,
      e.customer_id,
      e.payment_method,
      e.amount,
      e.currency,
      e.status,
      e.decline_reason,
      e.event_time,
    ]),
  );
  const statuses = of("order_status");
  facts$(
    "order_status_changes",
    statuses.map((e) => [e.event_id, e.order_id, e.status, e.previous_status, e.refund_amount, e.event_time]),
  );
  // An online order's status, updated in place once per change this transaction added.
  const statusRounds = rounds(
    statuses.map((e) => ({ id: e.event_id, key: e.order_id, row: [e.order_id, e.status, e.event_time] })),
  );
  for (const rows of statusRounds)
    statements.push(`UPDATE ${DB_SCHEMA}.orders o SET status = r.status, status_at = r.changed_at
      FROM json_to_recordset(${literal(JSON.stringify(rows.map(([order_id, status, changed_at, row_event_id]) => ({ order_id, status, changed_at, row_event_id }))))}::json)
        AS r(order_id text, status text, changed_at timestamptz, row_event_id uuid)
      WHERE o.transaction_id = r.order_id AND (o.status_at IS NULL OR o.status_at <= r.changed_at)
        AND ${addedHere("order_status_changes", "r.row_event_id")}`);
  facts$(
    "returns",
    of("return").map((e) => [
      e.return_id,
      e.event_id,
      e.transaction_id,
      e.line_number,
      e.sale_event_id,
      e.store_id,
      e.purchase_store_id,
      e.product_id,
      e.customer_id,
      e.quantity,
      e.unit_price,
      e.refund_amount,
      e.currency,
      e.disposition,
      e.reason,
      e.event_time,
    ]),
  );
  facts$(
    "restock_alerts",
    of("restock_alert").map((e) => [
      e.event_id,
      e.store_id,
      e.product_id,
      e.current_stock,
      e.reorder_point,
      e.suggested_quantity,
      e.priority,
      e.event_time,
    ]),
  );
  return { statements, facts, factStatements };
}
