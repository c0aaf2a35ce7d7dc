import type { OutRecord } from "../../wire/envelope.js";
import { jsonValue } from "../../wire/jsonValue.js";
import { ERRORS, isFatal, isQueueFull, isRefusedRecord, kafkaProblem } from "./kafkaErrors.js";
import type { KafkaError, ProducerLike, SinkLog } from "./producerLike.js";
import { DeliveryLedger } from "./deliveryLedger.js";
import { SINK_DEFAULTS } from "./defaults.js";
import { ErrorReports, EveryReport, type DeliveryCounting } from "./deliveryCounting.js";
import { StallWatch } from "./stallWatch.js";

export { heldByLibrdkafka } from "./deliveryCounting.js";
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
  /**
   * The watch over a producer that never ends a stall by itself: records in flight with no delivery and no
   * broker connection for longer than `timeoutMs` fail, and the run is told to stop. Checked every `checkMs`
   * (default 1000) on the wall clock `now` (default `performance.now`).
   */
  stall?: { timeoutMs: number; checkMs?: number; now?: () => number };
}

interface Pending {
  topic: string;
  key: string;
  timestamp: number;
  value: Buffer;
  headers: Array<Record<string, string>>;
}

const headerCache = new Map<string, Map<string, Array<Record<string, string>>>>();

/** Kafka headers, built once per type and version (they are read, never changed). */
function headersOf({
  event_type,
  schema_version,
  fault,
  fault_detail,
  event_time,
  produced_at,
}: OutRecord["headers"]): Array<Record<string, string>> {
  // A faulted record, or one stamped with the wall clock (its event time, or when it was produced, in a header), has headers of its own.
  if (fault !== undefined || event_time !== undefined || produced_at !== undefined) {
    return [
      { event_type },
      { schema_version },
      ...(fault === undefined ? [] : [{ fault }]),
      ...(fault_detail === undefined ? [] : [{ fault_detail }]),
      ...(event_time === undefined ? [] : [{ event_time }]),
      ...(produced_at === undefined ? [] : [{ produced_at }]),
    ];
  }
  // By type, then version: no key string to build per record.
  let byVersion = headerCache.get(event_type);
  if (byVersion === undefined) headerCache.set(event_type, (byVersion = new Map()));
  let headers = byVersion.get(schema_version);
  if (headers === undefined) byVersion.set(schema_version, (headers = [{ event_type }, { schema_version }]));
  return headers;
}

const keyCache = new Map<string, Buffer>();

/** Keys whose bytes are kept: version 1's store and product ids, with room to spare. */
const KEY_CACHE_SIZE = 1024;

/**
 * A key's bytes, made once per key: node-rdkafka copies a Buffer key as it is, where a string is converted
 * to UTF-8 in a fresh allocation on every call. Only the first KEY_CACHE_SIZE keys are kept: version 2 keys
 * checkouts and visits by ids that rarely recur, and keeping them all would hold memory for nothing.
 */
function keyBytes(key: string): Buffer | string {
  let bytes = keyCache.get(key);
  if (bytes === undefined) {
    if (keyCache.size >= KEY_CACHE_SIZE) return key;
    keyCache.set(key, (bytes = Buffer.from(key)));
  }
  return bytes;
}

/** How long records in flight may go undelivered before the stats line says so, ms. */
const STUCK_MS = 5_000;

/** The longest wait for the producer to disconnect at close, ms. */
const DISCONNECT_MS = 5_000;

/** Kinds of failure (topic and reason) said before further kinds are only counted. */
const LOGGED_FAILURES = 20;

/**
 * A sink over a node-rdkafka producer: counts every message as delivered or
 * failed in one ledger, by one of two ways of hearing of deliveries (a report
 * per record, or reports of failures with librdkafka's statistics), holds the
 * driver when that way says so, and parks messages refused with QUEUE_FULL
 * until room frees (no opaque is passed, so a refused `produce()` leaks nothing).
 */
