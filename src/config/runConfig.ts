// The typed configuration of a run: what the CLI resolves from flags, files and the environment,
// and what the application runs. It sits below both, so neither imports the other for it.
import type { ChannelRates } from "../model/aftercare.js";
import type { RateProfile } from "../model/rateProfile.js";
import type { LatencyMatch } from "../model/latencyMatch.js";

/** A run that loads a pipeline: what it watches of it, and how it searches for the rate it holds. */
export interface LoadConfig {
  group?: string;
  latencyTopic?: string;
  match: LatencyMatch;
  /** Every record carries `produced_at` (always with a latency topic). */
  producedHeader: boolean;
  capacity?: CapacityConfig;
}

/** `--find-capacity`: where it starts (primary events per minute), each step's length, its budget, its latency bound, its outputs. */
export interface CapacityConfig {
  startPerMinute: number;
  stepMs: number;
  budgetMs: number;
  maxP99Ms?: number;
  report?: string;
  chart?: string;
}
import { profileOf } from "../model/profiles.js";
import type { FaultPlan } from "../model/faults.js";
import { EVENT_TYPES, type EventType, type SchemaVersion } from "../model/events.js";
import type { Weights } from "../model/weights.js";
import type { LogLevel } from "./logLevels.js";

/** Everything a run needs, resolved from flags, config file and environment. */
export interface RunConfig {
  minDelayMs: number;
  maxDelayMs: number;
  weights: Weights;
  seed: number;
  seedGiven: boolean;
  /** Simulated time of the first event. */
  start: number;
  /** Events before this simulated time are backfilled at full speed. */
  backfillUntil?: number;
  /** Simulated time to stop at (exclusive). */
  end?: number;
  count?: number;
  live: boolean;
  speed: number;
  sink: "kafka" | "stdout" | "postgres" | "files";
  /** Where and how `--sink files` writes: its directory, format, and when its files roll (rows, event time in ms). */
  files?: { dir: string; format: "parquet" | "csv" | "jsonl"; rows: number; everyMs?: number };
  /** Events, or the row changes they make (`--format debezium…`). */
  output: OutputShape;
  /** The database target of `--sink postgres`. */
  postgres?: { url: string; /** The database the URL names. */ database: string; createTables: "auto" | "never" };
  topics: Record<EventType, string>;
  logLevel: LogLevel;
  kafka: KafkaConfig;
  flushTimeoutMs: number;
  statsIntervalMs: number;
  /** The chain's folder (`--data`); undefined: the sample chain. */
  dataDir?: string;
  shard?: { index: number; count: number };
  leadTimeMs: number;
  arrivals: "uniform" | "poisson" | "fixed";
  /** Primary events per minute (poisson, fixed, or a scenario's override). */
  rate?: number;
  /** Load testing: the pipeline's group and output topic, and a capacity search (`--lag-group`, `--latency-topic`, `--find-capacity`). */
  load?: LoadConfig;
  /** `--rate-profile`: the primary rate over the run's time (Poisson arrivals; a scenario's curve still shapes it). */
  rateProfile?: RateProfile;
  scenario?: string;
  /** Ground truth: its window, and a file or a topic. */
  truth?: { windowMs: number; topic: string; file?: string };
  /** Faults from `--faults` (a scenario's come with its options). */
  faults?: FaultPlan;
  /** The file each faulted record is listed in (`--fault-manifest`). */
  faultManifest?: string;
  /** Whether faulted records carry the `fault` header. */
  faultHeaders: boolean;
  /** The Kafka timestamp of a record: its event time (the default), or the wall clock when produced (the event time then in an `event_time` header too). */
  recordTimestamp: "event" | "wall";
  /** The schema version of the events at start (`--schema-version`); a live run may switch it through /control. */
  schemaVersion: SchemaVersion;
  /** `--return-rate`, `--decline-rate`: schema version 3's rates by channel, where given. */
  aftercare?: { returns?: Partial<ChannelRates>; declines?: Partial<ChannelRates> };
  /** The topics of the chain's reference data (stores, products), written at start by a run in schema version 2. */
  referenceTopics: { stores: string; products: string };
  /** Whether the sink gets the reference records (Kafka and the database always; stdout when asked): made either way, so the events stay the same. */
  writeReference: boolean;
  /** `--topic-prefix`, put before the default topic names. */
  topicPrefix?: string;
  /** The live HTTP endpoints: where, the token /control needs, where changes are logged. */
  http?: { host: string; port: number; token?: string; controlLog?: string };
  /** Worker processes, each a shard of the run (`--workers`). */
  workers?: number;
  /** Exactly once: transactions with checkpoints, and whether to resume. */
  transactions?: { id: string; intervalMs: number; records: number; resume: boolean };
}

