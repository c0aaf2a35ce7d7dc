import type { Pool, PoolClient } from "pg";
import { SinkError } from "../../errors.js";
import { isEvent, type OutRecord } from "../../wire/envelope.js";
import { isPrimary } from "../../model/events.js";
import type { DeliveryTotals, Sink, SinkTotals, Transactional } from "../sink.js";
import { DB_SCHEMA, DB_SCHEMA_VERSION, createStatements } from "./tables.js";
import { batchSql, literal } from "./batchSql.js";
import { problemOf, safeUrl, TRANSIENT } from "./databaseProblems.js";
import type { DatabasePosition, Position } from "./position.js";
import { checkTables } from "./tableCheck.js";

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

/** Swallows a connection's 'error' events: the failure reaches the query that was running, which handles it. */
const ignore = (): void => undefined;

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
  /**
   * A sale seen whose decrement has not come yet, or a checkout whose last line has not; or (schema version 3)
   * an event whose caused records may come next (a payment's retry or lines, a return's restock, a refunded
   * order's lines back in stock), so they commit in its transaction.
   */
  private open = { decrement: false, checkout: false, followed: false };
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

  /**
   * Whether the records gathered may end a transaction: not between a sale and its decrement, not inside a
   * checkout, not between a payment, a return or a refunded order and what it causes at once.
   */
  private atBoundary(): boolean {
    return !this.open.decrement && !this.open.checkout && !this.open.followed;
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
      this.open = { decrement: true, checkout: event.line_number !== event.line_count, followed: false };
      return;
    }
    if (event.event_type === "inventory_update" && event.reason === "sale") this.open.decrement = false;
    // What may be followed by records it causes at once: the group stays open until a record that is not one.
    this.open.followed =
      event.event_type === "payment" ||
      (event.event_type === "return" && event.disposition === "restock") ||
      (event.event_type === "order_status" && event.refund_amount !== undefined) ||
      (event.event_type === "inventory_update" && (event.reason === "return" || event.reason === "cancellation"));
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
