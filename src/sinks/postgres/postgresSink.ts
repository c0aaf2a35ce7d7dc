import type { Pool, PoolClient } from "pg";
import { SinkError } from "../../errors.js";
import type { EventOf, RetailEvent } from "../../model/events.js";
import { isEvent, type OutRecord, type ProductRow, type StoreRow } from "../../wire/envelope.js";
import { isPrimary } from "../../model/events.js";
import type { DeliveryTotals, Sink, SinkTotals, Transactional } from "../sink.js";
import { DB_SCHEMA, DB_SCHEMA_VERSION, TABLES, createStatements } from "./tables.js";

/** How the database sink writes. */
export interface PostgresSinkSettings {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** `auto` makes the schema and tables where missing; `never` uses what is there (a writer without CREATE). */
  createTables: "auto" | "never";
  /** Records per transaction at most (a checkout is never split). */
  batchRecords?: number;
  /** Records written but not committed before the source pauses. */
  maxInFlight?: number;
  /** How long a database that went away is waited for before the run fails, ms. */
  outageMs?: number;
  log: { info: (m: string) => void; warn: (m: string) => void };
  /** The pool (a test's); by default one is made from `url`. */
  pool?: Pool;
  /** The run's id (`--transactional-id`): each transaction then records where the run stands, for `--resume`. */
  runId?: string;
  /** Whether the run submits duplicates on purpose (`--faults duplicate`): their refusals are then expected, and counted as such. */
  duplicates?: boolean;
}

/** Where a run stood at its last committed database transaction. */
export interface DatabasePosition {
  records: number;
  primary: number;
  time: number;
  identity: { seed: number; start: number; fingerprint: string };
}

