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

/** What makes a run's stream, written with every commit: a resumed run must make the same. */
export interface RunIdentity {
  seed: number;
  start: number;
  fingerprint: string;
}

/** Where a transactional run stood at its last commit, as its sink keeps it (a checkpoint topic, a database row). */
export interface CommittedPosition {
  identity: RunIdentity;
  /** Records the run had made by then (the ones it wrote, and any it replayed). */
  records: number;
  /** Primary events among them. */
  primary: number;
  /** Event time of the last of them, epoch ms. */
  time: number;
}

/** Where a sink that writes in transactions stands: what a run resumes from and says at its end. */
export interface Transactional {
  /** Where the run starts: its identity (written in every checkpoint) and the records an earlier run already committed. */
  resumeAt(identity: RunIdentity, skip: number): void;
  /** Records committed, and regenerated without writing (an earlier run committed them). */
  readonly committed: number;
  readonly replayed: number;
  /** Transactions committed and aborted. */
  readonly transactions: { committed: number; aborted: number };
}

/** Where envelopes go. The driver holds while `held` is true. */
export interface Sink extends Backpressure {
  /** Present when the sink writes in transactions. */
  readonly transactional?: Transactional;
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
  /** What keeps the sink from delivering now, if anything (e.g. "no broker connection for 42 s"), for the stats line and readiness. */
  trouble?(): string | undefined;
}
