import type Kafka from "node-rdkafka";
import { randomUUID } from "node:crypto";
import { SinkError } from "../../errors.js";
import { kafkaProblem } from "./kafkaErrors.js";

export interface OutputWatchSettings {
  brokers: string;
  properties?: Record<string, string | number | boolean>;
  topic: string;
  timeoutMs: number;
  /** Each record's value as it arrives, with the wall epoch ms it was seen at. */
  onValue: (value: Buffer | null, seenAt: number) => void;
  /** The wall clock (epoch ms). */
  epochNow: () => number;
}

/**
 * Reads a pipeline's output topic from its end as it grows (a group of its own,
 * committing nothing), handing each value on as soon as it is fetched, until closed.
 */
export async function watchOutput(settings: OutputWatchSettings): Promise<{ close(): void }> {
  const { KafkaConsumer } = (await import("node-rdkafka")).default;
  const consumer: Kafka.KafkaConsumer = new KafkaConsumer(
    {
      ...(settings.properties as Kafka.ConsumerGlobalConfig),
      "bootstrap.servers": settings.brokers,
      "group.id": `retail-stream-latency-${randomUUID()}`,
      "enable.auto.commit": false,
      // An output is seen when it is there, not when a fetch fills up.
      "fetch.wait.max.ms": 10,
      "fetch.min.bytes": 1,
      event_cb: true,
    },
    { "auto.offset.reset": "latest" },
  );
  await new Promise<void>((resolve, reject) => {
    consumer.on("event.error", (error) => {
      const problem = kafkaProblem(error, settings.brokers);
      if (problem !== undefined && !consumer.isConnected()) reject(new SinkError(problem));
    });
    consumer.connect({ timeout: settings.timeoutMs }, (error) =>
      error
        ? reject(new SinkError(kafkaProblem(error, settings.brokers) ?? `cannot reach Kafka at ${settings.brokers}`))
        : resolve(),
    );
  });
  const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
    consumer.getMetadata({ topic: settings.topic, timeout: settings.timeoutMs }, (error, data) =>
      error ? reject(new SinkError(`cannot read ${settings.topic}'s metadata: ${error.message}`)) : resolve(data),
    ),
  );
  const partitions = metadata.topics.find((t) => t.name === settings.topic)?.partitions ?? [];
  if (partitions.length === 0) {
    consumer.disconnect();
    throw new SinkError(`--latency-topic ${settings.topic} does not exist at ${settings.brokers}`);
  }
  // From each partition's end now: outputs of inputs made before this run are not this run's.
  const assignments: Kafka.TopicPartitionOffset[] = [];
  for (const { id } of partitions) {
    const marks = await new Promise<Kafka.WatermarkOffsets>((resolve, reject) =>
      consumer.queryWatermarkOffsets(settings.topic, id, settings.timeoutMs, (error, data) =>
        error ? reject(new SinkError(`cannot read the end of ${settings.topic}:${id}`)) : resolve(data),
      ),
    );
    assignments.push({ topic: settings.topic, partition: id, offset: marks.highOffset });
  }
  consumer.assign(assignments);
  // Flowing mode hands over each message as it is fetched: a batch read would stamp a whole batch
  // with the moment its last message came, and add that wait to every latency in it.
  // and after a wait that found nothing it asks again at once (node-rdkafka's default rests 500 ms then).
  consumer.setDefaultConsumeTimeout(50);
  consumer.setDefaultConsumeLoopTimeoutDelay(0);
  let open = true;
  consumer.on("data", (m) => {
    if (open) settings.onValue(m.value ?? null, settings.epochNow());
  });
  consumer.consume();
  return {
    close(): void {
      open = false;
      consumer.disconnect();
    },
  };
}
