import type { Envelope } from "../model/envelope.js";
import { ERR_QUEUE_FULL, type KafkaError, type ProducerLike, type SinkLog } from "./producerLike.js";
import type { DeliveryTotals, Sink, SinkTotals } from "./sink.js";

export interface KafkaSinkOptions {
  /** In-flight messages (produced, no delivery report yet) at which the source pauses. */
  maxInFlight: number;
  log: SinkLog;
  /** How often to poll for delivery reports while waiting, ms. */
  pollMs?: number;
}

interface Pending {
  topic: string;
  key: string;
  timestamp: number;
  value: Buffer;
  headers: Array<Record<string, string>>;
}

const headerCache = new Map<string, Array<Record<string, string>>>();

/** Kafka headers, built once per type and version (they are read, never changed). */
function headersOf({ event_type, schema_version }: Envelope["headers"]): Array<Record<string, string>> {
  const id = `${event_type}/${schema_version}`;
  let headers = headerCache.get(id);
  if (headers === undefined) headerCache.set(id, (headers = [{ event_type }, { schema_version }]));
  return headers;
}

/** Individual failures logged before they are only counted. */
const LOGGED_FAILURES = 20;

/**
 * A sink over a node-rdkafka producer: counts every message as delivered or
 * failed from its delivery report, holds the driver above `maxInFlight`, and
 * parks messages refused with QUEUE_FULL until reports free room (no opaque is
 * passed, so a refused `produce()` leaks nothing).
 */
export class KafkaSink implements Sink {
  private readonly counts = { produced: 0, delivered: 0, failed: 0 };
  private readonly parked: Pending[] = [];
  private readonly waiting: Array<() => void> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly resumeBelow: number;
  private peakInFlight = 0;

  constructor(private readonly producer: ProducerLike, private readonly options: KafkaSinkOptions) {
    this.resumeBelow = Math.max(1, Math.floor(options.maxInFlight * 0.75));
    producer.on("delivery-report", (error, report) => {
      if (error) this.fail(report.topic, String(report.key ?? ""), error);
      else this.counts.delivered += 1;
      this.unpark();
    });
  }

  get held(): boolean {
    return this.parked.length > 0 || this.inFlight() >= this.options.maxInFlight;
  }

  whenReady(resume: () => void): void {
    if (!this.held && this.inFlight() < this.resumeBelow) return resume();
    this.waiting.push(resume);
    this.pollSoon();
  }

  write(envelope: Envelope): void {
    this.counts.produced += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight());
    const message: Pending = {
      topic: envelope.topic,
      key: envelope.key,
      timestamp: envelope.timestamp,
      value: Buffer.from(JSON.stringify(envelope.value)),
      headers: headersOf(envelope.headers),
    };
    if (this.parked.length > 0 || !this.tryProduce(message)) {
      this.parked.push(message);
      this.pollSoon();
    }
  }

  totals(): SinkTotals {
    return { ...this.counts, inFlight: this.inFlight(), peakInFlight: this.peakInFlight };
  }

  onClosed(): void {
    // A broker connection is retried by librdkafka; only the flush at exit gives up.
  }

  async close(timeoutMs: number): Promise<DeliveryTotals> {
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
    }
    await new Promise<void>((resolve) => this.producer.disconnect(1000, resolve));
    return { ...this.counts };
  }

  private inFlight(): number {
    return this.counts.produced - this.counts.delivered - this.counts.failed;
  }

  private tryProduce(m: Pending): boolean {
    try {
      this.producer.produce(m.topic, null, m.value, m.key, m.timestamp, undefined, m.headers);
      return true;
    } catch (error) {
      if ((error as KafkaError).code === ERR_QUEUE_FULL) return false;
      this.fail(m.topic, m.key, error as KafkaError);
      return true;
    }
  }

  private unpark(): void {
    while (this.parked.length > 0 && this.tryProduce(this.parked[0] as Pending)) this.parked.shift();
    if (this.waiting.length > 0 && !this.held && this.inFlight() < this.resumeBelow) {
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

  private fail(topic: string, key: string, error: KafkaError): void {
    this.counts.failed += 1;
    if (this.counts.failed <= LOGGED_FAILURES) this.options.log.warn(`not delivered: topic ${topic}, key ${key}: ${error.message}`);
    else if (this.counts.failed === LOGGED_FAILURES + 1) this.options.log.warn("more deliveries failed; counting them without logging each");
  }
}
