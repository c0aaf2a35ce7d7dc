// A pipeline under test, checked against the ground truth: revenue per store per hour,
// computed from the sales topic the way your consumer (or Flink job, or ksqlDB query) would,
// compared with the `retail-truth` topic that `retail-stream --truth` wrote beside the events.
//
//   bin/retail-stream --from 2026-11-02T00:00:00Z --to 2026-11-03T00:00:00Z --truth
//   npx tsx examples/revenue-per-hour.ts [brokers] [sales topic] [truth topic]
//
// Exit 0 when every store-hour matches, 1 otherwise (with the first differences).
import Kafka from "node-rdkafka";
import { randomUUID } from "node:crypto";

const [brokers = "127.0.0.1:9092", salesTopic = "retail-sales-transactions", truthTopic = "retail-truth"] =
  process.argv.slice(2);
const HOUR = 3_600_000;

/** Reads topics from the beginning until nothing comes for 3 s (once the group has its partitions: at most 60 s for the first message). */
async function readAll(topics: string[]): Promise<Kafka.Message[]> {
  const consumer = new Kafka.KafkaConsumer(
    {
      "bootstrap.servers": brokers,
      "group.id": `revenue-check-${randomUUID()}`,
      "enable.auto.commit": false,
      "isolation.level": "read_committed",
    },
    { "auto.offset.reset": "earliest" },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 10_000 }, (error) => (error ? reject(error) : resolve())),
  );
  consumer.subscribe(topics);
  consumer.setDefaultConsumeTimeout(500);
  const messages: Kafka.Message[] = [];
  // A new consumer group may take seconds to be assigned its partitions: the quiet time counts from the first message.
  const started = Date.now();
  for (
    let quietSince = Date.now();
    messages.length === 0 ? Date.now() - started < 60_000 : Date.now() - quietSince < 3000;
  ) {
    const batch = await new Promise<Kafka.Message[]>((resolve, reject) =>
      consumer.consume(1000, (error, m) => (error ? reject(error) : resolve(m))),
    );
    if (batch.length > 0) quietSince = Date.now();
    messages.push(...batch);
  }
  consumer.disconnect();
  return messages;
}

const messages = await readAll([salesTopic, truthTopic]);

// The pipeline under test: tumbling one-hour event-time windows, per store, sum of total_amount in cents.
const revenue = new Map<string, number>();
for (const m of messages.filter((m) => m.topic === salesTopic)) {
  const sale = JSON.parse(String(m.value)) as { event_time: string; store_id: string; total_amount: number };
  const window = new Date(Math.floor(Date.parse(sale.event_time) / HOUR) * HOUR).toISOString();
  const key = `${window} ${sale.store_id}`;
  revenue.set(key, (revenue.get(key) ?? 0) + Math.round(sale.total_amount * 100));
}

// The answers: the truth's store rows of one-hour windows.
const expected = new Map<string, number>();
for (const m of messages.filter((m) => m.topic === truthTopic)) {
  const row = JSON.parse(String(m.value)) as {
    kind: string;
    window_start: string;
    window_end: string;
    store_id?: string;
    revenue?: number;
  };
  if (row.kind !== "store" || Date.parse(row.window_end) - Date.parse(row.window_start) !== HOUR) continue;
  expected.set(`${row.window_start} ${row.store_id}`, Math.round((row.revenue ?? 0) * 100));
}

const keys = new Set([...expected.keys(), ...revenue.keys()]);
const wrong = [...keys].filter((k) => (revenue.get(k) ?? 0) !== (expected.get(k) ?? 0)).sort();
for (const key of wrong.slice(0, 10))
  console.log(`${key}: computed ${(revenue.get(key) ?? 0) / 100}, truth ${(expected.get(key) ?? 0) / 100}`);
console.log(`revenue per store per hour: ${keys.size - wrong.length} of ${keys.size} store-hours match the truth`);
process.exitCode = expected.size > 0 && wrong.length === 0 ? 0 : 1;
