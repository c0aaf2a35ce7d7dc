import { LATEST_VERSION, profileOf } from "../model/profiles.js";
import type winston from "winston";
import { avroSchemas, protobufSchema, registryJsonSchemas } from "../data/schemas.js";
import { connectKafkaSink } from "../sinks/kafka/connectKafkaSink.js";
import { jsonValue } from "../wire/jsonValue.js";
import { debeziumTables, debeziumTopic, type DebeziumTable } from "../wire/debezium.js";
import { CHECKPOINT_TOPIC } from "../sinks/kafka/checkpoints.js";
import { SchemaRegistry } from "../sinks/kafka/schemaRegistry.js";
import { TransactionalSink, type TransactionalProducer } from "../sinks/kafka/transactionalSink.js";
import type { Sink } from "../sinks/sink.js";
import type { OutRecord } from "../wire/envelope.js";
import { SinkError } from "../errors.js";
import {
  eventTopics,
  isDebezium,
  maySwitchVersion,
  mayWriteVersion2,
  writesRowChanges,
  type RunConfig,
} from "../config/runConfig.js";
import type { FormatSchemas, RegistryOptions } from "../wire/valueEncoder.js";
import { SCHEMA_VERSIONS, type SchemaVersion } from "../model/events.js";

/** Kafka's default log.retention.hours, 168. */
const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Prepares the value format (registering schemas first), connects to the brokers, creates missing topics and returns the Kafka sink. */
export async function openKafka(
  config: RunConfig,
  log: winston.Logger,
  hooks: { onStats?: (json: string) => void; now: number; labelsTopic?: string },
): Promise<Sink> {
  const { kafka } = config;
  // Kafka deletes by record time: a topic at the default retention drops a backfill's old records minutes after they land.
  if (config.start < hooks.now - DEFAULT_RETENTION_MS && kafka.topicConfig["retention.ms"] === undefined) {
    log.warn(
      `records start ${new Date(config.start).toISOString()}, more than 7 days ago: a topic at Kafka's default retention (7 days, by record time) deletes them within minutes of writing; --topic-config retention.ms=-1 keeps them in topics this run creates`,
    );
  }
  const transactions = config.transactions;
  const registry = kafka.registry;
  const topicConfig = { ...timestampLimitFor(config, hooks.now), ...kafka.topicConfig };
  const encode = await encoderOf(config);
  if (kafka.format !== "json")
    log.info(
      `values in ${kafka.format} (Confluent wire format), schemas ${registry?.register === false ? "looked up" : "registered"} at ${registry?.url ?? ""}`,
    );
  // The truth topic, when the truth goes to Kafka, is created with the event topics.
  // --format debezium writes the row changes of the state tables (and version 3's orders) in place of the event topics.
  const written = writesRowChanges(config)
    ? changedTables(config).map((table) => debeziumTopic(table, config.topicPrefix ?? ""))
    : eventTopics(config);
  const topics = [
    ...written,
    ...(config.truth !== undefined && config.truth.file === undefined ? [config.truth.topic] : []),
    ...(hooks.labelsTopic === undefined ? [] : [hooks.labelsTopic]),
  ];
  // Reference data (schema version 2) goes to compacted topics: the latest row of each id is the table.
  // A run that only may switch does not insist on them where it may not create topics.
  const wantsReference =
    !writesRowChanges(config) &&
    (profileOf(config.schemaVersion).referenceTopics || (mayWriteVersion2(config) && kafka.createTopics !== "never"));
  const reference = wantsReference ? [config.referenceTopics.stores, config.referenceTopics.products] : [];
  const compacted = [...reference, ...(transactions === undefined ? [] : [CHECKPOINT_TOPIC])];
  const sink = await connectKafkaSink({
    uncountedTopic: transactions === undefined ? undefined : CHECKPOINT_TOPIC,
    compacted: compacted.length === 0 ? undefined : compacted,
    encode,
    brokers: kafka.brokers,
    compression: kafka.compression,
    connectTimeoutMs: kafka.connectTimeoutMs,
    properties:
      transactions === undefined ? kafka.properties : { ...kafka.properties, "transactional.id": transactions.id },
    topics: [...topics, ...compacted],
    partitions: kafka.partitions,
    replicationFactor: kafka.replicationFactor,
    createTopics: kafka.createTopics,
    topicConfig,
    reports: kafka.deliveryReports ?? (transactions === undefined ? "errors" : "all"),
    maxInFlight: kafka.maxInFlight,
    maxInFlightBytes: kafka.maxInFlightBytes,
    log,
    onStats: hooks.onStats,
    ahead: { ms: reachAheadMs(config, hooks.now), cause: aheadCause(config, hooks.now) },
  });
  log.info(
    `producing to Kafka at ${kafka.brokers} (idempotent, acks=all, ${kafka.compression}, ${kafka.format}${transactions === undefined ? "" : `, transactions as ${transactions.id}`})`,
  );
  if (transactions === undefined) return sink;
  const transactional = new TransactionalSink(sink, sink.client as TransactionalProducer, {
    transactionalId: transactions.id,
    checkpointTopic: CHECKPOINT_TOPIC,
    commitIntervalMs: transactions.intervalMs,
    commitRecords: transactions.records,
    now: () => performance.now(),
    log,
  });
  await transactional.start();
  return transactional;
}

/** Kafka's default limit on how far ahead of the broker's clock a record may be stamped (`message.timestamp.after.max.ms`). */
const DEFAULT_AHEAD_LIMIT_MS = 3_600_000;