/**
 * Whether a run may write schema version 2: from its start, at a scenario's time,
 * or on /control. Such a run registers version 2's schemas and creates the
 * reference topics at start (a run that never switches leaves them empty).
 */
export function mayWriteVersion2(config: Pick<RunConfig, "schemaVersion" | "scenario" | "http">): boolean {
  return profileOf(config.schemaVersion).referenceTopics || maySwitchVersion(config);
}

/** Whether a run may switch its schema version as it goes: a scenario's rollout, or POST /control. */
export function maySwitchVersion(config: Pick<RunConfig, "scenario" | "http">): boolean {
  return config.scenario !== undefined || config.http !== undefined;
}

/** The topics of the event types a run may write: its version's, or every version's when it may switch (a scenario, /control). */
export function eventTopics(config: Pick<RunConfig, "schemaVersion" | "scenario" | "http" | "topics">): string[] {
  const types = maySwitchVersion(config) ? EVENT_TYPES : profileOf(config.schemaVersion).eventTypes;
  return types.map((type) => config.topics[type]);
}

/** The Kafka side of a run: brokers, client settings, value format and registry, topics made at start, bounds. */
export interface KafkaConfig {
  brokers: string;
  compression: string;
  /** librdkafka properties from `--kafka-config` and `-X key=value` (which wins), for every client the tool runs. */
  properties: Record<string, string>;
  /** Record values: JSON, or a registry format. */
  format: "json" | "avro" | "protobuf" | "json-schema" | "debezium" | "debezium-with-schema" | "debezium-avro";
  /** The Schema Registry, for the registry formats. */
  registry?: { url: string; userInfo?: string; register: boolean };
  /** Values never to show: passwords, secrets, JAAS lines, keys, tokens. */
  secrets: string[];
  /** `auto`: create the topics that are missing; `never`: only use existing ones. */
  createTopics: "auto" | "never";
  /** Topic settings of created topics, from `--topic-config key=value` (e.g. retention.ms). */
  topicConfig: Record<string, string>;
  /** Partitions and replication factor of created topics; -1 is the broker's default. */
  partitions: number;
  replicationFactor: number;
  connectTimeoutMs: number;
  maxInFlight: number;
  /** Value bytes in flight at which the source pauses. */
  maxInFlightBytes: number;
  /** Delivery reports of every record, or only of failures; unset: only failures, but every record in a transactional run. */
  deliveryReports?: "all" | "errors";
}

/** The formats that write Debezium's row changes in place of the events, and how each encodes them. */
export const DEBEZIUM_FORMATS = {
  debezium: "json",
  "debezium-with-schema": "json-with-schema",
  "debezium-avro": "avro",
} as const;

/** Whether a `--format` writes Debezium's row changes (`debezium`, `debezium-with-schema`, `debezium-avro`). */
export const isDebezium = (format: string): format is keyof typeof DEBEZIUM_FORMATS => format in DEBEZIUM_FORMATS;

/**
 * What a run writes: its events (and reference rows), or — chosen with `--format debezium…` — the row changes of
 * the database those events make, as Debezium's PostgreSQL connector captures them, on their own topics.
 */
export type OutputShape =
  { kind: "events" } | { kind: "row changes"; encoding: (typeof DEBEZIUM_FORMATS)[keyof typeof DEBEZIUM_FORMATS] };

/** The output shape a `--format` chooses. */
export function outputShapeOf(format: string): OutputShape {
  return isDebezium(format) ? { kind: "row changes", encoding: DEBEZIUM_FORMATS[format] } : { kind: "events" };
}

/** Whether a run writes row changes in place of its events. */
export const writesRowChanges = (config: Pick<RunConfig, "output">): boolean => config.output.kind === "row changes";
