/** One step of the search: the rate set, what the pipeline was sent and consumed, its latency, the verdict. */
export interface CapacityStep {
  /** Primary events per minute set. */
  ratePerMinute: number;
  /** Wall epoch ms of the measured span. */
  from: number;
  to: number;
  /** Records per second written to the group's partitions, and consumed by it, over the span. */
  sentPerSecond: number;
  consumedPerSecond: number;
  /** Primary events per second the run made over the span (below the rate set: the generator is the limit). */
  madePerSecond?: number;
  /** Latency p99 of the outputs seen over the span, ms (with --latency-topic). */
  p99Ms?: number;
  held: boolean;
  why: string;
}

/** How the search ended, and the highest step held. */
export interface CapacityResult {
  held?: CapacityStep;
  steps: CapacityStep[];
  /**
   * `unmeasured`: a step could not measure the group: its lag unreadable, or no offsets committed on
   * the run's topics (the pipeline not running, or reading under another group's name).
   */
  stoppedBy: "narrowed" | "budget" | "generator" | "stopped" | "nothing held" | "unmeasured";
}