/** What of a run decides how far ahead of the wall clock its records are stamped. */
export type AheadShape = Pick<RunConfig, "live" | "speed" | "start"> &
  Partial<Pick<RunConfig, "end" | "count" | "maxDelayMs" | "arrivals" | "backfillUntil" | "recordTimestamp">>;

/**
 * How far ahead of the wall clock (`now`) the run's clock gets, in ms; Infinity
 * when nothing bounds it (a run faster than real time without an end). A run
 * paced at `speed` from `max(start, backfillUntil)` is furthest ahead at its last
 * event; a run at real time or slower, at its first; a backfill runs at full
 * speed. `--count` bounds the last event by its gaps (not a Poisson run's).
 */
export function reachAheadMs(config: AheadShape, now: number): number {
  if (config.recordTimestamp === "wall") return 0;
  const byCount =
    config.count !== undefined && config.maxDelayMs !== undefined && config.arrivals !== "poisson"
      ? config.start + config.count * config.maxDelayMs
      : Infinity;
  const last = Math.min(config.end ?? Infinity, byCount);
  const paced = Math.max(config.start, config.backfillUntil ?? config.start);
  if (!config.live) return Math.max(0, last - now);
  if (config.speed <= 1) return Math.max(0, paced - now);
  if (!Number.isFinite(last)) return Infinity;
  return Math.max(0, paced - now, last - now - (last - paced) / config.speed);
}

/** Why a run gets ahead, for the line that refuses it. */
function aheadCause(config: AheadShape, now: number): string {
  const causes = [
    ...(config.live && config.speed > 1 ? [`--speed ${config.speed}`] : []),
    ...(config.start > now ? ["a start in the future"] : []),
  ];
  return causes.length === 0 ? "a backfill into the future" : causes.join(" and ");
}

/**
 * The timestamp limit of the topics this run creates: a run whose clock can get
 * more than an hour ahead of the wall's (faster than real time, or starting in
 * the future) stamps records the broker would refuse at its default, so its
 * topics take any timestamp; `--topic-config` may say otherwise.
 */
export function timestampLimitFor(config: AheadShape, now: number): Record<string, string> {
  return reachAheadMs(config, now) > DEFAULT_AHEAD_LIMIT_MS
    ? { "message.timestamp.after.max.ms": "9223372036854775807" }
    : {};
}

/** The tables whose row changes a run writes: the orders where its version (or one it may switch to) has them. */
function changedTables(config: RunConfig): readonly DebeziumTable[] {
  return debeziumTables(maySwitchVersion(config) || profileOf(config.schemaVersion).lifecycle);
}

/** The encoder of --format debezium-avro: each table's envelope registered (or looked up) under its topic. */
async function debeziumAvro(config: RunConfig): Promise<(record: OutRecord) => Buffer> {
  const registry = config.kafka.registry;
  if (registry === undefined) throw new SinkError("--format debezium-avro needs a schema registry");
  const { debeziumAvroEncoder } = await import("../wire/debeziumAvro.js");
  return debeziumAvroEncoder(new SchemaRegistry(registry.url, registry.userInfo), {
    prefix: config.topicPrefix ?? "",
    register: registry.register,
    tables: changedTables(config),
  });
}

/** How the run's values are written. The registry formats' libraries (avsc, protobufjs) are loaded only by the runs that write them. */
async function encoderOf(config: RunConfig): Promise<(record: OutRecord) => Buffer> {
  if (config.output.kind === "row changes") return config.output.encoding === "avro" ? debeziumAvro(config) : jsonValue;
  const { kafka } = config;
  const registry = kafka.registry;
  const format = kafka.format;
  if (format === "json" || isDebezium(format)) return jsonValue;
  return await (
    await import("../wire/valueEncoder.js")
  ).valueEncoder(
    format,
    registry === undefined
      ? undefined
      : {
          registry: new SchemaRegistry(registry.url, registry.userInfo),
          register: registry.register,
          topics: config.topics,
          ...registeredVersions(config),
        },
  );
}

/**
 * The schema versions a run registers (or looks up), in the order the registry sees them: version 1, then each later
 * one up to what the run writes or may switch to (a scenario, /control), so the registry checks each against the one
 * before (BACKWARD), as a producer rolling a schema out would. A run that only looks its schemas up (--no-register) and cannot switch
 * needs the one version it writes.
 */
function registeredVersions(config: RunConfig): Pick<RegistryOptions, "version" | "schemas" | "later"> {
  const schemasOf = (version: SchemaVersion): FormatSchemas => ({
    json: registryJsonSchemas(version),
    avro: avroSchemas(version),
    protobuf: protobufSchema(version),
  });
  const maySwitch = maySwitchVersion(config);
  if (!maySwitch && config.kafka.registry?.register === false)
    return { version: config.schemaVersion, schemas: schemasOf(config.schemaVersion) };
  // Every version up to the highest the run may write, each checked against the one before.
  const highest = maySwitch ? LATEST_VERSION : config.schemaVersion;
  const later = SCHEMA_VERSIONS.filter(
    (v) => v !== 1 && SCHEMA_VERSIONS.indexOf(v) <= SCHEMA_VERSIONS.indexOf(highest),
  );
  return {
    version: 1,
    schemas: schemasOf(1),
    ...(later.length > 0 ? { later: Object.fromEntries(later.map((v) => [v, schemasOf(v)])) } : {}),
  };
}
