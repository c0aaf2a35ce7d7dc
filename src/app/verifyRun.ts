import { readFileSync } from "node:fs";
import type winston from "winston";
import { readChain } from "../data/chainFiles.js";
import { readSchemas } from "../data/schemas.js";
import { EVENT_TYPES, SCHEMA_VERSIONS, WEIGHTED_TYPES } from "../model/events.js";
import { ConfigError } from "../errors.js";
import { utf8Text } from "../model/validation.js";
import { chainOfReference } from "../verify/reference.js";
import { reportLines, verify } from "../verify/verifier.js";
import type { RawRecord } from "../verify/findings.js";
import { databaseReportLines, verifyDatabase, type StreamToCompare } from "../verify/database.js";
import type { RetailEvent } from "../model/events.js";
import type { EventType } from "../model/events.js";
import type { ReadStart } from "../sinks/kafka/kafkaReader.js";
import type { KafkaConfig } from "../config/runConfig.js";
import type { LogLevel } from "../config/logLevels.js";

/** What `verify` checks and where it reads it: the typed configuration the command line resolves. */
export interface VerifyConfig {
  topics: Record<EventType, string>;
  truthTopic: string;
  /** The topic of the run's anomaly labels (read where it exists: what the events it names show is meant). */
  labelsTopic: string;
  /** The topics of the run's stores and products (its chain, when --data is not given). */
  referenceTopics: { stores: string; products: string };
  kafka: KafkaConfig;
  start: ReadStart;
  maxRecords?: number;
  idleMs: number;
  show: number;
  leadTimeMs: number;
  dataDir?: string;
  logLevel: LogLevel;
  /** A file of `--sink stdout` lines to check instead of Kafka. */
  input?: string;
  /** The database of a `--sink postgres` run to check instead of Kafka (against `input` when given). */
  postgres?: string;
}