/** The last committed position of run `runId`, or undefined when it has none (or the tables are not there yet). */
export async function readPosition(url: string, runId: string): Promise<DatabasePosition | undefined> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const found = await client
      .query(
        `SELECT records, primary_events, at, seed, start, fingerprint FROM ${DB_SCHEMA}.run_position WHERE run_id = $1`,
        [runId],
      )
      .catch((error: { code?: string }) => {
        if (error.code === "42P01" || error.code === "3F000") return undefined;
        throw error;
      });
    const row = found?.rows[0] as
      | { records: string; primary_events: string; at: string; seed: string; start: string; fingerprint: string }
      | undefined;
    return row === undefined
      ? undefined
      : {
          records: Number(row.records),
          primary: Number(row.primary_events),
          time: Number(row.at),
          identity: { seed: Number(row.seed), start: Number(row.start), fingerprint: row.fingerprint },
        };
  } catch (error) {
    throw new SinkError(`--resume: cannot read the position of ${runId}: ${problemOf(error, url)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Position {
  records: number;
  primary: number;
  time: number;
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(a URL that does not parse)";
  }
}

/** A database failure in this tool's words: what to check, never the password. */
export function problemOf(error: unknown, url: string): string {
  const e = error as { code?: string; message?: string };
  const where = safeUrl(url);
  if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "ETIMEDOUT")
    return `cannot reach PostgreSQL at ${where} (${e.code})`;
  if (e.code === "28P01" || e.code === "28000")
    return `PostgreSQL at ${where} refused the credentials: check the user and password (${e.message ?? ""})`;
  if (e.code === "3D000") return `PostgreSQL at ${where}: ${e.message ?? "no such database"}`;
  if (e.code === "42501")
    return `PostgreSQL at ${where}: a missing privilege (${e.message ?? ""}); grant it, or make the tables beforehand and use --create-tables never`;
  return `PostgreSQL at ${where}: ${e.message ?? String(error)}`;
}

/** Swallows a connection's 'error' events: the failure reaches the query that was running, which handles it. */
const ignore = (): void => undefined;

/** The error codes after which a transaction is tried again (the server went away or restarts). */
const TRANSIENT = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08003",
  "08006",
]);

interface Batch {
  records: OutRecord[];
  /** Where the run stands once this batch commits. */
  position: Position;
}

/**
 * The chain written into PostgreSQL as a shop's database holds it: stores and
 * products, stock and prices per store × product updated in place, orders with
 * their lines, inventory movements, price changes, visits and alerts appended.
 * Records go in batched transactions (multi-row statements over arrays); a
 * checkout — its lines, their decrements, the purchase step — never spans two,
 * so a change-data-capture reader never sees a sale without its decrement.
 */
export class PostgresSink implements Sink {
  private produced = 0;
  private delivered = 0;
  private failed = 0;
  private peak = 0;
  private current: OutRecord[] = [];
  private readonly queue: Batch[] = [];
  private writing: Promise<void> | undefined;
  private broken: string | undefined;
  private readonly closedListeners: Array<(reason: string, failed: boolean) => void> = [];
  private readonly drainListeners: Array<() => void> = [];
  /** A sale seen whose decrement has not come yet, or a checkout whose last line has not. */
  private open = { decrement: false, checkout: false };
  /** Records made so far (written or replayed), and the run's identity and the records an earlier run committed (--resume). */
  private readonly made: Position = { records: 0, primary: 0, time: 0 };
  private identity: DatabasePosition["identity"] | undefined;
  private skip = 0;
  private replayedCount = 0;
  private committedCount = 0;
  private transactionCount = 0;
  /** Fact rows the database already had (their keys refused them): a record written twice. */
  private refusedRows = 0;
  readonly transactional?: Transactional;

  private constructor(
    private readonly pool: Pool,
    private readonly settings: PostgresSinkSettings,
  ) {
    if (settings.runId !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const sink = this;
      this.transactional = {
        resumeAt(identity, skip) {
          sink.identity = identity;
          sink.skip = skip;
        },
        get committed() {
          return sink.committedCount;
        },
        get replayed() {
          return sink.replayedCount;
        },
        get transactions() {
          return { committed: sink.transactionCount, aborted: 0 };
        },
      };
    }
  }

  /** Connects, checks (or makes) the tables, and returns the sink; a wrong URL, credentials, privilege or table shape ends here, before anything is written. */
  static async open(settings: PostgresSinkSettings): Promise<PostgresSink> {
    const pool =
      settings.pool ??
      new (await import("pg")).default.Pool({
        connectionString: settings.url,
        max: 2,
        connectionTimeoutMillis: 10_000,
      });
    pool.on("error", () => undefined);
    let client: PoolClient | undefined;
    try {
      client = await pool.connect();
      if (settings.createTables === "auto") for (const statement of createStatements()) await client.query(statement);
      await checkTables(client);
    } catch (error) {
      client?.release();
      client = undefined;
      await pool.end().catch(() => undefined);
      throw error instanceof SinkError ? error : new SinkError(problemOf(error, settings.url));
    }
    client.release();
    settings.log.info(
      `writing to PostgreSQL at ${safeUrl(settings.url)} (schema ${DB_SCHEMA}, version ${DB_SCHEMA_VERSION})`,
    );
    return new PostgresSink(pool, settings);
  }

  get held(): boolean {
    return this.produced - this.delivered - this.failed >= (this.settings.maxInFlight ?? 50_000);
  }

  whenReady(resume: () => void): void {
    if (!this.held) resume();
    else this.drainListeners.push(resume);
  }

  onClosed(listener: (reason: string, failed: boolean) => void): void {
    this.closedListeners.push(listener);
  }

  write(record: OutRecord): void {
    this.made.records += 1;
    if (isEvent(record)) {
      if (isPrimary(record.value)) this.made.primary += 1;
      this.made.time = record.timestamp;
    }
    // What an earlier run committed is made again, not written.
    if (this.made.records <= this.skip) {
      this.replayedCount += 1;
      return;
    }
    this.produced += 1;
    if (this.broken !== undefined) {
      this.failed += 1;
      return;
    }
    this.current.push(record);
    this.peak = Math.max(this.peak, this.produced - this.delivered - this.failed);
    this.track(record);
    // A batch goes when the writer is idle (a record at a slow pace commits at once) or is full; while a
    // transaction runs, records gather for the next (a fast run writes large batches).
    if (
      this.atBoundary() &&
      (this.writing === undefined || this.current.length >= (this.settings.batchRecords ?? 2000))
    )
      this.cut();
  }

  /** Whether the records gathered may end a transaction: not between a sale and its decrement, not inside a checkout. */
  private atBoundary(): boolean {
    return !this.open.decrement && !this.open.checkout;
  }

  totals(): SinkTotals {
    return {
      produced: this.produced,
      delivered: this.delivered,
      failed: this.failed,
      inFlight: this.produced - this.delivered - this.failed,
      peakInFlight: this.peak,
    };
  }

  async close(timeoutMs: number): Promise<DeliveryTotals> {
    if (this.current.length > 0) this.cut();
    const deadline = performance.now() + timeoutMs;
    while (this.writing !== undefined && performance.now() < deadline)
      await Promise.race([this.writing, new Promise((r) => setTimeout(r, 50))]);
    // Whatever did not commit in time failed.
    for (const batch of this.queue.splice(0)) this.failed += batch.records.length;
    if (this.refusedRows > 0 && this.settings.duplicates === true)
      this.settings.log.info(
        `PostgreSQL: ${this.refusedRows} duplicate submissions refused by their keys (--faults duplicate)`,
      );
    else if (this.refusedRows > 0)
      this.settings.log.warn(
        `PostgreSQL: ${this.refusedRows} rows were already there (refused by their keys): records written twice`,
      );
    await this.pool.end().catch(() => undefined);
    return { produced: this.produced, delivered: this.delivered, failed: this.failed };
  }

  /** Where a batch may end: not between a sale and its decrement, not inside a checkout. */
  private track(record: OutRecord): void {
    if (!isEvent(record)) return;
    const event = record.value;
    if (event.event_type === "sale") {
      this.open = { decrement: true, checkout: event.line_number !== event.line_count };
    } else if (event.event_type === "inventory_update" && event.reason === "sale") {
      this.open.decrement = false;
    }
  }

  private cut(): void {
    this.queue.push({ records: this.current, position: { ...this.made } });
    this.current = [];
    if (this.writing === undefined) this.writing = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.broken === undefined) {
      const batch = this.queue[0] as Batch;
      try {
        await this.commit(batch);
        this.queue.shift();
        this.delivered += batch.records.length;
        this.committedCount += batch.records.length;
        this.transactionCount += 1;
      } catch (error) {
        this.queue.shift();
        this.failed += batch.records.length;
        this.broken = problemOf(error, this.settings.url);
        for (const rest of this.queue.splice(0)) this.failed += rest.records.length;
        for (const listener of this.closedListeners) listener(this.broken, true);
      }
      // What gathered while this one was written goes next.
      if (this.queue.length === 0 && this.current.length > 0 && this.atBoundary() && this.broken === undefined) {
        this.queue.push({ records: this.current, position: { ...this.made } });
        this.current = [];
      }
      if (!this.held) for (const resume of this.drainListeners.splice(0)) resume();
    }
    this.writing = undefined;
  }

  /** One transaction, tried again while the database is away (up to the outage bound). */
  private async commit(batch: Batch): Promise<void> {
    const until = performance.now() + (this.settings.outageMs ?? 60_000);
    let warned = false;
    for (;;) {
      try {
        await this.transaction(batch);
        if (warned) this.settings.log.info(`PostgreSQL at ${safeUrl(this.settings.url)} is back; writing again`);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code ?? "";
        if (!TRANSIENT.has(code) || performance.now() >= until) throw error;
        if (!warned)
          this.settings.log.warn(
            `PostgreSQL at ${safeUrl(this.settings.url)} went away (${code}); waiting up to ${Math.round((this.settings.outageMs ?? 60_000) / 1000)} s for it`,
          );
        warned = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async transaction(batch: Batch): Promise<void> {
    const client = await this.pool.connect();
    // A server that goes away mid-transaction also says so as an 'error' event on the connection: the query fails with it too.
    if (!client.listeners("error").includes(ignore)) client.on("error", ignore);
    let broken: Error | undefined;
    try {
      const { statements, facts, factStatements } = batchSql(batch.records);
      const { runId } = this.settings;
      let position = "";
      if (runId !== undefined) {
        if (this.identity === undefined)
          throw new Error("a run with an id writes only once resumeAt() has set where it starts");
        const { records, primary, time } = batch.position;
        const { seed, start, fingerprint } = this.identity;
        position = `INSERT INTO ${DB_SCHEMA}.run_position VALUES (${literal(runId)}, ${records}, ${primary}, ${time}, ${seed}, ${start}, ${literal(fingerprint)}) ON CONFLICT (run_id) DO UPDATE SET records = EXCLUDED.records,
          primary_events = EXCLUDED.primary_events, at = EXCLUDED.at, seed = EXCLUDED.seed, start = EXCLUDED.start, fingerprint = EXCLUDED.fingerprint`;
      }
      // One round trip: the batch, the run's position and the commit (a result per statement, BEGIN's first).
      const text = ["BEGIN", ...statements, ...(position === "" ? [] : [position]), "COMMIT"].join(";\n");
      const results = [await client.query(text)].flat() as unknown as Array<{ rowCount: number | null }>;
      const added = factStatements.reduce((sum, i) => sum + (results[i + 1]?.rowCount ?? 0), 0);
      this.refusedRows += facts - added;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      broken = error as Error;
      throw error;
    } finally {
      // A connection that failed is closed, not handed out again (the server may have gone away under it).
      client.release(broken);
    }
  }
}

/** Refuses tables of another shape or another schema version, naming the first difference. */
async function checkTables(client: PoolClient): Promise<void> {
  const version = await client.query(`SELECT version FROM ${DB_SCHEMA}.schema_info`).catch(() => undefined);
  if (version === undefined || version.rows.length === 0)
    throw new SinkError(
      `the database has no ${DB_SCHEMA}.schema_info: make the tables (--create-tables auto) or create them as docs/database.md says`,
    );
  const found = (version.rows as Array<{ version: number }>).map((r) => r.version);
  if (!found.includes(DB_SCHEMA_VERSION))
    throw new SinkError(
      `${DB_SCHEMA} holds database schema version ${found.join(", ")}, this tool writes version ${DB_SCHEMA_VERSION}`,
    );
  const columns = await client.query(
    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position",
    [DB_SCHEMA],
  );
  const byTable = new Map<string, Array<[string, string]>>();
  for (const row of columns.rows as Array<{ table_name: string; column_name: string; data_type: string }>) {
    byTable.set(row.table_name, [...(byTable.get(row.table_name) ?? []), [row.column_name, row.data_type]]);
  }
  for (const [name, table] of Object.entries(TABLES)) {
    const have = byTable.get(name);
    if (have === undefined)
      throw new SinkError(
        `table ${DB_SCHEMA}.${name} is missing: make it (--create-tables auto) or create it as docs/database.md says`,
      );
    for (const [column, type] of table.columns) {
      const found = have.find(([c]) => c === column);
      if (found === undefined || found[1] !== type) {
        throw new SinkError(
          `table ${DB_SCHEMA}.${name} has another shape: column ${column} should be ${type}, ${found === undefined ? "it is missing" : `it is ${found[1]}`}`,
        );
      }
    }
  }
}

/** Text in SQL as a dollar-quoted literal, with a tag the text does not contain. */
function literal(text: string): string {
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
  // An order of the lines just added (a checkout never spans two batches), its total their sum.
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
    statements.push(`${insertInto("orders")} SELECT h.v->>0, h.v->>1, h.v->>2, h.v->>3, (h.v->>4)::timestamptz, (h.v->>5)::integer, t.total, h.v->>6
      FROM json_array_elements(${literal(JSON.stringify([...heads.values()]))}::json) WITH ORDINALITY AS h(v, n)
      JOIN LATERAL (SELECT sum(l.total_amount) AS total FROM ${DB_SCHEMA}.order_lines l WHERE l.transaction_id = h.v->>0 AND l.xmin = pg_current_xact_id()::xid) t
      ON t.total IS NOT NULL ORDER BY h.n ON CONFLICT (transaction_id) DO NOTHING`);
  }
  // The state tables change once per new event, each row's changes in order (a change-data-capture reader sees every one, as the
  // stream says it): the k-th change of each row in a batch goes in the k-th statement, so no statement touches a row twice;
  // a change older than the row's (an event arriving late) is kept in its fact table but does not set the row back.
  const inState = (
    table: "stock" | "prices",
    facts: string,
    changes: Array<{ id: string; row: unknown[] }>,
    columns: string[],
  ): void => {
    const generations: unknown[][][] = [];
    const count = new Map<string, number>();
    for (const { id, row } of changes) {
      // A record submitted twice in one batch changes its row once.
      if (seen.has(id)) continue;
      seen.add(id);
      const key = `${String(row[0])}/${String(row[1])}`;
      const k = count.get(key) ?? 0;
      count.set(key, k + 1);
      (generations[k] ??= []).push([...row, id]);
    }
    for (const rows of generations) upsert(table, rows, columns, "newer", facts);
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
