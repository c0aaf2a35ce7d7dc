// The local PostgreSQL of `make postgres-up`, and a fresh database per test.
import pg from "pg";
import { randomUUID } from "node:crypto";

const PORT = Number(process.env.POSTGRES_PORT ?? 5433);
/** The server's URL without a database. */
export const POSTGRES = `postgres://retail:retail@127.0.0.1:${PORT}`;

/** Makes a database of its own for a test; returns its URL. */
export async function freshDatabase(tag: string): Promise<string> {
  const name = `${tag}_${randomUUID().slice(0, 8)}`.replace(/[^a-z0-9_]/g, "_");
  const admin = new pg.Client({ connectionString: `${POSTGRES}/retail` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `${POSTGRES}/${name}`;
}

/** The rows of a query. */
export async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}
