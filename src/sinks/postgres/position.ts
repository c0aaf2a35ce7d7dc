import type { CommittedPosition } from "../sink.js";
import { SinkError } from "../../errors.js";
import { problemOf } from "./databaseProblems.js";
import { DB_SCHEMA } from "./tables.js";

/** Where a run stood at its last committed database transaction. */
export type DatabasePosition = CommittedPosition;

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

/** Where a run stands once a batch commits. */
export interface Position {
  records: number;
  primary: number;
  time: number;
}
