import type Kafka from "node-rdkafka";
import { randomUUID } from "node:crypto";
import { SinkError } from "../../errors.js";
import { call, connectConsumer } from "./consumerClient.js";
import { kafkaProblem } from "./kafkaErrors.js";

/** One record read back, with where it sits. */
export interface ReadRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  timestamp: number;
  headers: Record<string, string>;
  value: Buffer | null;
}

/** Where reading starts: every partition's beginning, the first offset at or after a time, or given offsets (`topic:partition` → offset). */
export type ReadStart =
  { from: "beginning" } | { from: "time"; time: number } | { from: "offsets"; offsets: ReadonlyMap<string, number> };

export interface ReadSettings {
  brokers: string;
  properties?: Record<string, string | number | boolean>;
  topics: readonly string[];
  /** Topics read when they exist (a run's truth topic). */
  optional?: readonly string[];
  start: ReadStart;
  /** Stop after this many records. */
  maxRecords?: number;
  /** Stop once nothing came for this long, ms (after what was there at the start has been read, or before). */
  idleMs: number;
  /** Connecting and each metadata request, ms. */
  timeoutMs: number;
}

/** What was read, and each partition's span (`topic:partition` → first offset read from, next offset). */
export interface ReadResult {
  records: ReadRecord[];
  spans: Map<string, { from: number; to: number }>;
}

/**
 * Reads `topics` with `read_committed` (nothing of an aborted or open
 * transaction) from `start` until every partition has reached the end it had
 * when reading began, `maxRecords` came, or nothing came for `idleMs`.
 */
export async function readTopics(settings: ReadSettings): Promise<ReadResult> {
  const consumer = await connectConsumer(
    settings,
    {
      "group.id": `retail-stream-verify-${randomUUID()}`,
      "enable.auto.commit": false,
      "isolation.level": "read_committed",
    },
    { "auto.offset.reset": "earliest" },
  );
  try {
    const metadata = await call<Kafka.Metadata>("cannot read the topics' metadata", (done) =>
      consumer.getMetadata({ timeout: settings.timeoutMs }, done),
    );
    const assignments: Kafka.TopicPartitionOffset[] = [];
    const ends = new Map<string, number>();
    for (const topic of [...settings.topics, ...(settings.optional ?? [])]) {
      const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
      if (partitions.length === 0 && settings.optional?.includes(topic)) continue;
      if (partitions.length === 0) throw new SinkError(`topic ${topic} does not exist at ${settings.brokers}`);
      for (const { id } of partitions) {
        const marks = await call<Kafka.WatermarkOffsets>(`cannot read the end of ${topic}:${id}`, (done) =>
          consumer.queryWatermarkOffsets(topic, id, settings.timeoutMs, done),
        );
        ends.set(`${topic}:${id}`, marks.highOffset);
        assignments.push({
          topic,
          partition: id,
          offset: await startOffset(consumer, settings, topic, id, marks.lowOffset),
        });
      }
    }
    consumer.assign(assignments);
    consumer.setDefaultConsumeTimeout(200);
    const records: ReadRecord[] = [];
    const spans = new Map(assignments.map((a) => [`${a.topic}:${a.partition}`, { from: a.offset, to: a.offset }]));
    let quietSince = performance.now();
    // The consumer's position passes a transaction's commit marker, which is never delivered; a partition read from its end has none.
    const positions = (): Map<string, number> =>
      new Map(consumer.position().map((p) => [`${p.topic}:${p.partition}`, p.offset]));
    const reachedEnds = (): boolean => {
      const at = positions();
      return [...spans].every(([where, span]) => Math.max(span.from, at.get(where) ?? -1) >= (ends.get(where) ?? 0));
    };
    while (records.length < (settings.maxRecords ?? Infinity) && performance.now() - quietSince < settings.idleMs) {
      const batch = await new Promise<Kafka.Message[]>((resolve, reject) =>
        consumer.consume(1000, (error, messages) => {
          if (!error) return resolve(messages);
          reject(new SinkError(kafkaProblem(error, settings.brokers) ?? `cannot read: ${error.message}`));
        }),
      );
      if (batch.length > 0) quietSince = performance.now();
      for (const m of batch) {
        if (records.length >= (settings.maxRecords ?? Infinity)) break;
        const headers: Record<string, string> = {};
        for (const h of m.headers ?? []) for (const [k, v] of Object.entries(h)) headers[k] = v.toString();
        records.push({
          topic: m.topic,
          partition: m.partition,
          offset: m.offset,
          key: m.key === null || m.key === undefined ? null : String(m.key),
          timestamp: m.timestamp ?? -1,
          headers,
          value: m.value,
        });
        const span = spans.get(`${m.topic}:${m.partition}`);
        if (span !== undefined) span.to = m.offset + 1;
      }
      // Everything there at the start has been read (a transaction's commit marker may hold the last offset): done, unless bounded otherwise.
      if (batch.length === 0 && settings.maxRecords === undefined && reachedEnds()) break;
    }
    return { records, spans };
  } finally {
    consumer.disconnect();
  }
}

/** The first offset to read of one partition. */
async function startOffset(
  consumer: Kafka.KafkaConsumer,
  settings: ReadSettings,
  topic: string,
  partition: number,
  low: number,
): Promise<number> {
  const { start } = settings;
  if (start.from === "beginning") return low;
  if (start.from === "offsets") return start.offsets.get(`${topic}:${partition}`) ?? low;
  const [found] = await call<Kafka.TopicPartitionOffset[]>(
    `cannot find offsets by time in ${topic}:${partition}`,
    (done) => consumer.offsetsForTimes([{ topic, partition, offset: start.time }], settings.timeoutMs, done),
  );
  // -1: no record at or after the time; read nothing from this partition (start at its end).
  return found === undefined || found.offset < 0
    ? (
        await call<Kafka.WatermarkOffsets>("", (done) =>
          consumer.queryWatermarkOffsets(topic, partition, settings.timeoutMs, done),
        )
      ).highOffset
    : found.offset;
}
