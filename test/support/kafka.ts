import { readChain } from "../../src/data/chainFiles.js";
import { expect } from "chai";
import Kafka from "node-rdkafka";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { EventType, RetailEvent } from "../../src/model/events.js";

export const BROKERS = process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";

/**
 * A fixed simulated start at which every store of the sample chain is open and none opens or
 * closes for hours (13:30 in New York, 10:30 in Los Angeles): tests that do not test the real
 * clock start here, so they pass at any hour. It is in the past, so give its topics `retention.ms=-1`.
 */
export const OPEN_HOURS = "2026-11-02T18:30:00Z";

export interface Consumed {
  topic: string;
  partition: number;
  offset: number;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  value: RetailEvent;
}

/**
 * Fresh topic names for one test, so tests never read each other's messages: the event topics by name, and a
 * prefix of its own for the rest (the reference topics schema version 2 writes the chain's stores and
 * products to, named in `reference`).
 */
export function freshTopics(tag: string): {
  args: string[];
  names: Record<EventType, string>;
  reference: { stores: string; products: string };
} {
  const run = `${tag}-${randomUUID().slice(0, 8)}`;
  const names: Record<EventType, string> = {
    sale: `${run}-sales`,
    inventory_update: `${run}-inventory`,
    price_change: `${run}-prices`,
    customer_event: `${run}-customers`,
    restock_alert: `${run}-restocks`,
    payment: `${run}-payments`,
    order_status: `${run}-orders`,
    return: `${run}-returns`,
  };
  const alias: Record<EventType, string> = {
    sale: "sales",
    inventory_update: "inventory",
    price_change: "price",
    customer_event: "customer",
    restock_alert: "restock",
    payment: "payments",
    order_status: "orders",
    return: "returns",
  };
  const args = [
    ...Object.entries(names).flatMap(([type, name]) => ["--topic", `${alias[type as EventType]}=${name}`]),
    "--topic-prefix",
    `${run}.`,
  ];
  return { args, names, reference: { stores: `${run}.retail-stores`, products: `${run}.retail-products` } };
}

/** A record read back as it is on the wire: its value as text (which may not be JSON). */
export interface RawConsumed {
  topic: string;
  partition: number;
  offset: number;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  text: string;
}

/** Where to read from: the brokers and extra client settings (security, isolation level). */
export interface ReadClient {
  brokers?: string;
  config?: Record<string, string>;
}

/**
 * Reads every record of `topics` from the start to the end each partition had
 * when the read reached it, values as text. The test's own reader: it assigns
 * every partition itself (no consumer group, so no rebalance can pause it) and
 * ends when librdkafka reports the end of every partition (for read_committed,
 * the last stable offset); `idleMs` without a record ends it regardless.
 */
export async function consumeText(topics: string[], idleMs = 8000, client: ReadClient = {}): Promise<RawConsumed[]> {
  const brokers = client.brokers ?? BROKERS;
  const consumer = new Kafka.KafkaConsumer(
    {
      "bootstrap.servers": brokers,
      "group.id": `e2e-${randomUUID()}`,
      "enable.auto.commit": false,
      "enable.partition.eof": true,
      ...client.config,
    },
    { "auto.offset.reset": "earliest" },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 10_000 }, (error) => (error ? reject(error) : resolve())),
  );
  try {
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
      consumer.getMetadata({ timeout: 10_000 }, (error, data) => (error ? reject(error) : resolve(data))),
    );
    const open = new Set<string>();
    const assignments: Kafka.TopicPartitionOffset[] = [];
    for (const topic of topics) {
      for (const { id } of metadata.topics.find((t) => t.name === topic)?.partitions ?? []) {
        // -2: librdkafka's beginning of the partition.
        assignments.push({ topic, partition: id, offset: -2 });
        open.add(`${topic}/${id}`);
      }
    }
    consumer.on("partition.eof", (eof) => open.delete(`${eof.topic}/${eof.partition}`));
    consumer.assign(assignments);
    const seen: RawConsumed[] = [];
    for (let last = Date.now(); open.size > 0 && Date.now() - last < idleMs;) {
      const batch = await new Promise<Kafka.Message[]>((resolve) =>
        consumer.consume(1000, (_error, messages) => resolve(messages ?? [])),
      );
      if (batch.length > 0) last = Date.now();
      for (const m of batch) {
        const headers: Record<string, string> = {};
        for (const h of m.headers ?? []) for (const [k, v] of Object.entries(h)) headers[k] = v.toString();
        seen.push({
          topic: m.topic,
          partition: m.partition,
          offset: m.offset,
          key: String(m.key),
          timestamp: m.timestamp ?? -1,
          headers,
          text: String(m.value),
        });
      }
    }
    return seen;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

