import { connectProducer, ensureTopics, type ProducerSettings } from "./kafkaClient.js";
import { KafkaSink } from "./kafkaSink.js";
import type { SinkLog } from "./producerLike.js";

/** Where and how `connectKafkaSink` produces, and which topics it makes sure exist. */
export interface KafkaSinkSettings extends ProducerSettings {
  /** Topics to create if missing (never left to broker auto-creation). */
  topics?: readonly string[];
  /** Partitions of created topics (default 3). */
  partitions?: number;
  /** Replication factor of created topics (default 1). */
  replicationFactor?: number;
  /** In-flight messages at which the source pauses (default 100 000). */
  maxInFlight?: number;
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
  const producer = await connectProducer(settings);
  if (settings.topics !== undefined) {
    const partitions = settings.partitions ?? 3;
    const replication = settings.replicationFactor ?? 1;
    const created = await ensureTopics(settings.brokers, settings.topics, partitions, replication, settings.connectTimeoutMs);
    if (created.length > 0) log.info(`created topics ${created.join(", ")} (${partitions} partitions, replication ${replication})`);
  }
  return new KafkaSink(producer, { maxInFlight: settings.maxInFlight ?? 100_000, log });
}
