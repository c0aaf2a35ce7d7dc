import { envelopeText } from "../wire/jsonValue.js";
import type { Writable } from "node:stream";
import type { OutRecord } from "../wire/envelope.js";
import type { DeliveryTotals, Sink, SinkTotals } from "./sink.js";

/** Lines are gathered into chunks of about this many characters before a write. */
const CHUNK = 64 * 1024;

/**
 * Writes one JSON envelope per line (`{"topic","key","timestamp","headers","value"}`,
 * or `"raw"` text in place of the value for a record made malformed on purpose)
 * to a stream, for dry runs and pipes into jq or kcat. Holds the driver while
 * the stream's buffer is full; a reader that goes away (`| head`) closes it.
 */
export function stdoutSink(out: Writable): Sink {
  return new StdoutSink(out);
}

class StdoutSink implements Sink {
  private readonly counts = { produced: 0, delivered: 0, failed: 0 };
  private isHeld = false;
  private peak = 0;
  private gone: string | undefined;
  private readonly waiting: Array<() => void> = [];
  private readonly closedListeners: Array<(reason: string, failed: boolean) => void> = [];
  private chunk = "";
  private lines = 0;
  private readonly topics = new Map<string, DeliveryTotals>();
  private chunkTopics = new Map<string, number>();
  private flushQueued = false;

  constructor(private readonly out: Writable) {
    out.on("drain", () => this.release());
    out.on("error", (error: NodeJS.ErrnoException) => {
      if (this.gone !== undefined) return;
      this.gone = error.code === "EPIPE" ? "the reader closed standard output" : error.message;
      for (const listener of this.closedListeners) listener(this.gone, false);
      this.release();
    });
  }

  get held(): boolean {
    return this.isHeld;
  }

  whenReady(resume: () => void): void {
    if (this.isHeld) this.waiting.push(resume);
    else resume();
  }

  write(envelope: OutRecord): void {
    const { counts } = this;
    counts.produced += 1;
    this.topic(envelope.topic).produced += 1;
    this.peak = Math.max(this.peak, counts.produced - counts.delivered - counts.failed);
    if (this.gone !== undefined) {
      counts.failed += 1;
      this.topic(envelope.topic).failed += 1;
      return;
    }
    this.chunkTopics.set(envelope.topic, (this.chunkTopics.get(envelope.topic) ?? 0) + 1);
    // A record whose wire value is not its event's JSON (a fault on purpose) shows that value, as `raw`, instead.
    this.chunk +=
      ("raw" in envelope && envelope.raw !== undefined
        ? JSON.stringify({ ...envelope, value: undefined })
        : envelopeText(envelope)) + "\n";
    this.lines += 1;
    if (this.chunk.length >= CHUNK) this.flush();
    else if (!this.flushQueued) {
      // Lines written in one turn of the event loop leave together.
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  byTopic(): ReadonlyMap<string, DeliveryTotals> {
    return this.topics;
  }

  totals(): SinkTotals {
    const { counts } = this;
    return { ...counts, inFlight: counts.produced - counts.delivered - counts.failed, peakInFlight: this.peak };
  }

  onClosed(listener: (reason: string, failed: boolean) => void): void {
    this.closedListeners.push(listener);
    if (this.gone !== undefined) listener(this.gone, false);
  }

  close(timeoutMs: number): Promise<DeliveryTotals> {
    return new Promise<DeliveryTotals>((resolve) => {
      const done = (): void => resolve({ ...this.counts });
      this.flush();
      if (this.gone !== undefined || this.counts.produced === this.counts.delivered + this.counts.failed) return done();
      const timer = setTimeout(done, timeoutMs);
      this.out.write("", () => {
        clearTimeout(timer);
        done();
      });
    });
  }

  private release(): void {
    this.isHeld = false;
    for (const resume of this.waiting.splice(0)) resume();
  }

  private topic(name: string): DeliveryTotals {
    let t = this.topics.get(name);
    if (t === undefined) this.topics.set(name, (t = { produced: 0, delivered: 0, failed: 0 }));
    return t;
  }

  /** The gathered lines, written in one piece; each counts delivered or failed once the stream says. */
  private flush(): void {
    this.flushQueued = false;
    if (this.lines === 0) return;
    const written = this.lines;
    const text = this.chunk;
    const perTopic = this.chunkTopics;
    this.chunk = "";
    this.lines = 0;
    this.chunkTopics = new Map();
    const settle = (outcome: "delivered" | "failed"): void => {
      this.counts[outcome] += written;
      for (const [name, n] of perTopic) this.topic(name)[outcome] += n;
    };
    if (this.gone !== undefined) {
      settle("failed");
      return;
    }
    const accepted = this.out.write(text, (error) => settle(error ? "failed" : "delivered"));
    if (!accepted) this.isHeld = true;
  }
}
