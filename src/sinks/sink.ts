import type { Backpressure } from "../clock/driver.js";
import type { OutRecord } from "../wire/envelope.js";

/** Every message a sink was given ends as delivered or failed. */
export interface DeliveryTotals {
  produced: number;
  delivered: number;
  failed: number;
}

/** Running totals: `inFlight` awaits delivery; `peakInFlight` is its highest mark so far. */
export interface SinkTotals extends DeliveryTotals {
  inFlight: number;
  peakInFlight: number;
}

/** Where envelopes go. The driver holds while `held` is true. */
export interface Sink extends Backpressure {
  write(record: OutRecord): void;
  /** Records produced, delivered and failed per topic, for metrics (a sink that can tell). */
  byTopic?(): ReadonlyMap<string, DeliveryTotals>;
  totals(): SinkTotals;
  /** Waits (at most `timeoutMs`) for outstanding deliveries, then releases its resources. */
  close(timeoutMs: number): Promise<DeliveryTotals>;
  /**
   * Calls `listener` if the sink can no longer take anything: its reader went
   * away (`failed` false: a normal end), or it broke (`failed` true: a runtime failure).
   */
  onClosed(listener: (reason: string, failed: boolean) => void): void;
}