export class KafkaSink implements Sink {
  private readonly ledger = new DeliveryLedger();
  private readonly counting: DeliveryCounting;
  private readonly parked: Pending[] = [];
  private readonly waiting: Array<() => void> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly failures = new Map<string, number>();
  private readonly fatalPending = new Map<string, string[]>();
  private readonly closedListeners: Array<(reason: string, failed: boolean) => void> = [];
  private fatalReason: string | undefined;
  private reportsServed = 0;
  private readonly watch: StallWatch | undefined;
  private readonly watchTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    private readonly producer: ProducerLike,
    private readonly options: KafkaSinkOptions,
  ) {
    this.counting =
      options.reports === "errors"
        ? new ErrorReports(this.ledger, options.maxInFlight)
        : new EveryReport(
            this.ledger,
            options.maxInFlight,
            options.maxInFlightBytes ?? SINK_DEFAULTS.maxInFlightMb * 1024 * 1024,
          );
    producer.on("delivery-report", (error, report) => {
      this.reportsServed += 1;
      // Control records (transaction checkpoints) are not the run's records: not counted.
      if (report.topic !== options.uncountedTopic) {
        if (error) this.fail(report.topic, String(report.key ?? ""), error);
        else this.ledger.delivered(report.topic);
      }
      this.counting.reported(report.size ?? 0, this.parked.length);
      this.unpark();
    });
    this.now = options.stall?.now ?? (() => performance.now());
    if (options.stall !== undefined) {
      this.watch = new StallWatch(options.stall.timeoutMs, this.now());
      // A timer of its own: a stalled producer serves no report and no statistics to hang a check on.
      this.watchTimer = setInterval(() => this.checkStall(), options.stall.checkMs ?? 1000);
      this.watchTimer.unref();
    }
  }

  /** No broker connection, or nothing delivered, for a while: as the stats line and readiness say it. */
  trouble(): string | undefined {
    const watch = this.watch;
    if (watch === undefined) return undefined;
    const now = this.now();
    const inFlight = this.ledger.inFlight();
    watch.progress(this.ledger.total.delivered + this.ledger.total.failed, inFlight, now);
    const seconds = (ms: number): number => Math.round(ms / 1000);
    if (watch.noConnectionMs(now) > 0) return `no broker connection for ${seconds(watch.noConnectionMs(now))} s`;
    return watch.stuckMs(now) > STUCK_MS
      ? `nothing delivered for ${seconds(watch.stuckMs(now))} s (${inFlight} records in flight)`
      : undefined;
  }

  /** Records in flight with nothing settling past the timeout: they fail, said in one line, and the run stops. */
  private checkStall(): void {
    const watch = this.watch;
    if (watch === undefined || this.fatalReason !== undefined) return;
    const now = this.now();
    const inFlight = this.ledger.inFlight();
    watch.progress(this.ledger.total.delivered + this.ledger.total.failed, inFlight, now);
    if (!watch.expired(inFlight, now)) return;
    const connection = watch.noConnectionMs(now);
    this.parked.splice(0);
    const failed = this.ledger.failInFlight();
    this.fatal(
      `nothing delivered for ${Math.round(watch.stuckMs(now) / 1000)} s, past librdkafka's message timeout${connection > 0 ? `, and no broker connection for ${Math.round(connection / 1000)} s` : ""}: the ${failed} records in flight failed`,
    );
  }

  /** The producer (a transactional run drives its transactions). */
  get client(): ProducerLike {
    return this.producer;
  }

  get held(): boolean {
    return this.counting.held(this.parked.length);
  }

  /** librdkafka's statistics (their JSON): with reports only of errors, what it no longer holds and did not report failed is delivered. */
  observeStats(json: string): void {
    this.counting.observeStats(json, this.parked.length);
    // Any broker connected (the bootstrap connection too): the client is talking to the cluster.
    this.watch?.brokers(/"state":\s*"UP"/.test(json), this.now());
  }

  /** Everything produced so far has been delivered or reported failed (a flush or a commit completed): the counts are exact. */
  settle(): void {
    this.counting.settle();
  }

  whenReady(resume: () => void): void {
    if (!this.held && this.counting.roomy(this.parked.length)) return resume();
    this.waiting.push(resume);
    this.pollSoon();
  }

  write(envelope: OutRecord): void {
    this.ledger.produced(envelope.topic);
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
    this.counting.wrote(this.parked.length);
  }

  totals(): SinkTotals {
    return { ...this.ledger.total, inFlight: this.ledger.inFlight(), peakInFlight: this.counting.peak() };
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
    const inFlight = this.ledger.inFlight();
    if (inFlight > 0)
      this.options.log.info(
        `flushing: ${inFlight} records in flight, waiting up to ${timeoutMs / 1000} s for their delivery`,
      );
    await this.counting.close(
      {
        unpark: () => this.unpark(),
        parked: () => this.parked.length,
        dropParked: () => {
          const byTopic = new Map<string, number>();
          for (const m of this.parked.splice(0)) byTopic.set(m.topic, (byTopic.get(m.topic) ?? 0) + 1);
          return byTopic;
        },
        flush: (ms) => new Promise<boolean>((resolve) => this.producer.flush(ms, (error) => resolve(!error))),
        poll: () => this.producer.poll(),
        reports: () => this.reportsServed,
        wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        warn: (message) => this.options.log.warn(message),
      },
      timeoutMs,
    );
    clearTimeout(this.retryTimer);
    clearInterval(this.watchTimer);
    this.sayPendingFatal();
    for (const [kind, count] of this.failures)
      if (count > 1) this.options.log.warn(`${count} records not delivered to topic ${kind}`);
    // A client stuck for good may never call back: the run ends regardless.
    await new Promise<void>((resolve) => {
      const gaveUp = setTimeout(resolve, DISCONNECT_MS);
      this.producer.disconnect(1000, () => {
        clearTimeout(gaveUp);
        resolve();
      });
    });
    return { ...this.ledger.total };
  }

  byTopic(): ReadonlyMap<string, DeliveryTotals> {
    return this.ledger.byTopic();
  }

  private tryProduce(m: Pending): boolean {
    try {
      this.producer.produce(m.topic, null, m.value, keyBytes(m.key), m.timestamp, undefined, m.headers);
      // Counted once librdkafka holds it; its delivery report gives the size back.
      this.counting.taken(m.value.length);
      return true;
    } catch (error) {
      if (isQueueFull(error as KafkaError)) return false;
      this.fail(m.topic, m.key, error as KafkaError);
      return true;
    }
  }

  private unpark(): void {
    const before = this.parked.length;
    while (this.parked.length > 0 && this.tryProduce(this.parked[0] as Pending)) this.parked.shift();
    // Fewer parked: with reports of errors only, more of what was produced can no longer be held.
    if (this.parked.length < before) this.counting.wrote(this.parked.length);
    if (this.waiting.length > 0 && !this.held && this.counting.roomy(this.parked.length)) {
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

  /** Counts the fatal failures held back until their reason was known. */
  private sayPendingFatal(): void {
    for (const [topic, keys] of this.fatalPending)
      for (const key of keys) this.count(topic, key, { code: ERRORS.ERR__FATAL, message: "Local: Fatal error" });
    this.fatalPending.clear();
  }

  /** Counts a failure; the first of each kind (topic and reason) is said once, the rest counted and summed up at close. */
  private fail(topic: string, key: string, error: KafkaError): void {
    this.ledger.failed(topic);
    // The broker will refuse every later record like it (each stamped later still, or as invalid): the run stops at once rather than fail them all.
    if (isRefusedRecord(error))
      this.fatal(
        `topic ${topic}: ${kafkaProblem(error, this.options.brokers ?? "the brokers", "write") ?? error.message}`,
      );
    if (isFatal(error) && this.fatalReason === undefined) {
      // The reason comes with librdkafka's log line, which can arrive after the first reports.
      let keys = this.fatalPending.get(topic);
      if (keys === undefined) this.fatalPending.set(topic, (keys = []));
      keys.push(key);
      return;
    }
    this.count(topic, key, error);
  }

  private count(topic: string, key: string, error: KafkaError): void {
    const reason =
      isFatal(error) && this.fatalReason !== undefined
        ? this.fatalReason
        : (kafkaProblem(error, this.options.brokers ?? "the brokers", "write") ?? error.message);
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
