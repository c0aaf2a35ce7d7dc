import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/** A DuckDB of the test's own (a reader, not the tool's writer): rows as JSON values (big numbers and decimals as text). */
export class Duck {
  private constructor(private readonly connection: DuckDBConnection) {}

  static async open(): Promise<Duck> {
    const connection = await (await DuckDBInstance.create(":memory:")).connect();
    await connection.run("SET TimeZone = 'UTC'");
    return new Duck(connection);
  }

  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
  }

  close(): void {
    this.connection.closeSync();
  }
}
