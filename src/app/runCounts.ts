import type { DeliveryTotals } from "../sinks/sink.js";

/** A run's counters: what its summary, a worker's messages to its parent and `/status` all carry. */
export interface RunCounts extends DeliveryTotals {
  inFlight: number;
  primary: number;
  byType: Record<string, number>;
  faults: Record<string, number>;
  truthRows: number;
  /** Anomaly labels written (a scenario's `anomalies`). */
  labelRows: number;
}

/** `inFlight` as `in_flight`. */
type Snake<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${Snake<Tail>}`
  : S;

/** The counters as `/status` writes them: snake_case, its JSON contract. */
export type StatusCounts = { [K in keyof RunCounts as Snake<K>]: RunCounts[K] };

/** The counters of `/status`, from a run's. */
export function statusCounts(counts: RunCounts): StatusCounts {
  return {
    produced: counts.produced,
    delivered: counts.delivered,
    failed: counts.failed,
    in_flight: counts.inFlight,
    primary: counts.primary,
    by_type: counts.byType,
    faults: counts.faults,
    truth_rows: counts.truthRows,
    label_rows: counts.labelRows,
  };
}
