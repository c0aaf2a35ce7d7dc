// What a worker of `--workers` and its parent say to each other over the IPC channel.
import { SINK_DEFAULTS } from "../sinks/kafka/defaults.js";
import type { RunSnapshot } from "./run.js";

/** What the parent hands a worker: the command line, and the clock reading and seed that make the threads one run. */
export interface WorkerData {
  argv: string[];
  now: number;
  randomSeed: number;
  index: number;
  count: number;
}

/** What a worker tells its parent. */
export type WorkerMessage =
  | { kind: "progress"; snapshot: RunSnapshot }
  | { kind: "done"; snapshot: RunSnapshot }
  | { kind: "exit"; code: number; error?: string }
  | { kind: "live"; id: number; answer: unknown };

/**
 * What the parent asks of a worker's live side (with --http): its metrics (as
 * prom-client's JSON), its status, or a control change in two steps (`check`
 * on every worker, then `apply` on every one, or `drop`), so that a body one
 * worker refuses changes none.
 */
export type LiveAsk = { kind: "live"; id: number } & WorkerAsk;

/** What the parent asks a worker's live side (see the worker's `LiveAsk`), without the message's id. */
export type WorkerAsk =
  | { ask: "metrics" | "status" }
  | { ask: "apply" | "drop"; plan: number }
  | { ask: "check"; plan: number; body: unknown };

/** What one of `total` workers holds: its share of the run's in-flight bounds (its `--count` is the run's: every shard counts the skeleton's ticks alike). */
export interface WorkerShare {
  maxInFlight: number;
  maxInFlightMb: number;
}

/**
 * A worker's share of a run's in-flight bounds (those not given are the sink's defaults): divided, so the workers
 * together hold no more than one process would.
 */
export function workerShare(run: Partial<WorkerShare>, total: number): WorkerShare {
  const maxInFlight = run.maxInFlight ?? SINK_DEFAULTS.maxInFlight;
  const maxInFlightMb = run.maxInFlightMb ?? SINK_DEFAULTS.maxInFlightMb;
  return {
    maxInFlight: Math.max(1, Math.floor(maxInFlight / total)),
    maxInFlightMb: maxInFlightMb / total,
  };
}
