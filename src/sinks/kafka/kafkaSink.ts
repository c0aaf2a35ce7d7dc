import type { OutRecord } from "../../wire/envelope.js";
import { jsonValue } from "../../wire/jsonValue.js";
import { ERRORS, isFatal, isQueueFull, kafkaProblem } from "./kafkaErrors.js";
import { type KafkaError, type ProducerLike, type SinkLog } from "./producerLike.js";
import type { DeliveryTotals, Sink, SinkTotals } from "../sink.js";

export interface KafkaSinkOptions {
  /** In-flight messages (produced, no delivery report yet) at which the source pauses. */
  maxInFlight: number;
  /** In-flight value bytes at which the source pauses too (default 8 MiB): many large records hold memory that a count alone does not bound. */
  maxInFlightBytes?: number;
  log: SinkLog;
  /** How often to poll for delivery reports while waiting, ms. */
  pollMs?: number;
  /** The bootstrap servers, to name them in failures. */
  brokers?: string;
  /** A topic whose delivery reports are not counted (the checkpoints a transactional run writes). */
  uncountedTopic?: string;
  /** Writes a record's value (default: the event as JSON). */
  encode?: (record: OutRecord) => Buffer;
  /**
   * `all` (default): librdkafka reports every record, and the counts are exact
   * at every moment. `errors`: the producer was made with
   * `delivery.report.only.error` and `maxInFlight` as its
   * `queue.buffering.max.messages`, so only failures are reported; librdkafka's
   * own queue limits hold the source (QUEUE_FULL), what it still holds comes
   * from its statistics (`observeStats`), and the counts are exact again
   * whenever a flush or a commit completes, and so at close.
   */
  reports?: "all" | "errors";
}

/** What librdkafka still holds (queued, being sent, awaiting the broker's acknowledgement), in all and per topic, from its statistics. */
export function heldByLibrdkafka(json: string): { total: number; byTopic: Map<string, number> } | undefined {
  let stats: { msg_cnt?: number; topics?: Record<string, { partitions?: Record<string, { msgq_cnt?: number; xmit_msgq_cnt?: number; msgs_inflight?: number }> }> };
  try {
    stats = JSON.parse(json) as typeof stats;
  } catch {
    return undefined;
  }
  if (typeof stats.msg_cnt !== "number") return undefined;
  const byTopic = new Map<string, number>();
  for (const [topic, { partitions = {} }] of Object.entries(stats.topics ?? {})) {
    byTopic.set(topic, Object.values(partitions).reduce((sum, p) => sum + (p.msgq_cnt ?? 0) + (p.xmit_msgq_cnt ?? 0) + (p.msgs_inflight ?? 0), 0));
  }
  return { total: stats.msg_cnt, byTopic };
}

interface Pending {
  topic: string;
  key: string;
  timestamp: number;
  value: Buffer;
  headers: Array<Record<string, string>>;
}

/** A record's value as plain JSON: the default, and what `--format json` writes. */

const headerCache = new Map<string, Array<Record<string, string>>>();

/** Kafka headers, built once per type and version (they are read, never changed). */
function headersOf({ event_type, schema_version, fault, fault_detail }: OutRecord["headers"]): Array<Record<string, string>> {
  // A faulted record says so: its headers are its own.
  if (fault !== undefined) return [{ event_type }, { schema_version }, { fault }, ...(fault_detail === undefined ? [] : [{ fault_detail }])];
  const id = `${event_type}/${schema_version}`;
  let headers = headerCache.get(id);
  if (headers === undefined) headerCache.set(id, (headers = [{ event_type }, { schema_version }]));
  return headers;
}

/** Kinds of failure (topic and reason) said before further kinds are only counted. */
const LOGGED_FAILURES = 20;

/**
 * A sink over a node-rdkafka producer: counts every message as delivered or
 * failed from its delivery report, holds the driver above `maxInFlight`, and
 * parks messages refused with QUEUE_FULL until reports free room (no opaque is
 * passed, so a refused `produce()` leaks nothing).
 */
