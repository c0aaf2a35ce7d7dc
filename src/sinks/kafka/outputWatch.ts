import type Kafka from "node-rdkafka";
import { randomUUID } from "node:crypto";
import { SinkError } from "../../errors.js";
import { call, connectConsumer } from "./consumerClient.js";

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

/** Each partition of the output topic at its end now; a `SinkError` when the topic is not there. */
async function endsOf(
  consumer: Kafka.KafkaConsumer,
  settings: OutputWatchSettings,
): Promise<Kafka.TopicPartitionOffset[]> {
  const metadata = await call<Kafka.Metadata>(`cannot read ${settings.topic}'s metadata`, (done) =>
    consumer.getMetadata({ topic: settings.topic, timeout: settings.timeoutMs }, done),
  );
  const partitions = metadata.topics.find((t) => t.name === settings.topic)?.partitions ?? [];
  if (partitions.length === 0)
    throw new SinkError(`--latency-topic ${settings.topic} does not exist at ${settings.brokers}`);
  const assignments: Kafka.TopicPartitionOffset[] = [];
  for (const { id } of partitions) {
    const marks = await call<Kafka.WatermarkOffsets>(`cannot read the end of ${settings.topic}:${id}`, (done) =>
      consumer.queryWatermarkOffsets(settings.topic, id, settings.timeoutMs, done),
    );
    assignments.push({ topic: settings.topic, partition: id, offset: marks.highOffset });
  }
  return assignments;
}

/**
 * Reads a pipeline's output topic from its end as it grows (a group of its own,
 * committing nothing), handing each value on as soon as it is fetched, until closed.
 */
export async function watchOutput(settings: OutputWatchSettings): Promise<{ close(): void }> {
  const consumer = await connectConsumer(
    settings,
    {
      "group.id": `retail-stream-latency-${randomUUID()}`,
      "enable.auto.commit": false,
      // An output is seen when it is there, not when a fetch fills up.
      "fetch.wait.max.ms": 10,
      "fetch.min.bytes": 1,
    },
    { "auto.offset.reset": "latest" },
  );
  // From each partition's end now: outputs of inputs made before this run are not this run's.
  let assignments: Kafka.TopicPartitionOffset[];
  try {
    assignments = await endsOf(consumer, settings);
  } catch (error) {
    consumer.disconnect();
    throw error;
  }
  consumer.assign(assignments);
  // Flowing mode hands over each message as it is fetched: a batch read would stamp a whole batch
  // with the moment its last message came, and add that wait to every latency in it. After a wait
  // that found nothing it asks again at once (node-rdkafka's default rests 500 ms then).
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
