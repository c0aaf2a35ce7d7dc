import type Kafka from "node-rdkafka";
import { randomUUID } from "node:crypto";
import { isUnknownTopic } from "./kafkaErrors.js";
import { SinkError } from "../../errors.js";
import type { Checkpoint } from "./transactionalSink.js";

/** The default topic of transaction checkpoints. */
export const CHECKPOINT_TOPIC = "retail-stream-checkpoints";

/**
 * The last committed checkpoint of `transactionalId`: reads the checkpoint topic
 * from the start with `read_committed` (a checkpoint of an aborted or open
 * transaction is never seen) until it goes quiet. `undefined` when there is none.
 */
export async function readCheckpoint(settings: {
  brokers: string;
  properties?: Record<string, string | number | boolean>;
  topic: string;
  transactionalId: string;
  timeoutMs: number;
}): Promise<Checkpoint | undefined> {
  const { KafkaConsumer } = (await import("node-rdkafka")).default;
  const consumer: Kafka.KafkaConsumer = new KafkaConsumer(
    {
      ...(settings.properties as Kafka.ConsumerGlobalConfig),
      "bootstrap.servers": settings.brokers,
      "group.id": `retail-stream-resume-${randomUUID()}`,
      "enable.auto.commit": false,
      "isolation.level": "read_committed",
    },
    { "auto.offset.reset": "earliest" },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: settings.timeoutMs }, (error) =>
      error ? reject(new SinkError(`cannot read checkpoints: ${error.message}`)) : resolve(),
    ),
  );
  let last: Checkpoint | undefined;
  try {
    // No checkpoint topic yet: nothing was committed. Any other failure is said: --resume must not silently start over.
    const high = await new Promise<number>((resolve, reject) =>
      consumer.queryWatermarkOffsets(settings.topic, 0, settings.timeoutMs, (error, offsets) => {
        if (!error) resolve(offsets.highOffset);
        else if (isUnknownTopic(error)) resolve(0);
        else
          reject(
            new SinkError(
              `--resume: cannot read the checkpoints of ${settings.transactionalId} in ${settings.topic} (${error.message}); not starting over from the beginning`,
            ),
          );
      }),
    );
    if (high === 0) return undefined;
    consumer.assign([{ topic: settings.topic, partition: 0, offset: 0 }]);
    consumer.setDefaultConsumeTimeout(100);
    const deadline = performance.now() + settings.timeoutMs;
    for (let idle = 0; idle < 3 && performance.now() < deadline;) {
      const messages = await new Promise<Kafka.Message[]>((resolve, reject) =>
        consumer.consume(5000, (error, batch) => (error ? reject(error) : resolve(batch))),
      );
      idle = messages.length === 0 ? idle + 1 : 0;
      for (const m of messages) {
        if (String(m.key) === settings.transactionalId && m.value !== null)
          last = JSON.parse(m.value.toString()) as Checkpoint;
        // At the end (the last offset is the last transaction's commit marker): nothing more to wait for.
        if (m.offset + 2 >= high) idle = 3;
      }
    }
  } finally {
    // Not waited for: closing a consumer takes seconds, and nothing depends on it.
    consumer.disconnect();
  }
  return last;
}