export class KafkaSink implements Sink {
  private readonly counts = { produced: 0, delivered: 0, failed: 0 };
  private readonly topics = new Map<string, DeliveryTotals>();
  private readonly parked: Pending[] = [];
  private readonly waiting: Array<() => void> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly resumeBelow: number;
  private peakInFlight = 0;
  private bytesInFlight = 0;
  private readonly maxBytes: number;
  private readonly failures = new Map<string, number>();
  private readonly fatalPending = new Map<string, string[]>();
  private readonly closedListeners: Array<(reason: string, failed: boolean) => void> = [];
  private fatalReason: string | undefined;
  private readonly errorsOnly: boolean;
  /** librdkafka's latest statistics of what it holds (`errors` reports only). */
  private librdkafkaHolds: ReturnType<typeof heldByLibrdkafka>;

  constructor(private readonly producer: ProducerLike, private readonly options: KafkaSinkOptions) {
    this.resumeBelow = Math.max(1, Math.floor(options.maxInFlight * 0.75));
    this.maxBytes = options.maxInFlightBytes ?? 8 * 1024 * 1024;
    this.errorsOnly = options.reports === "errors";
    producer.on("delivery-report", (error, report) => {
      if (!this.errorsOnly) this.bytesInFlight -= report.size ?? 0;
      // Control records (transaction checkpoints) are not the run's records: not counted.
      if (report.topic !== options.uncountedTopic) {
        if (error) this.fail(report.topic, String(report.key ?? ""), error);
        else {
          this.counts.delivered += 1;
          this.topic(report.topic).delivered += 1;
        }
      }
      this.unpark();
    });
  }

  /** The producer (a transactional run drives its transactions). */
  get client(): ProducerLike {
    return this.producer;
  }

  get held(): boolean {
    // Reports only of errors: librdkafka's queue limits are the marks, and QUEUE_FULL parks.
    if (this.errorsOnly) return this.parked.length > 0;
    return this.parked.length > 0 || this.inFlight() >= this.options.maxInFlight || this.bytesInFlight >= this.maxBytes;
  }

  /** Below both low-water marks: room again. */
  private roomy(): boolean {
    if (this.errorsOnly) return this.parked.length === 0;
    return this.inFlight() < this.resumeBelow && this.bytesInFlight < this.maxBytes * 0.75;
  }

  /**
   * librdkafka's statistics (their JSON), with reports only of errors: what it
   * no longer holds and did not report failed is delivered. The counts only
   * grow, and a record produced after the statistics were taken may count
   * delivered a moment early; a completed flush or commit (`settle`) makes them exact.
   */
  observeStats(json: string): void {
    if (!this.errorsOnly) return;
    const holds = heldByLibrdkafka(json);
    if (holds === undefined) return;
    this.librdkafkaHolds = holds;
    this.peakInFlight = Math.max(this.peakInFlight, holds.total + this.parked.length);
    this.counts.delivered = Math.max(this.counts.delivered, this.counts.produced - this.counts.failed - holds.total);
    for (const [topic, totals] of this.topics) totals.delivered = Math.max(totals.delivered, totals.produced - totals.failed - (holds.byTopic.get(topic) ?? 0));
  }

  /** Everything produced so far has been delivered or reported failed (a flush or a commit completed): the counts are exact. */
  settle(): void {
    if (!this.errorsOnly) return;
    this.counts.delivered = this.counts.produced - this.counts.failed;
    for (const totals of this.topics.values()) totals.delivered = totals.produced - totals.failed;
  }

  whenReady(resume: () => void): void {
    if (!this.held && this.roomy()) return resume();
    this.waiting.push(resume);
    this.pollSoon();
  }

