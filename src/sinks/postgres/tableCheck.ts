import type { PoolClient } from "pg";
import { SinkError } from "../../errors.js";
import { DB_SCHEMA, DB_SCHEMA_VERSION, TABLES } from "./tables.js";

/** Refuses tables of another shape or another schema version, naming the first difference. */
export async function checkTables(client: PoolClient): Promise<void> {
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
