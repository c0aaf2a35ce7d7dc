import type winston from "winston";
import { connectProducer, ensureTopics } from "../sinks/kafkaClient.js";
import { KafkaSink } from "../sinks/kafkaSink.js";
import type { Sink } from "../sinks/sink.js";
import type { RunConfig } from "./config.js";

/** Connects to the brokers, creates missing topics and returns the Kafka sink. */
export async function openKafka(config: RunConfig, log: winston.Logger): Promise<Sink> {
  const { kafka } = config;
  const producer = await connectProducer({
    brokers: kafka.brokers, compression: kafka.compression, properties: kafka.properties, connectTimeoutMs: kafka.connectTimeoutMs,
  });
  if (!kafka.brokers.startsWith("mock:")) {
    const created = await ensureTopics(kafka.brokers, Object.values(config.topics), kafka.partitions, kafka.replicationFactor, kafka.connectTimeoutMs);
    if (created.length > 0) log.info(`created topics ${created.join(", ")} (${kafka.partitions} partitions, replication ${kafka.replicationFactor})`);
  }
  log.info(`producing to Kafka at ${kafka.brokers} (idempotent, acks=all, ${kafka.compression})`);
  return new KafkaSink(producer, { maxInFlight: kafka.maxInFlight, log });
}
