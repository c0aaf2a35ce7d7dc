// The floor under our Kafka figure: node-rdkafka alone producing pre-built 261-byte records
// (same producer settings, five topics as in a real run), no generator. Argument 2: the record count;
// argument 3: `all` (a delivery report per record, counted; the default) or `errors` (reports only of
// failures, as retail-stream's default --delivery-reports errors, and a flush at the end).
import { randomUUID } from "node:crypto";
import { connectProducer, ensureTopics } from "../dist/sinks/kafka/kafkaClient.js";

const brokers = process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";
const count = Number(process.argv[2] ?? 300_000);
const errorsOnly = process.argv[3] === "errors";
const topics = Array.from({ length: 5 }, (_, i) => `bench-floor-${randomUUID().slice(0, 6)}-${i}`);
const producer = await connectProducer({ brokers, compression: "lz4", connectTimeoutMs: 10_000,
  properties: errorsOnly ? { "delivery.report.only.error": true, "queue.buffering.max.messages": 100_000 } : {} });
await ensureTopics(producer, topics, { brokers, timeoutMs: 10_000, partitions: 3, replicationFactor: 1, create: "auto" });
const value = Buffer.from("x".repeat(261));
const headers = [{ event_type: "sale" }, { schema_version: "1" }];
let delivered = 0;
let failed = 0;
producer.on("delivery-report", (error) => (error ? (failed += 1) : (delivered += 1)));
const started = performance.now();
let sent = 0;
await new Promise((resolve, reject) => {
  const pump = () => {
    while (sent < count && (errorsOnly || sent - delivered < 100_000)) {
      try {
        producer.produce(topics[sent % 5], null, value, `S${sent % 20}`, Date.now(), undefined, headers);
        sent += 1;
      } catch {
        break;
      }
    }
    producer.poll();
    if (errorsOnly && sent >= count) producer.flush(60_000, (error) => (error ? reject(error) : resolve()));
    else if (!errorsOnly && delivered + failed >= count) resolve();
    else setImmediate(pump);
  };
  pump();
});
const seconds = (performance.now() - started) / 1000;
console.log(`node-rdkafka alone (${errorsOnly ? "reports of errors only" : "a report per record"}): ${count} records in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} records/s, ${failed} failed`);
producer.disconnect(1000, () => undefined);
