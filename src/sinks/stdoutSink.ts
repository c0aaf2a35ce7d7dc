import { moneyText } from "../wire/jsonValue.js";
import type { Writable } from "node:stream";
import type { OutRecord } from "../wire/envelope.js";
import type { DeliveryTotals, Sink } from "./sink.js";

/** Lines are gathered into chunks of about this many characters before a write. */
const CHUNK = 64 * 1024;

/**
 * Writes one JSON envelope per line (`{"topic","key","timestamp","headers","value"}`,
 * or `"raw"` text in place of the value for a record made malformed on purpose)
 * to a stream, for dry runs and pipes into jq or kcat. Holds the driver while
 * the stream's buffer is full; a reader that goes away (`| head`) closes it.
 */
export function stdoutSink(out: Writable): Sink {
  const totals = { produced: 0, delivered: 0, failed: 0 };
  let held = false;
  let peak = 0;
  let gone: string | undefined;
  const waiting: Array<() => void> = [];
  const closedListeners: Array<(reason: string, failed: boolean) => void> = [];

  const release = (): void => {
    held = false;
    for (const resume of waiting.splice(0)) resume();
  };
  out.on("drain", release);
  out.on("error", (error: NodeJS.ErrnoException) => {
    if (gone !== undefined) return;
    gone = error.code === "EPIPE" ? "the reader closed standard output" : error.message;
    for (const listener of closedListeners) listener(gone, false);
    release();
  });
  let chunk = "";
  let lines = 0;
  const topics = new Map<string, DeliveryTotals>();
  let chunkTopics = new Map<string, number>();
  const topic = (name: string): DeliveryTotals => {
    let t = topics.get(name);
    if (t === undefined) topics.set(name, (t = { produced: 0, delivered: 0, failed: 0 }));
    return t;
  };
  let flushQueued = false;
  const flush = (): void => {
    flushQueued = false;
    if (lines === 0) return;
    const written = lines;
    const text = chunk;
    const perTopic = chunkTopics;
    chunk = "";
    lines = 0;
    chunkTopics = new Map();
    const settle = (outcome: "delivered" | "failed"): void => {
      totals[outcome] += written;
      for (const [name, n] of perTopic) topic(name)[outcome] += n;
    };
    if (gone !== undefined) {
      settle("failed");
      return;
    }
    const accepted = out.write(text, (error) => settle(error ? "failed" : "delivered"));
    if (!accepted) held = true;
  };

  return {
    get held() {
      return held;
    },
    whenReady(resume) {
      if (held) waiting.push(resume);
      else resume();
    },
    write(envelope: OutRecord) {
      totals.produced += 1;
      topic(envelope.topic).produced += 1;
      peak = Math.max(peak, totals.produced - totals.delivered - totals.failed);
      if (gone !== undefined) {
        totals.failed += 1;
        topic(envelope.topic).failed += 1;
        return;
      }
      chunkTopics.set(envelope.topic, (chunkTopics.get(envelope.topic) ?? 0) + 1);
      // A record whose wire value is not its event's JSON (a fault on purpose) shows that value, as `raw`, instead.
      chunk +=
        ("raw" in envelope && envelope.raw !== undefined
          ? JSON.stringify({ ...envelope, value: undefined })
          : moneyText(JSON.stringify(envelope), (envelope.value as { schema_version?: number }).schema_version)) + "\n";
      lines += 1;
      if (chunk.length >= CHUNK) flush();
      else if (!flushQueued) {
        // Lines written in one turn of the event loop leave together.
        flushQueued = true;
        setImmediate(flush);
      }
    },
    byTopic: () => topics,
    totals: () => ({ ...totals, inFlight: totals.produced - totals.delivered - totals.failed, peakInFlight: peak }),
    onClosed(listener) {
      closedListeners.push(listener);
      if (gone !== undefined) listener(gone, false);
    },
    close(timeoutMs) {
      return new Promise<DeliveryTotals>((resolve) => {
        const done = (): void => resolve({ ...totals });
        flush();
        if (gone !== undefined || totals.produced === totals.delivered + totals.failed) return done();
        const timer = setTimeout(done, timeoutMs);
        out.write("", () => {
          clearTimeout(timer);
          done();
        });
      });
    },
  };
}
