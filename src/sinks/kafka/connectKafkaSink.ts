import type { OutRecord } from "../../wire/envelope.js";
import { connectProducer, ensureTopics, type ProducerSettings } from "./kafkaClient.js";
import { KafkaSink } from "./kafkaSink.js";
import { SINK_DEFAULTS } from "./defaults.js";
import { messageTimeoutMs } from "./stallWatch.js";

/** How much longer than librdkafka's message timeout records may wait with no contact before the run gives up on them. */
const STALL_MARGIN_MS = 10_000;
import type { SinkLog } from "./producerLike.js";
import type { Sink } from "../sink.js";

/** Where and how `connectKafkaSink` produces, and which topics it makes sure exist. */
export interface KafkaSinkSettings extends ProducerSettings {
  /** Topics to create if missing (never left to broker auto-creation). */
  topics?: readonly string[];
  /** Partitions of created topics (default -1: the broker's default). */
  partitions?: number;
  /** Replication factor of created topics (default -1: the broker's default). */
  replicationFactor?: number;
  /** `auto` (default) creates missing topics; `never` requires them to exist. */
  createTopics?: "auto" | "never";
  /** A topic whose deliveries are not the run's records (transaction checkpoints). */
  uncountedTopic?: string;
  /** Topic settings of the created topics (e.g. retention.ms), but the compacted ones. */
  topicConfig?: Readonly<Record<string, string>>;
  /** How far ahead of the wall clock the run stamps records, and why: existing topics whose timestamp limit is lower refuse the run at start. */
  ahead?: { ms: number; cause: string };
  /** Topics created with one partition, compacted. */
  compacted?: readonly string[];
  /** Writes a record's value (default: the event as JSON; `valueEncoder` makes the registry formats). */
  encode?: (record: OutRecord) => Buffer;
  /** In-flight messages at which the source pauses (default 100 000). */
  maxInFlight?: number;
  /** In-flight value bytes at which the source pauses (default 8 MiB). */
  maxInFlightBytes?: number;
  /** Delivery reports for every record (`all`), or only for failures (`errors`, the default: fewer crossings into JavaScript; see `KafkaSink`). */
  reports?: "all" | "errors";
  log?: SinkLog;
}

/**
 * Connects a producer, creates missing topics and returns a ready Kafka sink.
 *
 * @param settings brokers, producer settings, topics to create
 * @returns the sink; a broker that cannot be reached is a `SinkError`
 */
export async function connectKafkaSink(settings: KafkaSinkSettings): Promise<KafkaSink> {
  const log = settings.log ?? { info: () => undefined, warn: () => undefined, debug: () => undefined };
  // A fatal error can come while the topics are being checked, before the sink exists: kept for it.
  const ready: { sink?: KafkaSink; fatal?: string } = {};
  const reports = settings.reports ?? "errors";
  const maxInFlight = settings.maxInFlight ?? SINK_DEFAULTS.maxInFlight;
  const maxInFlightBytes = settings.maxInFlightBytes ?? SINK_DEFAULTS.maxInFlightMb * 1024 * 1024;
  // Reports only of errors: librdkafka's own queue bounds what is in flight, and its statistics say what it still holds.
  const errorsOnly =
    reports === "errors"
      ? {
          "queue.buffering.max.messages": maxInFlight,
          "queue.buffering.max.kbytes": Math.max(1, Math.ceil(maxInFlightBytes / 1024)),
          ...settings.properties,
          "delivery.report.only.error": true,
        }
      : settings.properties;
  const producer = await connectProducer({
    ...settings,
    properties: errorsOnly,
    log,
    onFatal: (reason) => (ready.sink === undefined ? (ready.fatal = reason) : ready.sink.fatal(reason)),
    // Statistics feed the counts (reports of errors only) and the watch over a stall (either way).
    statsIntervalMs: reports === "errors" ? 200 : 1000,
    onStats: (json: string) => {
      ready.sink?.observeStats(json);
      settings.onStats?.(json);
    },
  });
  if (settings.topics !== undefined) {
    const partitions = settings.partitions ?? -1;
    const replication = settings.replicationFactor ?? -1;
    const created = await ensureTopics(producer, settings.topics, {
      brokers: settings.brokers,
      properties: settings.properties,
      timeoutMs: settings.connectTimeoutMs,
      partitions,
      replicationFactor: replication,
      create: settings.createTopics ?? "auto",
      compacted: settings.compacted,
      config: settings.topicConfig,
      ahead: settings.ahead,
      log,
    }).catch(async (error: unknown) => {
      await new Promise<void>((resolve) => producer.disconnect(1000, resolve));
      throw error;
    });
    const value = (n: number): string => (n === -1 ? "the broker's default" : String(n));
    const config = Object.entries(settings.topicConfig ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(", ");
    if (created.length > 0)
      log.info(
        `created topics ${created.join(", ")} (partitions: ${value(partitions)}, replication: ${value(replication)}${config === "" ? "" : `, ${config}`})`,
      );
  }
  // With reports of errors only, the sink's mark is librdkafka's queue limit, the user's if given.
  const queueLimit = Number(errorsOnly?.["queue.buffering.max.messages"] ?? maxInFlight);
  const sink = new KafkaSink(producer, {
    maxInFlight: reports === "errors" && queueLimit > 0 ? queueLimit : maxInFlight,
    maxInFlightBytes,
    log,
    brokers: settings.brokers,
    encode: settings.encode,
    uncountedTopic: settings.uncountedTopic,
    reports,
    // librdkafka fails what waits past its message timeout; nothing at all for a while longer means it is stuck.
    stall: { timeoutMs: messageTimeoutMs(settings.properties) + STALL_MARGIN_MS },
  });
  ready.sink = sink;
  if (ready.fatal !== undefined) sink.fatal(ready.fatal);
  return sink;
}

/**
 * The library's Kafka sink: `connectKafkaSink` seen through the `Sink` interface
 * only (the sink's own class, and what the transactional sink asks of it, stay inside).
 */
export function openKafkaSink(settings: KafkaSinkSettings): Promise<Sink> {
  return connectKafkaSink(settings);
}