/** Reads every message of `topics` as consumeText does, values parsed as events. */
export async function consumeAll(topics: string[], idleMs = 8000, client: ReadClient = {}): Promise<Consumed[]> {
  return (await consumeText(topics, idleMs, client)).map(({ text, ...rest }) => ({
    ...rest,
    value: JSON.parse(text) as RetailEvent,
  }));
}

/** Parses the summary line's delivery totals. */
export function totalsOf(stderr: string): { primary: number; produced: number; delivered: number; failed: number } {
  const match = /summary: (\d+) primary events.*produced (\d+), delivered (\d+), failed (\d+)/.exec(stderr);
  if (!match) throw new Error(`no summary in:\n${stderr.slice(-2000)}`);
  return {
    primary: Number(match[1]),
    produced: Number(match[2]),
    delivered: Number(match[3]),
    failed: Number(match[4]),
  };
}

/** Where the local broker (scripts/kafka-up.sh) keeps its pid and its log segments. */
export const LOCAL_KAFKA = {
  home: process.env.KAFKA_HOME ?? new URL("../../.kafka", import.meta.url).pathname,
  port: Number(process.env.KAFKA_PORT ?? 9092),
};

/**
 * Throws unless the tests point at the local broker the project's scripts run:
 * a test that restarts that broker or reads its files would otherwise pass
 * while touching nothing the run used.
 */
export function requireLocalBroker(): void {
  const local = [`127.0.0.1:${LOCAL_KAFKA.port}`, `localhost:${LOCAL_KAFKA.port}`];
  if (!local.includes(BROKERS)) {
    throw new Error(
      `these tests restart or read the local broker started by make kafka-up, but KAFKA_BOOTSTRAP_SERVERS is ${BROKERS}; unset it (or set KAFKA_PORT to match)`,
    );
  }
}

