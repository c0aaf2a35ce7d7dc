import type { Driver } from "../clock/driver.js";
import type { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import type { Sink } from "../sinks/sink.js";
import type { Steering } from "../streams/steering.js";
import type { RunReport } from "../app/report.js";
import type { LiveParts, RunStatus, StatusSample } from "../app/liveSide.js";
import { statusCounts } from "../app/runCounts.js";
import type { KafkaStats } from "../sinks/kafka/kafkaStats.js";

/** One second's sample of the run's counters, for the live page's chart. */
export type Sample = StatusSample;

/** Nothing delivered for this long while records are in flight: not ready. */
const STUCK_MS = 15_000;
const HISTORY = 600;

/** What the live endpoints see of a run: its sink, report, clock, driver, steering and librdkafka's statistics. */
export class LiveRun {
  private driverNow: Driver | undefined;
  private stats: KafkaStats | undefined;
  private closed: string | undefined;
  readonly history: Sample[] = [];
  private progress = { delivered: 0, at: 0 };
  private readonly topicTypes: Map<string, string>;

  readonly sink: Sink;
  readonly report: RunReport;
  readonly scheduler: SimulatedScheduler;
  readonly steering: Steering;
  readonly transactions: () => { committed: number; aborted: number } | undefined;
  private readonly wallNow: () => number;
  /** A load test's watch over the pipeline. */
  readonly load: LiveParts["load"];

  /**
   * @param parts the run's sink, report, clock and steering; `topics` maps each type to its topic (for metrics by type);
   *   `wallNow` is the wall clock; `transactions` counts commits and aborts of a transactional run
   */
  constructor(parts: {
    sink: Sink;
    report: RunReport;
    scheduler: SimulatedScheduler;
    steering: Steering;
    topics: Record<string, string>;
    wallNow: () => number;
    transactions?: () => { committed: number; aborted: number } | undefined;
    load?: LiveParts["load"];
  }) {
    this.load = parts.load;
    ({
      sink: this.sink,
      report: this.report,
      scheduler: this.scheduler,
      steering: this.steering,
      wallNow: this.wallNow,
    } = parts);
    this.transactions = parts.transactions ?? (() => undefined);
    const { sink, topics, wallNow } = parts;
    this.topicTypes = new Map(Object.entries(topics).map(([type, topic]) => [topic, type]));
    this.progress.at = wallNow();
    sink.onClosed((reason, failed) => {
      if (failed) this.closed = reason;
    });
  }

  driver(): Driver | undefined {
    return this.driverNow;
  }

  setDriver(driver: Driver): void {
    this.driverNow = driver;
    void driver.done.then(() => (this.closed ??= "the run is ending"));
  }

  typeOf(topic: string): string {
    return this.topicTypes.get(topic) ?? (topic.endsWith("truth") ? "truth" : "other");
  }

  kafkaStats(): KafkaStats | undefined {
    return this.stats;
  }

  setKafkaStats(stats: KafkaStats | undefined): void {
    if (stats !== undefined) this.stats = stats;
  }

  /** Takes a sample (once a second): the chart's history, and delivery progress for readiness. */
  sample(): void {
    const totals = this.sink.totals();
    const at = this.wallNow();
    if (totals.delivered !== this.progress.delivered || totals.inFlight === 0)
      this.progress = { delivered: totals.delivered, at };
    this.history.push({ at, byType: this.report.byType(), delivered: totals.delivered, failed: totals.failed });
    if (this.history.length > HISTORY) this.history.shift();
  }

  /** Why the run is not ready (empty when it is): closed, no broker, or stuck with records in flight. */
  notReady(): string[] {
    const reasons: string[] = [];
    if (this.closed !== undefined) reasons.push(this.closed);
    const trouble = this.sink.trouble?.();
    if (trouble !== undefined) reasons.push(trouble);
    else if (this.stats !== undefined && !this.stats.brokers.some((b) => b.up)) reasons.push("no broker connected");
    const stuck = this.wallNow() - this.progress.at;
    const inFlight = this.sink.totals().inFlight;
    if (inFlight > 0 && stuck > STUCK_MS)
      reasons.push(`nothing delivered for ${(stuck / 1000).toFixed(0)} s with ${inFlight} in flight`);
    return reasons;
  }

  /** The status as JSON: the stats line, richer. */
  status(): RunStatus {
    const totals = this.sink.totals();
    const driver = this.driverNow;
    const reasons = this.notReady();
    return {
      state:
        this.closed !== undefined
          ? ("stopped" as const)
          : driver?.isPaused === true
            ? ("paused" as const)
            : ("running" as const),
      ready: reasons.length === 0,
      reasons,
      simulated_time: new Date(this.scheduler.now()).toISOString(),
      speed: driver?.speed,
      lag_ms: driver?.lag() ?? 0,
      held_ms: driver?.heldMs() ?? 0,
      ...statusCounts({
        ...totals,
        primary: this.report.primary,
        byType: this.report.byType(),
        faults: Object.fromEntries(this.report.faults),
        truthRows: this.report.truthRows,
        labelRows: this.report.labelRows,
      }),
      steering: this.steering.state,
      brokers_up: this.stats?.brokers.filter((b) => b.up).length,
      transactions: this.transactions(),
      ...(this.load === undefined ? {} : { load: this.loadStatus(this.load) }),
      history: this.history,
    };
  }

  private loadStatus(load: NonNullable<LiveParts["load"]>): NonNullable<RunStatus["load"]> {
    return {
      ...(load.group === undefined ? {} : { group: load.group }),
      ...(load.lag === undefined ? {} : { lag: load.lag }),
      ...(load.latency === undefined ? {} : { latency: load.latency.total() }),
    };
  }
}
