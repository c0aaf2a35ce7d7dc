import type { Writable } from "node:stream";
import type { Envelope } from "../model/envelope.js";
import type { DeliveryTotals, Sink } from "./sink.js";

/**
 * Writes one JSON envelope per line (`{"topic","key","timestamp","headers","value"}`)
 * to a stream, for dry runs and pipes into jq or kcat. Holds the driver while
 * the stream's buffer is full; a reader that goes away (`| head`) closes it.
 */
export function stdoutSink(out: Writable): Sink {
  const totals = { produced: 0, delivered: 0, failed: 0 };
  let held = false;
  let gone: string | undefined;
  const waiting: Array<() => void> = [];
  const closedListeners: Array<(reason: string) => void> = [];

  const release = (): void => {
    held = false;
    for (const resume of waiting.splice(0)) resume();
  };
  out.on("drain", release);
  out.on("error", (error: NodeJS.ErrnoException) => {
    if (gone !== undefined) return;
    gone = error.code === "EPIPE" ? "the reader closed standard output" : error.message;
    for (const listener of closedListeners) listener(gone);
    release();
  });
  const settle = (error: Error | null | undefined): void => {
    if (error) totals.failed += 1;
    else totals.delivered += 1;
  };

  return {
    get held() {
      return held;
    },
    whenReady(resume) {
      if (held) waiting.push(resume);
      else resume();
    },
    write(envelope: Envelope) {
      totals.produced += 1;
      if (gone !== undefined) {
        totals.failed += 1;
        return;
      }
      if (!out.write(JSON.stringify(envelope) + "\n", settle)) held = true;
    },
    totals: () => ({ ...totals, inFlight: totals.produced - totals.delivered - totals.failed }),
    onClosed(listener) {
      closedListeners.push(listener);
      if (gone !== undefined) listener(gone);
    },
    close(timeoutMs) {
      return new Promise<DeliveryTotals>((resolve) => {
        const done = (): void => resolve({ ...totals });
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