  write(envelope: OutRecord): void {
    this.counts.produced += 1;
    this.topic(envelope.topic).produced += 1;
    // Reports only of errors: the peak is what librdkafka's statistics saw it hold.
    if (!this.errorsOnly) this.peakInFlight = Math.max(this.peakInFlight, this.inFlight());
    const message: Pending = {
      topic: envelope.topic,
      key: envelope.key,
      timestamp: envelope.timestamp,
      value: (this.options.encode ?? jsonValue)(envelope),
      headers: headersOf(envelope.headers),
    };
    if (this.parked.length > 0 || !this.tryProduce(message)) {
      this.parked.push(message);
      this.pollSoon();
    }
  }

  totals(): SinkTotals {
    if (this.errorsOnly) {
      // librdkafka never holds more than its queue: beyond that and what waits parked, a record was delivered
      // (a failed one stays counted by librdkafka until its report is served). Statistics can come late.
      this.counts.delivered = Math.max(this.counts.delivered, this.counts.produced - this.counts.failed - this.parked.length - this.options.maxInFlight);
    }
    return { ...this.counts, inFlight: this.inFlight(), peakInFlight: this.peakInFlight };
  }

  /** A broker that goes away is waited for (librdkafka retries); only a fatal error closes the sink early. */
  onClosed(listener: (reason: string, failed: boolean) => void): void {
    this.closedListeners.push(listener);
    if (this.fatalReason !== undefined) listener(this.fatalReason, true);
  }

  /**
   * The producer cannot go on (librdkafka's fatal error, e.g. no permission to
   * write): what is in flight and whatever comes fails with this reason, said
   * once per topic, and the run is told to stop.
   */
  fatal(reason: string): void {
    if (this.fatalReason !== undefined) return;
    this.fatalReason = kafkaProblem({ message: reason }, this.options.brokers ?? "the brokers", "write") ?? reason;
    this.sayPendingFatal();
    this.options.log.debug(`the producer cannot go on: ${this.fatalReason}`);
    for (const listener of this.closedListeners) listener(this.fatalReason, true);
  }

  async close(timeoutMs: number): Promise<DeliveryTotals> {
    if (this.errorsOnly) return this.closeReportingErrors(timeoutMs);
    const deadline = performance.now() + timeoutMs;
    // Flush in short rounds: each frees room for parked messages, whose reports the next round collects.
    while (this.inFlight() > 0 && performance.now() < deadline) {
      this.unpark();
      await new Promise<void>((resolve) => this.producer.flush(Math.max(0, Math.min(250, deadline - performance.now())), () => resolve()));
      this.producer.poll();
      if (this.inFlight() > 0) await new Promise((r) => setTimeout(r, 5));
    }
    clearTimeout(this.retryTimer);
    const undelivered = this.inFlight();
    if (undelivered > 0) {
      this.options.log.warn(`${undelivered} messages had no delivery report within the flush timeout (${timeoutMs / 1000} s): counted as failed`);
      this.counts.failed += undelivered;
      for (const t of this.topics.values()) t.failed = t.produced - t.delivered;
    }
    return this.finish();
  }

  byTopic(): ReadonlyMap<string, DeliveryTotals> {
    return this.topics;
  }

  /**
   * Close with reports only of errors: flush until librdkafka holds nothing,
   * then serve the last error reports; what it still holds at the deadline
   * (by its latest statistics) is counted failed.
   */
  private async closeReportingErrors(timeoutMs: number): Promise<DeliveryTotals> {
    const deadline = performance.now() + timeoutMs;
    let flushed = false;
    while (!flushed && performance.now() < deadline) {
      this.unpark();
      const round = this.parked.length === 0 ? Math.max(0, deadline - performance.now()) : Math.max(0, Math.min(250, deadline - performance.now()));
      flushed = await new Promise<boolean>((resolve) => this.producer.flush(round, (error) => resolve(!error))) && this.parked.length === 0;
      if (!flushed) await new Promise((r) => setTimeout(r, 5));
    }
    // The error reports librdkafka has queued reach JavaScript on the next turns of the loop.
    for (let turn = 0; turn < 3; turn += 1) {
      this.producer.poll();
      await new Promise((r) => setTimeout(r, 20));
    }
    clearTimeout(this.retryTimer);
    if (!flushed) {
      const holds = this.librdkafkaHolds;
      const undelivered = this.parked.length + (holds?.total ?? this.counts.produced - this.counts.failed - this.counts.delivered - this.parked.length);
      this.options.log.warn(`${undelivered} messages were still held by librdkafka after the flush timeout (${timeoutMs / 1000} s): counted as failed`);
      for (const m of this.parked.splice(0)) this.topic(m.topic).failed += 1;
      for (const [topic, totals] of this.topics) totals.failed = Math.min(totals.produced, totals.failed + (holds?.byTopic.get(topic) ?? 0));
      this.counts.failed = Math.min(this.counts.produced, this.counts.failed + undelivered);
    }
    this.settle();
    return this.finish();
  }

