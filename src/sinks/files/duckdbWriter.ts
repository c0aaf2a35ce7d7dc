import type { LakeColumns } from "../../wire/lakeColumns.js";
import type { FileFormat } from "./layout.js";
import type { TableWriter } from "./filesSink.js";

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const OPTIONS: Readonly<Record<FileFormat, string>> = {
  parquet: "FORMAT parquet, COMPRESSION zstd",
  csv: "FORMAT csv, HEADER true",
  jsonl: "FORMAT json",
};

/**
 * Writes staged JSON lines as Parquet, CSV or JSON lines with DuckDB (in memory, its own engine): each file is read
 * with its data set's columns and types (a field a row lacks is null) and copied out in one statement. DuckDB is
 * loaded only by a run that writes files.
 */
export async function duckdbWriter(): Promise<TableWriter> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  return {
    async write(staged: string, target: string, columns: LakeColumns, format: FileFormat): Promise<void> {
      const spec = columns.map(([name, type]) => `${literal(name)}: ${literal(type)}`).join(", ");
      const rows = `SELECT * FROM read_json(${literal(staged)}, format = 'newline_delimited', columns = {${spec}})`;
      await connection.run(`COPY (${rows}) TO ${literal(target)} (${OPTIONS[format]})`);
    },
    async close(): Promise<void> {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
