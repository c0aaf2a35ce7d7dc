import { eventTopics, type RunConfig } from "../config/runConfig.js";
import type { GroupLagReader } from "../sinks/kafka/groupLag.js";
import { isEvent, type OutRecord } from "../wire/envelope.js";
import { LatencyTracker, type LatencySummary } from "../verify/latency.js";

/** One sample of the pipeline under load (every second). */
export interface LoadSample {
  /** Wall epoch ms. */
  at: number;
  /** Primary events per minute the run was set to then (a capacity search's step). */
  ratePerMinute?: number;
  /** The group's lag, and its partitions' ends summed (their growth is the input rate). */
  lag?: number;
  written?: number;
  /** Latency of the outputs seen since the sample before. */
  latency?: LatencySummary;
  /** Primary events the run had made by then (whether the generator keeps to the rate set). */
  made?: number;
}

/**
 * Watches the pipeline a run feeds: its consumer group's lag (`--lag-group`) and
 * end-to-end latency (`--latency-topic`), sampled every second; every record the
 * run makes passes `sent` as it goes to the sink, stamped with when it was produced.
 */
export class LoadWatch {
  readonly samples: LoadSample[] = [];
  private failure: string | undefined;
  private closeOutput: () => void = () => undefined;
  /** The run's primary events so far, once the run counts them (`countMade`). */
  private made: (() => number) | undefined;

  private constructor(
    private readonly config: NonNullable<RunConfig["load"]>,
    private readonly lagReader: GroupLagReader | undefined,
    readonly latency: LatencyTracker | undefined,
    private readonly epochNow: () => number,
  ) {}

  /** Connects to the group and the output topic the run names; a `SinkError` when they cannot be read. */
  static async open(config: RunConfig, epochNow: () => number): Promise<LoadWatch | undefined> {
    const load = config.load;
    if (load === undefined) return undefined;
    const kafka = { brokers: config.kafka.brokers, properties: config.kafka.properties };
    const timeoutMs = config.kafka.connectTimeoutMs;
    const lagReader =
      load.group === undefined
        ? undefined
        : await (
            await import("../sinks/kafka/groupLag.js")
          ).openGroupLag({ ...kafka, group: load.group, topics: eventTopics(config), timeoutMs });
    const tracker = load.latencyTopic === undefined ? undefined : new LatencyTracker(load.match);
    const watch = new LoadWatch(load, lagReader, tracker, epochNow);
    if (load.latencyTopic !== undefined && tracker !== undefined) {
      const { watchOutput } = await import("../sinks/kafka/outputWatch.js");
      const output = await watchOutput({
        ...kafka,
        topic: load.latencyTopic,
        timeoutMs,
        epochNow,
        onValue: (value, seenAt) => {
          if (value === null) return void (tracker.unmatched += 1);
          let parsed: unknown;
          try {
            parsed = JSON.parse(value.toString("utf8"));
          } catch {
            return void (tracker.unmatched += 1);
          }
          tracker.seen(parsed, seenAt);
        },
      }).catch((error: unknown) => {
        lagReader?.close();
        throw error;
      });
      watch.closeOutput = () => output.close();
    }
    return watch;
  }

  /** A record leaves for the sink now: stamped with the wall clock in its `produced_at` header, and kept to match its output. */
  sent(record: OutRecord): OutRecord {
    const now = this.epochNow();
    if (this.latency !== undefined && isEvent(record))
      this.latency.sent(record.value.event_id, Date.parse(record.value.event_time), now);
    return { ...record, headers: { ...record.headers, produced_at: String(now) } } as OutRecord;
  }

  /** Samples carry the run's count of primary events from now on. */
  countMade(made: () => number): void {
    this.made = made;
  }

  /** Takes a sample now (lag read from the brokers, latency since the last sample). */
  async sample(ratePerMinute?: number): Promise<LoadSample> {
    const sample: LoadSample = {
      at: this.epochNow(),
      ...(ratePerMinute === undefined ? {} : { ratePerMinute }),
      ...(this.made === undefined ? {} : { made: this.made() }),
    };
    if (this.lagReader !== undefined) {
      try {
        const read = await this.lagReader.read();
        sample.lag = read.lag;
        sample.written = read.written;
        this.failure = undefined;
      } catch (error) {
        this.failure = error instanceof Error ? error.message : String(error);
      }
    }
    if (this.latency !== undefined) sample.latency = this.latency.takeRecent();
    this.samples.push(sample);
    if (this.samples.length > 100_000) this.samples.splice(0, 50_000);
    return sample;
  }

  /** What the stats line adds: the group's lag and the latency of the last second. */
  text(): string {
    const last = this.samples.at(-1);
    if (last === undefined) return "";
    const parts: string[] = [];
    if (this.config.group !== undefined)
      parts.push(
        this.failure !== undefined
          ? `lag of ${this.config.group} unknown (${this.failure})`
          : `lag of ${this.config.group} ${last.lag ?? "?"}`,
      );
    if (this.latency !== undefined) {
      const l = this.latency.total();
      parts.push(
        l.count === 0
          ? `latency: no output matched yet (${this.latency.unmatched} unmatched)`
          : `latency p50 ${l.p50} p95 ${l.p95} p99 ${l.p99} max ${l.max} ms over ${l.count} outputs`,
      );
    }
    return parts.length === 0 ? "" : `; ${parts.join(", ")}`;
  }

  /** The last sample's lag, for the metrics and the live page. */
  get lag(): number | undefined {
    return this.samples.at(-1)?.lag;
  }

  close(): void {
    this.closeOutput();
    this.lagReader?.close();
  }
}