/** A librdkafka properties file as a map (the test's own reading: key=value lines, # comments). */
export function readProperties(file: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([^#=\s][^=]*)=(.*)$/.exec(line.trim());
    if (match) map[(match[1] as string).trim()] = (match[2] as string).trim();
  }
  return map;
}

/** Creates topics with an admin client of its own (3 partitions, the broker's replication). */
export async function createTopics(
  topics: string[],
  brokers: string,
  config: Record<string, string> = {},
): Promise<void> {
  const admin = Kafka.AdminClient.create({ "bootstrap.servers": brokers, ...config });
  try {
    for (const topic of topics) {
      await new Promise<void>((resolve, reject) =>
        admin.createTopic({ topic, num_partitions: 3, replication_factor: -1 }, 15_000, (error) =>
          error && error.code !== 36 ? reject(error) : resolve(),
        ),
      );
    }
  } finally {
    admin.disconnect();
  }
}

/** The event ids of what was consumed, after checking none came twice (`what` says how it would have: "delivered", "committed", "read"). */
export function idsOnce(consumed: readonly Consumed[], what: string): string[] {
  const at = new Map<string, string>();
  const twice: string[] = [];
  for (const m of consumed) {
    const where = `${m.topic}/${m.partition}@${m.offset}`;
    const first = at.get(m.value.event_id);
    if (first !== undefined) twice.push(`${m.value.event_id} at ${first} and ${where}`);
    else at.set(m.value.event_id, where);
  }
  expect(twice, `events ${what} twice`).to.deep.equal([]);
  return consumed.map((m) => m.value.event_id);
}

/**
 * The event ids of what was consumed, once each, allowing copies that the
 * idempotent producer itself can write when a partition's leader changes
 * (librdkafka bumps the producer epoch and sends in-flight records again,
 * confluentinc/librdkafka#4953): each copy must be the same record (partition,
 * key, value) as the first, and there may be at most `inFlight` of them (no
 * more were unacknowledged at once). Returns the ids and how many copies.
 */
export function idsAllowingResentCopies(
  consumed: readonly Consumed[],
  inFlight: number,
): { ids: string[]; copies: number } {
  const first = new Map<string, Consumed>();
  let copies = 0;
  for (const m of consumed) {
    const seen = first.get(m.value.event_id);
    if (seen === undefined) {
      first.set(m.value.event_id, m);
      continue;
    }
    copies += 1;
    expect(
      { partition: m.partition, key: m.key, value: m.value },
      `${m.value.event_id} at ${m.topic}/${m.partition}@${m.offset} is not a copy of the record at offset ${seen.offset}`,
    ).to.deep.equal({ partition: seen.partition, key: seen.key, value: seen.value });
  }
  expect(copies, "copies written again after a leader change").to.be.at.most(inFlight);
  return { ids: [...first.keys()], copies };
}

/** A record as the test writes it with its own producer. */
export interface Written {
  topic: string;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  value: string | Buffer;
}

/** Writes records in order with a producer of the test's own (not the tool's), waiting for every delivery report. */
export async function produceRecords(records: readonly Written[], brokers = BROKERS): Promise<void> {
  const producer = new Kafka.Producer({
    "bootstrap.servers": brokers,
    dr_cb: true,
    "enable.idempotence": true,
    "linger.ms": 5,
  });
  await new Promise<void>((resolve, reject) =>
    producer.connect({ timeout: 10_000 }, (error) => (error ? reject(error) : resolve())),
  );
  producer.setPollInterval(10);
  let delivered = 0;
  let failed: Kafka.LibrdKafkaError | undefined;
  producer.on("delivery-report", (error) => {
    if (error) failed = error;
    delivered += 1;
  });
  for (const r of records) {
    for (;;) {
      try {
        producer.produce(
          r.topic,
          null,
          typeof r.value === "string" ? Buffer.from(r.value) : r.value,
          r.key,
          r.timestamp,
          undefined,
          Object.entries(r.headers).map(([k, v]) => ({ [k]: v })),
        );
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }
  while (delivered < records.length && failed === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise<void>((resolve) => producer.disconnect(5000, () => resolve()));
  if (failed !== undefined) throw failed;
}

/** The settings a topic was given at creation, as Kafka's own TopicCommand describes them (jars of make kafka-up). */
export function describedTopicConfig(topic: string, brokers = BROKERS): Record<string, string> {
  const lib = new URL("../../.kafka/lib/*", import.meta.url).pathname;
  const out = execFileSync(
    "java",
    ["-cp", lib, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", brokers, "--describe", "--topic", topic],
    { encoding: "utf8" },
  );
  const configs = /Configs: (\S*)/.exec(out)?.[1] ?? "";
  return Object.fromEntries(
    configs
      .split(",")
      .filter((kv) => kv !== "")
      .map((kv) => kv.split("=") as [string, string]),
  );
}

/** Whether a process (the local broker, by its pid file) is still running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The records a version 2 run writes to its reference topics before its first event: the chain's stores and products. */
export function referenceRecords(dataDir?: string): number {
  const chain = readChain(dataDir);
  return chain.stores.length + chain.products.length;
}

/**
 * The key version 2 gives an event's record, from the design's rule (not the code under test): a checkout's
 * lines by their transaction, a visit by its customer, the rest by their store × product as JSON.
 */
export function keyV2Of(value: {
  event_type: string;
  transaction_id?: string;
  customer_id?: string;
  store_id?: string;
  product_id?: string;
  order_id?: string;
  return_id?: string;
}): string {
  // A checkout's lines and payment attempts by its transaction; an order's status changes by the order; a return by its id.
  if (value.event_type === "sale" || value.event_type === "payment") return value.transaction_id as string;
  if (value.event_type === "order_status") return value.order_id as string;
  if (value.event_type === "return") return value.return_id as string;
  if (value.event_type === "customer_event") return value.customer_id as string;
  return JSON.stringify({ store_id: value.store_id, product_id: value.product_id });
}
