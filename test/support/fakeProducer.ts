import { ERR_QUEUE_FULL } from "../../src/sinks/kafka/kafkaErrors.js";
import type { KafkaError, ProducerLike } from "../../src/sinks/kafka/producerLike.js";
import type { Envelope } from "../../src/wire/envelope.js";

type Report = (error: KafkaError | null, report: { topic: string; key?: unknown; size?: number }) => void;

/** A producer whose queue holds `capacity` messages; `deliver(n)` reports the oldest n, `fail` makes them fail. */
export class FakeProducer implements ProducerLike {
  queue: Array<{ topic: string; key: string; value: string; opaque: unknown; headers: Array<Record<string, string>> }> =
    [];
  produced: string[] = [];
  private report: Report = () => undefined;
  disconnected = false;

  constructor(private readonly capacity: number) {}

  produce(
    topic: string,
    _p: null,
    value: Buffer,
    key: string | Buffer,
    _t: number,
    opaque: undefined,
    headers: Array<Record<string, string>>,
  ): unknown {
    if (this.queue.length >= this.capacity)
      throw Object.assign(new Error("Local: Queue full"), { code: ERR_QUEUE_FULL });
    this.queue.push({ topic, key: String(key), value: value.toString(), opaque, headers });
    this.produced.push(String(key));
    return true;
  }

  deliver(n: number, error: KafkaError | null = null): void {
    for (const m of this.queue.splice(0, n))
      this.report(error, { topic: m.topic, key: m.key, size: Buffer.byteLength(m.value) });
  }

  poll(): unknown {
    return undefined;
  }

  flush(_timeoutMs: number, done: () => void): unknown {
    this.deliver(this.queue.length);
    done();
    return undefined;
  }

  disconnect(_timeoutMs: number, done: () => void): unknown {
    this.disconnected = true;
    done();
    return undefined;
  }

  on(_event: "delivery-report", listener: Report): unknown {
    this.report = listener;
    return this;
  }
}

/** A record keyed `key` on topic `t`, for the sinks' tests. */
export const envelope = (key: string): Envelope => ({
  topic: "t",
  key,
  timestamp: 0,
  headers: { event_type: "sale", schema_version: "1" },
  value: {
    event_id: key,
    event_type: "customer_event",
    event_time: "1970-01-01T00:00:00.000Z",
    schema_version: 1,
    customer_id: "C000001",
    store_id: key,
    action: "enter",
  },
});

/** A sink log that says nothing. */
export const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
