import type Kafka from "node-rdkafka";
import { randomUUID } from "node:crypto";
import { call, connectConsumer } from "./consumerClient.js";

/** A consumer group's lag on some topics at one moment: summed over the partitions it has committed offsets on. */
export interface GroupLag {
  /** Records written and not yet consumed (committed) by the group. */
  lag: number;
  /** The partitions' high watermarks, summed (what was written to them so far). */
  written: number;
  /** Partitions the group has committed offsets on. */
  partitions: number;
}

export interface GroupLagSettings {
  brokers: string;
  properties?: Record<string, string | number | boolean>;
  group: string;
  topics: readonly string[];
  timeoutMs: number;
}

/** Reads a group's lag: its committed offsets and the partitions' ends, as Kafka's admin tools do. */
export interface GroupLagReader {
  read(): Promise<GroupLag>;
  close(): void;
}

/**
 * Opens a reader of `group`'s lag. It asks for the group's committed offsets
 * (OffsetFetch, what `kafka-consumer-groups --describe` shows) with a client of
 * its own that never joins the group, so the pipeline's consumers are not
 * disturbed; partitions the group never committed on are not counted.
 */
export async function openGroupLag(settings: GroupLagSettings): Promise<GroupLagReader> {
  // committed() asks for the offsets of the client's group.id: the pipeline's group, never subscribed to.
  const client = await connectConsumer(settings, {
    "group.id": settings.group,
    "client.id": `retail-stream-lag-${randomUUID().slice(0, 8)}`,
    "enable.auto.commit": false,
  });
  const partitionsOf = async (): Promise<Kafka.TopicPartition[]> => {
    const metadata = await call<Kafka.Metadata>("cannot read the topics' metadata", (done) =>
      client.getMetadata({ timeout: settings.timeoutMs }, done),
    );
    return settings.topics.flatMap((topic) =>
      (metadata.topics.find((t) => t.name === topic)?.partitions ?? []).map(({ id }) => ({ topic, partition: id })),
    );
  };
  let partitions: Kafka.TopicPartition[] = [];
  return {
    async read(): Promise<GroupLag> {
      // Topics may be created after the run starts: their partitions are read again until some are there.
      if (partitions.length === 0) partitions = await partitionsOf();
      const committed = await call<Kafka.TopicPartitionOffset[]>(
        `cannot read group ${settings.group}'s offsets`,
        (done) => client.committed(partitions, settings.timeoutMs, done),
      );
      let lag = 0;
      let written = 0;
      let counted = 0;
      for (const { topic, partition, offset } of committed) {
        if (!(offset >= 0)) continue;
        const marks = await call<Kafka.WatermarkOffsets>(`cannot read the end of ${topic}:${partition}`, (done) =>
          client.queryWatermarkOffsets(topic, partition, settings.timeoutMs, done),
        );
        lag += Math.max(0, marks.highOffset - offset);
        written += marks.highOffset;
        counted += 1;
      }
      return { lag, written, partitions: counted };
    },
    close(): void {
      client.disconnect();
    },
  };
}
