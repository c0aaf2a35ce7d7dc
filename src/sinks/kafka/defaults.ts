/** The Kafka sink's bounds when none are given: the CLI's defaults too (its help, its parser, the workers' split). */
export const SINK_DEFAULTS = {
  /** Records awaiting delivery at which the source pauses (`--max-in-flight`). */
  maxInFlight: 100_000,
  /** MiB of values awaiting delivery at which the source pauses (`--max-in-flight-mb`). */
  maxInFlightMb: 8,
} as const;