  private topic(name: string): DeliveryTotals {
    let totals = this.topics.get(name);
    if (totals === undefined) this.topics.set(name, (totals = { produced: 0, delivered: 0, failed: 0 }));
    return totals;
  }

  private inFlight(): number {
    return this.counts.produced - this.counts.delivered - this.counts.failed;
  }

  private tryProduce(m: Pending): boolean {
    try {
      this.producer.produce(m.topic, null, m.value, m.key, m.timestamp, undefined, m.headers);
      // Counted once librdkafka holds it; its delivery report gives the size back.
      if (!this.errorsOnly) this.bytesInFlight += m.value.length;
      return true;
    } catch (error) {
      if (isQueueFull(error as KafkaError)) return false;
      this.fail(m.topic, m.key, error as KafkaError);
      return true;
    }
  }

  private unpark(): void {
    while (this.parked.length > 0 && this.tryProduce(this.parked[0] as Pending)) this.parked.shift();
    if (this.waiting.length > 0 && !this.held && this.roomy()) {
      for (const resume of this.waiting.splice(0)) resume();
    }
  }

  private pollSoon(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.producer.poll();
      this.unpark();
      if (this.parked.length > 0 || this.waiting.length > 0) this.pollSoon();
    }, this.options.pollMs ?? 5);
  }

  /** The end of either close: the failures said, the producer let go, the totals. */
  private async finish(): Promise<DeliveryTotals> {
    this.sayPendingFatal();
    for (const [kind, count] of this.failures) if (count > 1) this.options.log.warn(`${count} records not delivered to topic ${kind}`);
    await new Promise<void>((resolve) => this.producer.disconnect(1000, resolve));
    return { ...this.counts };
  }

  /** Counts the fatal failures held back until their reason was known. */
  private sayPendingFatal(): void {
    for (const [topic, keys] of this.fatalPending) for (const key of keys) this.count(topic, key, { code: ERRORS.ERR__FATAL, message: "Local: Fatal error" });
    this.fatalPending.clear();
  }

  /** Counts a failure; the first of each kind (topic and reason) is said once, the rest counted and summed up at close. */
  private fail(topic: string, key: string, error: KafkaError): void {
    this.counts.failed += 1;
    this.topic(topic).failed += 1;
    if (isFatal(error) && this.fatalReason === undefined) {
      // The reason comes with librdkafka's log line, which can arrive after the first reports.
      this.fatalPending.set(topic, [...(this.fatalPending.get(topic) ?? []), key]);
      return;
    }
    this.count(topic, key, error);
  }

  private count(topic: string, key: string, error: KafkaError): void {
    const reason = isFatal(error) && this.fatalReason !== undefined ? this.fatalReason : kafkaProblem(error, this.options.brokers ?? "the brokers", "write") ?? error.message;
    const kind = `${topic}: ${reason}`;
    const seen = this.failures.get(kind);
    if (seen !== undefined) {
      this.failures.set(kind, seen + 1);
      return;
    }
    if (this.failures.size >= LOGGED_FAILURES) return;
    this.failures.set(kind, 1);
    this.options.log.warn(`not delivered to topic ${kind} (first: key ${key}); more like it are counted, not listed`);
  }
}
