import type winston from "winston";
import { connectKafkaSink } from "../sinks/connectKafkaSink.js";
import type { Sink } from "../sinks/sink.js";
import type { RunConfig } from "./config.js";

/** Connects to the brokers, creates missing topics and returns the Kafka sink. */
export async function openKafka(config: RunConfig, log: winston.Logger): Promise<Sink> {
  const { kafka } = config;
  const sink = await connectKafkaSink({
    brokers: kafka.brokers, compression: kafka.compression, properties: kafka.properties, connectTimeoutMs: kafka.connectTimeoutMs,
    topics: Object.values(config.topics), partitions: kafka.partitions, replicationFactor: kafka.replicationFactor, createTopics: kafka.createTopics,
    maxInFlight: kafka.maxInFlight, log,
  });
  log.info(`producing to Kafka at ${kafka.brokers} (idempotent, acks=all, ${kafka.compression})`);
  return sink;
}
