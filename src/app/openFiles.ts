import { mkdirSync } from "node:fs";
import type winston from "winston";
import { ConfigError } from "../errors.js";
import { EVENT_TYPES, SCHEMA_VERSIONS, type EventType } from "../model/events.js";
import type { RunConfig } from "../config/runConfig.js";
import { readSchemas } from "../data/schemas.js";
import { eventColumns, OTHER_COLUMNS, type LakeColumns } from "../wire/lakeColumns.js";
import { duckdbWriter } from "../sinks/files/duckdbWriter.js";
import { FilesSink, type TableWriter } from "../sinks/files/filesSink.js";
import { clearAfter, readPosition, runParts, type FilesPosition } from "../sinks/files/layout.js";

/** The columns of every data set: each event type's from its schemas (newest version first), and the others'. */
export function dataSetColumns(): Record<string, LakeColumns> {
  const newestFirst = [...SCHEMA_VERSIONS].reverse().map((version) => readSchemas(version));
  const events = EVENT_TYPES.map((type: EventType) => [
    type,
    eventColumns(
      newestFirst.flatMap((schemas) => {
        const schema = schemas[type] as { properties: Record<string, object> } | undefined;
        return schema === undefined ? [] : [schema];
      }),
    ),
  ]);
  return { ...Object.fromEntries(events), ...OTHER_COLUMNS };
}

/** What names a run's files: its id (the shard's, with `--transactional-id`), its shard, or `run`. */
export function filesTag(config: Pick<RunConfig, "transactions" | "shard">): string {
  if (config.transactions !== undefined) return config.transactions.id;
  return config.shard === undefined ? "run" : `shard-${config.shard.index}-of-${config.shard.count}`;
}

/** The last position a run of `--sink files` committed, read from its directory. */
export function filesPosition(config: RunConfig): FilesPosition | undefined {
  const files = config.files as NonNullable<RunConfig["files"]>;
  return readPosition(files.dir, filesTag(config));
}

/**
 * Opens `--sink files`: makes the directory, and for a resumed run clears what the stopped one left after its last
 * committed roll (temporary files, parts of a roll it had not recorded); a fresh run refuses a directory that
 * already holds its files (its tag's parts), so two runs' rows never mix unseen.
 */
export async function openFiles(config: RunConfig, log: winston.Logger, writer?: TableWriter): Promise<FilesSink> {
  const files = config.files as NonNullable<RunConfig["files"]>;
  const tag = filesTag(config);
  try {
    mkdirSync(files.dir, { recursive: true });
  } catch (error) {
    throw new ConfigError([`--files-dir: cannot make ${files.dir}: ${(error as Error).message}`]);
  }
  let firstRoll = 0;
  if (config.transactions?.resume === true) {
    firstRoll = filesPosition(config)?.roll ?? 0;
    const removed = clearAfter(files.dir, tag, firstRoll);
    if (removed > 0) log.info(`--resume: removed ${removed} files the stopped run left after its last committed roll`);
  } else if (runParts(files.dir, tag).length > 0)
    throw new ConfigError([
      `--files-dir: ${files.dir} already holds this run's files (part-${tag}-…); resume it (--transactional-id ID --resume), or write to another directory`,
    ]);
  const sink = new FilesSink({
    dir: files.dir,
    format: files.format,
    rows: files.rows,
    ...(files.everyMs === undefined ? {} : { everyMs: files.everyMs }),
    tag,
    columns: dataSetColumns(),
    writer: writer ?? (await duckdbWriter()),
    firstRoll,
    transactional: config.transactions !== undefined,
    log,
  });
  log.info(
    `writing ${files.format} files to ${files.dir} (rolled every ${files.rows} rows${files.everyMs === undefined ? "" : ` or ${files.everyMs / 60_000} min of event time`})`,
  );
  return sink;
}
