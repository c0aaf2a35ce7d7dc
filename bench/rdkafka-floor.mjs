// The floor under our Kafka figure: node-rdkafka alone producing pre-built records (same producer settings), no
// generator. Argument 2: the record count; argument 3: `all` (a delivery report per record, counted; the default) or
// `errors` (reports only of failures, as retail-stream's default --delivery-reports errors, and a flush at the end);
// argument 4 (optional): a file of `retail-stream --sink stdout` lines, whose records (topic, key, headers, value
// bytes) are sent as they are, each topic of the run to a fresh topic of its own. Without it, 261-byte records of
// one letter go to five topics, keyed by twenty store ids.
// Besides the wall-clock rate it prints the CPU (user + system, all threads) of the producing alone, from the first
// produce() to the last delivery: the process's start and the reading of the records are not in it.
import { createReadStream } from "node:fs";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { connectProducer, ensureTopics } from "../dist/sinks/kafka/kafkaClient.js";

const brokers = process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";
const errorsOnly = process.argv[3] === "errors";
const recordsFile = process.argv[4];
/** What the sink does when librdkafka's queue is full: wait this long, then try again (no busy loop). */
const FULL_WAIT_MS = 5;

/** The records to send: every one's topic (an index), key, headers and value (a view of one buffer of them all). */
async function runRecords(file, limit) {
  const topicIndex = new Map();
  const headerSets = new Map();
  const topicOf = [];
  const keys = [];
  const headersOf = [];
  const values = [];
  for await (const row of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (keys.length >= limit) break;
    const record = JSON.parse(row);
    if (!topicIndex.has(record.topic)) topicIndex.set(record.topic, topicIndex.size);
    topicOf.push(topicIndex.get(record.topic));
    keys.push(record.key);
    const headerKey = JSON.stringify(record.headers);
    if (!headerSets.has(headerKey))
      headerSets.set(
        headerKey,
        Object.entries(record.headers).map(([k, v]) => ({ [k]: v })),
      );
    headersOf.push(headerSets.get(headerKey));
    // The value's bytes exactly as the line holds them (its amounts' text included): the rest of the line after "value":.
    values.push(row.slice(row.indexOf(',"value":') + 9, -1));
  }
  // One buffer for them all, written value by value (a single string of them all would pass V8's longest string on big runs).
  const all = Buffer.allocUnsafe(values.reduce((bytes, v) => bytes + Buffer.byteLength(v), 0));
  let at = 0;
  const views = values.map((v) => {
    const n = all.write(v, at);
    const view = all.subarray(at, at + n);
    at += n;
    return view;
  });
  return { topicCount: topicIndex.size, topicOf, keys, headersOf, values: views };
}

function blankRecords(count) {
  const value = Buffer.from("x".repeat(261));
  const headers = [{ event_type: "sale" }, { schema_version: "1" }];
  return {
    topicCount: 5,
    topicOf: Array.from({ length: count }, (_, i) => i % 5),
    keys: Array.from({ length: count }, (_, i) => `S${i % 20}`),
    headersOf: Array.from({ length: count }, () => headers),
    values: Array.from({ length: count }, () => value),
  };
}

const records =
  recordsFile === undefined
    ? blankRecords(Number(process.argv[2] ?? 300_000))
    : await runRecords(recordsFile, Number(process.argv[2] ?? Infinity));
const count = records.keys.length;
const topics = Array.from({ length: records.topicCount }, (_, i) => `bench-floor-${randomUUID().slice(0, 6)}-${i}`);
const producer = await connectProducer({
  brokers,
  compression: "lz4",
  connectTimeoutMs: 10_000,
  properties: errorsOnly ? { "delivery.report.only.error": true, "queue.buffering.max.messages": 100_000 } : {},
});
await ensureTopics(producer, topics, {
  brokers,
  timeoutMs: 10_000,
  partitions: 3,
  replicationFactor: 1,
  create: "auto",
});
let delivered = 0;
let failed = 0;
producer.on("delivery-report", (error) => (error ? (failed += 1) : (delivered += 1)));
const cpuBefore = process.cpuUsage();
const started = performance.now();
let sent = 0;
await new Promise((resolve, reject) => {
  const pump = () => {
    while (sent < count && (errorsOnly || sent - delivered < 100_000)) {
      try {
        producer.produce(
          topics[records.topicOf[sent]],
          null,
          records.values[sent],
          records.keys[sent],
          Date.now(),
          undefined,
          records.headersOf[sent],
        );
        sent += 1;
      } catch {
        break;
      }
    }
    producer.poll();
    if (errorsOnly && sent >= count) producer.flush(60_000, (error) => (error ? reject(error) : resolve()));
    else if (!errorsOnly && delivered + failed >= count) resolve();
    // The queue (or the window of reports awaited) is full, or only reports are awaited: wait as the sink waits.
    else setTimeout(pump, FULL_WAIT_MS);
  };
  pump();
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  `node-rdkafka alone (${errorsOnly ? "reports of errors only" : "a report per record"}): ${count} records in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} records/s, ${failed} failed; producing CPU ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s`,
);
producer.disconnect(1000, () => undefined);
