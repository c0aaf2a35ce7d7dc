/**
 * Watches a producer for a stall it never ends by itself. librdkafka delivers or fails every record
 * within its message timeout; records in flight with no delivery and no failure for longer than that
 * mean the client is stuck, and only the run can end the wait. The watch also says, while it lasts,
 * how long no broker has been connected (librdkafka's statistics) or nothing delivered.
 *
 * Time is passed in (wall ms), so the rules are pure functions of what was observed.
 */
export class StallWatch {
  /** When a record last settled (delivered or failed), or nothing was in flight. */
  private lastProgress: number;
  /** When a broker was last seen connected, or a record settled. */
  private lastUp: number;
  private settled = 0;

  /**
   * @param timeoutMs how long records in flight may wait with nothing settling (the message timeout, and a margin)
   * @param now the wall clock at start
   */
  constructor(
    readonly timeoutMs: number,
    now: number,
  ) {
    this.lastProgress = now;
    this.lastUp = now;
  }

  /** What is settled so far and what is in flight: a change, or nothing waiting, is progress. */
  progress(settled: number, inFlight: number, now: number): void {
    if (settled === this.settled && inFlight > 0) return;
    if (settled !== this.settled) this.lastUp = now;
    this.settled = settled;
    this.lastProgress = now;
  }

  /** librdkafka's statistics: whether any broker is connected. */
  brokers(anyUp: boolean, now: number): void {
    if (anyUp) this.lastUp = now;
  }

  /** Ms since a broker was last seen connected (or a record settled); 0 while that is recent (within `graceMs`). */
  noConnectionMs(now: number, graceMs = 2_000): number {
    const since = now - this.lastUp;
    return since > graceMs ? since : 0;
  }

  /** Ms since a record last settled while records were in flight. */
  stuckMs(now: number): number {
    return now - this.lastProgress;
  }

  /** Whether records in flight have waited past the timeout with nothing settling. */
  expired(inFlight: number, now: number): boolean {
    return inFlight > 0 && now - this.lastProgress > this.timeoutMs;
  }
}

/** librdkafka's message timeout of a producer's settings, ms (its default 300 000). */
export function messageTimeoutMs(properties: Readonly<Record<string, string | number | boolean>> | undefined): number {
  const given = properties?.["message.timeout.ms"] ?? properties?.["delivery.timeout.ms"];
  const ms = Number(given);
  // 0 means "no limit" to librdkafka: the watch still ends a run stuck for a day.
  return given === undefined || !Number.isFinite(ms) ? 300_000 : ms === 0 ? 86_400_000 : ms;
}
