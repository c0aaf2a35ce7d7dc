import type { DatabaseRows } from "../../wire/databaseRows.js";
import { SinkError } from "../../errors.js";
import { DB_SCHEMA } from "./tables.js";
import { problemOf } from "./databaseProblems.js";

/** A timestamptz as epoch milliseconds. */
const ms = (column: string): string => `(extract(epoch from ${column}) * 1000)::float8 AS ${column}`;

/** Reads back every table `verify --postgres` checks, in one snapshot (a repeatable-read transaction). */
export async function readDatabase(url: string): Promise<DatabaseRows> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const rows = async <T>(sql: string): Promise<T[]> => (await client.query(sql)).rows as T[];
    const read: DatabaseRows = {
      orders: await rows(
        `SELECT transaction_id, store_id, ${ms("ordered_at")}, line_count, total::text AS total, status FROM ${DB_SCHEMA}.orders`,
      ),
      orderLines: await rows(
        `SELECT transaction_id, line_number, product_id, quantity, unit_price::text AS unit_price, total_amount::text AS total_amount, event_id::text AS event_id FROM ${DB_SCHEMA}.order_lines`,
      ),
      movements: await rows(
        `SELECT event_id::text AS event_id, store_id, product_id, quantity_change, reason, stock_after, source_event_id::text AS source_event_id, ${ms("moved_at")} FROM ${DB_SCHEMA}.inventory_movements`,
      ),
      stock: await rows(`SELECT store_id, product_id, quantity, ${ms("updated_at")} FROM ${DB_SCHEMA}.stock`),
      priceChanges: await rows(
        `SELECT event_id::text AS event_id, store_id, product_id, old_price::text AS old_price, new_price::text AS new_price, ${ms("changed_at")} FROM ${DB_SCHEMA}.price_changes`,
      ),
      prices: await rows(
        `SELECT store_id, product_id, price::text AS price, ${ms("updated_at")} FROM ${DB_SCHEMA}.prices`,
      ),
      visits: await rows(`SELECT event_id::text AS event_id FROM ${DB_SCHEMA}.customer_visits`),
      alerts: await rows(`SELECT event_id::text AS event_id FROM ${DB_SCHEMA}.restock_alerts`),
      payments: await rows(
        `SELECT payment_id, event_id::text AS event_id, transaction_id, amount::text AS amount, status FROM ${DB_SCHEMA}.payments`,
      ),
      statusChanges: await rows(
        `SELECT event_id::text AS event_id, order_id, status, ${ms("changed_at")} FROM ${DB_SCHEMA}.order_status_changes`,
      ),
      returns: await rows(
        `SELECT return_id, event_id::text AS event_id, quantity, refund_amount::text AS refund_amount FROM ${DB_SCHEMA}.returns`,
      ),
    };
    await client.query("COMMIT");
    return read;
  } catch (error) {
    throw new SinkError(
      `verify --postgres: ${(error as { code?: string }).code === "42P01" || (error as { code?: string }).code === "3F000" ? `the database has no ${DB_SCHEMA} tables (was it written by --sink postgres?)` : problemOf(error, url)}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