/** The records of a `--sink stdout` capture, as if read from Kafka (offsets count lines per topic). */
function recordsOfFile(file: string): RawRecord[] {
  let bytes: Buffer;
  try {
    // `-` is standard input.
    bytes = readFileSync(file === "-" ? 0 : file);
  } catch (error) {
    throw new ConfigError([
      `--input ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
    ]);
  }
  const text = utf8Text(bytes, `--input ${file}`);
  const offsets = new Map<string, number>();
  return text.split("\n").flatMap((line, i) => {
    if (line.trim() === "") return [];
    let parsed: {
      topic?: unknown;
      key?: string;
      timestamp?: number;
      headers?: Record<string, string>;
      value?: unknown;
      raw?: string;
    };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      throw new ConfigError([`--input ${file}: line ${i + 1} is not a JSON envelope`]);
    }
    if (typeof parsed.topic !== "string")
      throw new ConfigError([`--input ${file}: line ${i + 1} has no topic (not a --sink stdout line)`]);
    const offset = offsets.get(parsed.topic) ?? 0;
    offsets.set(parsed.topic, offset + 1);
    const value = parsed.raw !== undefined ? Buffer.from(parsed.raw) : Buffer.from(JSON.stringify(parsed.value));
    return [
      {
        topic: parsed.topic,
        partition: 0,
        offset,
        key: parsed.key ?? null,
        timestamp: parsed.timestamp,
        headers: parsed.headers ?? {},
        value,
      },
    ];
  });
}

/** Registry-framed values read back as the events' JSON (the truth topic is plain JSON). */
async function decoded(records: RawRecord[], config: VerifyConfig): Promise<RawRecord[]> {
  const registry = config.kafka.registry;
  if (registry === undefined) throw new ConfigError([`--format ${config.kafka.format} needs --schema-registry`]);
  const { SchemaRegistry } = await import("../sinks/kafka/schemaRegistry.js");
  const { registryDecoder } = await import("../wire/valueDecoder.js");
  const decode = registryDecoder(new SchemaRegistry(registry.url, registry.userInfo));
  const out: RawRecord[] = [];
  for (const record of records) {
    if (record.topic === config.truthTopic || record.topic === config.labelsTopic || record.value === null) {
      out.push(record);
      continue;
    }
    const result = await decode(record.value);
    out.push("json" in result ? { ...record, value: result.json } : { ...record, problem: result.problem });
  }
  return out;
}

/** Reads the run's topics (or `--input`), checks them and prints the report; 0 when every check passes, 1 otherwise. */
export async function runVerify(
  config: VerifyConfig,
  out: (line: string) => void,
  log: winston.Logger,
): Promise<number> {
  if (config.postgres !== undefined) return verifyPostgres(config.postgres, config, out, log);
  let records: RawRecord[];
  if (config.input !== undefined) {
    records = recordsOfFile(config.input);
  } else {
    const { readTopics } = await import("../sinks/kafka/kafkaReader.js");
    const wall = performance.now();
    const read = await readTopics({
      brokers: config.kafka.brokers,
      properties: config.kafka.properties,
      // The topics every version writes; those of version 3's own types are read where they exist.
      topics: WEIGHTED_TYPES.map((type) => config.topics[type]),
      optional: [
        config.truthTopic,
        config.labelsTopic,
        ...EVENT_TYPES.filter((type) => !(WEIGHTED_TYPES as readonly string[]).includes(type)).map(
          (type) => config.topics[type],
        ),
      ],
      start: config.start,
      maxRecords: config.maxRecords,
      idleMs: config.idleMs,
      timeoutMs: config.kafka.connectTimeoutMs,
    });
    records = config.kafka.format === "json" ? read.records : await decoded(read.records, config);
    const spans = [...read.spans].filter(([, s]) => s.to > s.from).map(([w, s]) => `${w} ${s.from}–${s.to - 1}`);
    log.info(
      `read ${records.length} records (read_committed) in ${((performance.now() - wall) / 1000).toFixed(1)} s: ${spans.join(", ") || "none"}`,
    );
  }
  if (records.filter((r) => !isReference(r, config)).length === 0) {
    out(
      `FAILED: nothing to check: ${config.input === undefined ? "the topics hold no records from where the read began" : `--input ${config.input} holds no records`}`,
    );
    return 1;
  }
  // The chain the run used: --data, else a capture's own reference records (version 2 writes them first), else the sample
  // chain. Not read from Kafka: the reference topics are shared by every run with the same prefix, whatever its chain.
  const reference =
    config.dataDir === undefined
      ? chainOfReference(
          records.filter((r) => isReference(r, config)),
          config.referenceTopics,
        )
      : undefined;
  const chain = reference ?? readChain(config.dataDir);
  if (config.dataDir === undefined && reference === undefined)
    log.info("chain: the sample chain (the records hold no stores and products); give --data if the run used another");
  const verdict = verify(records, {
    topics: config.topics,
    truthTopic: config.truthTopic,
    chain,
    schemas: readSchemas(1),
    laterSchemas: Object.fromEntries(SCHEMA_VERSIONS.slice(1).map((version) => [version, readSchemas(version)])),
    leadTimeMs: config.leadTimeMs,
    fromStart: config.start.from === "beginning",
  });
  for (const line of reportLines(verdict, config.show)) out(line);
  return verdict.findings.violations.length === 0 ? 0 : 1;
}

/** `verify --postgres`: the database on its own, and against the stream of `--input` when given. */
async function verifyPostgres(
  url: string,
  config: VerifyConfig,
  out: (line: string) => void,
  log: winston.Logger,
): Promise<number> {
  let stream: StreamToCompare | undefined;
  if (config.input !== undefined) {
    const events: RetailEvent[] = [];
    const malformed = new Map<string, number>();
    for (const r of recordsOfFile(config.input)) {
      const type = r.headers.event_type;
      if (r.value === null || type === undefined || !(type in config.topics)) continue;
      if (r.headers.fault?.includes("malformed") === true) malformed.set(type, (malformed.get(type) ?? 0) + 1);
      else events.push(JSON.parse(r.value.toString()) as RetailEvent);
    }
    stream = { events, malformed };
  }
  const { readDatabase } = await import("../sinks/postgres/postgresReader.js");
  const { safeUrl } = await import("../sinks/postgres/databaseProblems.js");
  const wall = performance.now();
  const rows = await readDatabase(url);
  log.info(
    `read the tables of ${safeUrl(url)} in ${((performance.now() - wall) / 1000).toFixed(1)} s${stream === undefined ? "" : `; ${stream.events.length} events from ${config.input}`}`,
  );
  const verdict = verifyDatabase(rows, stream);
  for (const line of databaseReportLines(verdict, config.show)) out(line);
  return verdict.violations.length === 0 ? 0 : 1;
}

const isReference = (record: RawRecord, config: VerifyConfig): boolean =>
  record.topic === config.referenceTopics.stores || record.topic === config.referenceTopics.products;
