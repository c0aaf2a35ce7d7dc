import type winston from "winston";
import { avroSchemas, protobufSchema, readSchemas } from "../data/schemas.js";
import { connectKafkaSink } from "../sinks/kafka/connectKafkaSink.js";
import { jsonValue } from "../wire/jsonValue.js";
import { CHECKPOINT_TOPIC } from "../sinks/kafka/checkpoints.js";
import { SchemaRegistry } from "../sinks/kafka/schemaRegistry.js";
import { TransactionalSink, type TransactionalProducer } from "../sinks/kafka/transactionalSink.js";
import type { Sink } from "../sinks/sink.js";
import type { RunConfig } from "../config/runConfig.js";

/** Kafka's default log.retention.hours, 168. */
const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Prepares the value format (registering schemas first), connects to the brokers, creates missing topics and returns the Kafka sink. */
export async function openKafka(config: RunConfig, log: winston.Logger, hooks: { onStats?: (json: string) => void; now: number }): Promise<Sink> {
  const { kafka } = config;
  // Kafka deletes by record time: a topic at the default retention drops a backfill's old records minutes after they land.
  if (config.start < hooks.now - DEFAULT_RETENTION_MS && kafka.topicConfig["retention.ms"] === undefined) {
    log.warn(`records start ${new Date(config.start).toISOString()}, more than 7 days ago: a topic at Kafka's default retention (7 days, by record time) deletes them within minutes of writing; --topic-config retention.ms=-1 keeps them in topics this run creates`);
  }
  const transactions = config.transactions;
  const registry = kafka.registry;
  const topicConfig = { ...timestampLimitFor(config, hooks.now), ...kafka.topicConfig };
  // The registry formats' libraries (avsc, protobufjs) are loaded only by the runs that write them.
  const encode = kafka.format === "json" ? jsonValue : await (await import("../wire/valueEncoder.js")).valueEncoder(kafka.format, registry === undefined ? undefined : {
    registry: new SchemaRegistry(registry.url, registry.userInfo), register: registry.register, topics: config.topics,
    schemas: { json: readSchemas(), avro: avroSchemas(), protobuf: protobufSchema() },
  });
  if (kafka.format !== "json") log.info(`values in ${kafka.format} (Confluent wire format), schemas ${registry?.register === false ? "looked up" : "registered"} at ${registry?.url ?? ""}`);
  // The truth topic, when the truth goes to Kafka, is created with the event topics.
  const topics = [...Object.values(config.topics), ...(config.truth !== undefined && config.truth.file === undefined ? [config.truth.topic] : [])];
  const sink = await connectKafkaSink({
    uncountedTopic: transactions === undefined ? undefined : CHECKPOINT_TOPIC,
    compacted: transactions === undefined ? undefined : [CHECKPOINT_TOPIC],
    encode,
    brokers: kafka.brokers, compression: kafka.compression, connectTimeoutMs: kafka.connectTimeoutMs,
    properties: transactions === undefined ? kafka.properties : { ...kafka.properties, "transactional.id": transactions.id },
    topics: transactions === undefined ? topics : [...topics, CHECKPOINT_TOPIC], partitions: kafka.partitions, replicationFactor: kafka.replicationFactor, createTopics: kafka.createTopics, topicConfig, reports: kafka.deliveryReports ?? (transactions === undefined ? "errors" : "all"),
    maxInFlight: kafka.maxInFlight, maxInFlightBytes: kafka.maxInFlightBytes, log, onStats: hooks.onStats,
  });
  log.info(`producing to Kafka at ${kafka.brokers} (idempotent, acks=all, ${kafka.compression}, ${kafka.format}${transactions === undefined ? "" : `, transactions as ${transactions.id}`})`);
  if (transactions === undefined) return sink;
  const transactional = new TransactionalSink(sink, sink.client as TransactionalProducer, {
    transactionalId: transactions.id, checkpointTopic: CHECKPOINT_TOPIC, commitIntervalMs: transactions.intervalMs, commitRecords: transactions.records, now: () => performance.now(), log,
  });
  await transactional.start();
  return transactional;
}

/** Kafka's default limit on how far ahead of the broker's clock a record may be stamped (`message.timestamp.after.max.ms`). */
const DEFAULT_AHEAD_LIMIT_MS = 3_600_000;

/**
 * The timestamp limit of the topics this run creates: a run whose clock can get
 * more than an hour ahead of the wall's (faster than real time, or starting in
 * the future) stamps records the broker would refuse at its default, so its
 * topics take any timestamp; `--topic-config` may say otherwise.
 */
export function timestampLimitFor(config: Pick<RunConfig, "live" | "speed" | "start"> & { recordTimestamp?: RunConfig["recordTimestamp"] }, now: number): Record<string, string> {
  if (config.recordTimestamp === "wall") return {};
  const ahead = (config.live && config.speed > 1) || config.start > now + DEFAULT_AHEAD_LIMIT_MS;
  return ahead ? { "message.timestamp.after.max.ms": "9223372036854775807" } : {};
}
