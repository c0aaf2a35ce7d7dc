import type Kafka from "node-rdkafka";
import { SinkError } from "../errors.js";
import type { ProducerLike } from "./producerLike.js";

export interface ProducerSettings {
  brokers: string;
  compression: string;
  /** librdkafka properties that override the defaults (`-X key=value`). */
  properties?: Record<string, string | number | boolean>;
  connectTimeoutMs: number;
  /** Delivery-report poll interval, ms. */
  pollMs?: number;
}

/** Defaults a careful user would pick: idempotent (so acks=all), batched, compressed. */
function producerConfig(settings: ProducerSettings): Kafka.ProducerGlobalConfig {
  return {
    "bootstrap.servers": settings.brokers,
    "client.id": "retail-stream",
    "enable.idempotence": true,
    dr_cb: true,
    "linger.ms": 10,
    "batch.num.messages": 10_000,
    "batch.size": 1_000_000,
    "queue.buffering.max.messages": 200_000,
    "queue.buffering.max.kbytes": 262_144,
    "compression.codec": settings.compression as Kafka.ProducerGlobalConfig["compression.codec"],
    "socket.keepalive.enable": true,
    ...(settings.properties as Kafka.ProducerGlobalConfig),
  };
}

/** node-rdkafka, loaded on first use: a stdout run or a library user without Kafka never needs librdkafka. */
async function rdkafka(): Promise<typeof Kafka> {
  return (await import("node-rdkafka")).default;
}

/** Connects a producer, waiting at most `connectTimeoutMs` for the broker's metadata. */
export async function connectProducer(settings: ProducerSettings): Promise<ProducerLike> {
  const { Producer } = await rdkafka();
  let producer: Kafka.Producer;
  try {
    producer = new Producer(producerConfig(settings), {});
  } catch (error) {
    return Promise.reject(new SinkError(`Kafka producer settings: ${(error as Error).message}`));
  }
  return new Promise((resolve, reject) => {
    producer.connect({ timeout: settings.connectTimeoutMs }, (error) => {
      if (error) {
        reject(new SinkError(`cannot reach Kafka at ${settings.brokers} within ${settings.connectTimeoutMs / 1000} s (${error.message})`));
        return;
      }
      producer.setPollInterval(settings.pollMs ?? 50);
      resolve(producer as unknown as ProducerLike);
    });
  });
}

/** Creates the topics that don't exist yet (never relying on broker auto-creation). */
export async function ensureTopics(brokers: string, topics: readonly string[], partitions: number, replicationFactor: number, timeoutMs: number): Promise<string[]> {
  const admin = (await rdkafka()).AdminClient.create({ "bootstrap.servers": brokers, "client.id": "retail-stream-admin" });
  const created: string[] = [];
  try {
    for (const topic of new Set(topics)) {
      await new Promise<void>((resolve, reject) => {
        admin.createTopic({ topic, num_partitions: partitions, replication_factor: replicationFactor }, timeoutMs, (error) => {
          if (!error) created.push(topic);
          // 36: TOPIC_ALREADY_EXISTS
          if (!error || error.code === 36) resolve();
          else reject(new SinkError(`cannot create topic ${topic}: ${error.message}`));
        });
      });
    }
  } finally {
    admin.disconnect();
  }
  return created;
}
