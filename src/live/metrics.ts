import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Aggregator } from "prom-client";
import type { LiveRun } from "./liveRun.js";

/**
 * The run's Prometheus metrics (`/metrics`), read from the run when scraped:
 * records by topic and type, in flight, backpressure, pacing lag, the
 * simulated clock and speed, faults, transactions, librdkafka's statistics,
 * and the process's own. Each gauge says how the workers of one run add up
 * (`aggregator`: summed unless the sum means nothing, as for the simulated clock).
 */
export class RunMetrics {
  readonly registry = new Registry();
  private readonly lag: Histogram;

  constructor(run: LiveRun) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "retail_stream_process_" });
    const byTopic = (name: string, help: string, field: "produced" | "delivered" | "failed"): void => {
      new Counter({
        name,
        help,
        labelNames: ["topic", "type"],
        registers,
        collect() {
          this.reset();
          for (const [topic, totals] of run.sink.byTopic?.() ?? [])
            this.inc({ topic, type: run.typeOf(topic) }, totals[field]);
        },
      });
    };
    byTopic("retail_stream_records_produced_total", "Records handed to the sink", "produced");
    byTopic("retail_stream_records_delivered_total", "Records the sink delivered (Kafka: acknowledged)", "delivered");
    byTopic("retail_stream_records_failed_total", "Records that were not delivered", "failed");
    const gauge = (
      name: string,
      help: string,
      value: () => number | undefined,
      aggregator: Aggregator = "sum",
    ): void => {
      new Gauge({
        name,
        help,
        registers,
        aggregator,
        collect() {
          const v = value();
          if (v !== undefined) this.set(v);
        },
      });
    };
    const counter = (name: string, help: string, value: () => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(value());
        },
      });
    };
    gauge("retail_stream_records_in_flight", "Records awaiting delivery", () => run.sink.totals().inFlight);
    counter("retail_stream_primary_events_total", "Primary events generated", () => run.report.primary);
    counter(
      "retail_stream_backpressure_seconds_total",
      "Wall time the sink held the pipeline",
      () => (run.driver()?.heldMs() ?? 0) / 1000,
    );
    gauge(
      "retail_stream_simulated_time_seconds",
      "The pipeline clock, epoch seconds",
      () => run.scheduler.now() / 1000,
      "min",
    );
    gauge("retail_stream_speed_ratio", "Simulated seconds per wall second", () => run.driver()?.speed, "average");
    gauge("retail_stream_paused", "1 while paused through /control", () => (run.driver()?.isPaused ? 1 : 0), "max");
    gauge("retail_stream_truth_rows", "Rows of ground truth written", () => run.report.truthRows);
    // A load test's view of the pipeline: --lag-group's lag and --latency-topic's latency.
    if (run.load !== undefined) {
      const load = run.load;
      if (load.group !== undefined)
        new Gauge({
          name: "retail_stream_consumer_lag",
          help: "Records the pipeline's consumer group has not consumed (committed) on the run's topics",
          labelNames: ["group"],
          registers,
          aggregator: "max",
          collect() {
            if (load.lag !== undefined) this.set({ group: load.group as string }, load.lag);
          },
        });
      if (load.latency !== undefined)
        new Gauge({
          name: "retail_stream_latency_ms",
          help: "End-to-end latency over the run, input produced to its output seen, by quantile",
          labelNames: ["quantile"],
          registers,
          aggregator: "max",
          collect() {
            const total = load.latency?.total();
            if (total === undefined || total.count === 0) return;
            for (const [quantile, value] of [
              ["0.5", total.p50],
              ["0.95", total.p95],
              ["0.99", total.p99],
              ["1", total.max],
            ] as const)
              this.set({ quantile }, value);
          },
        });
    }
    new Counter({
      name: "retail_stream_faults_total",
      help: "Records faulted on purpose, by kind",
      labelNames: ["kind"],
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of run.report.faults) this.inc({ kind }, n);
      },
    });
    new Counter({
      name: "retail_stream_transactions_total",
      help: "Transactions committed and aborted",
      labelNames: ["outcome"],
      registers,
      collect() {
        this.reset();
        const t = run.transactions();
        if (t === undefined) return;
        this.inc({ outcome: "committed" }, t.committed);
        this.inc({ outcome: "aborted" }, t.aborted);
      },
    });
    this.lag = new Histogram({
      name: "retail_stream_pacing_lag_seconds",
      help: "How late each primary event left against its planned (simulated) time, wall seconds",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    new Gauge({
      name: "retail_stream_kafka_broker_rtt_seconds",
      help: "Mean broker round trip (librdkafka)",
      labelNames: ["broker"],
      registers,
      aggregator: "average",
      collect() {
        this.reset();
        for (const b of run.kafkaStats()?.brokers ?? []) this.set({ broker: b.name }, b.rttSeconds);
      },
    });
    new Gauge({
      name: "retail_stream_kafka_brokers_up",
      help: "Brokers the producer is connected to (librdkafka)",
      registers,
      aggregator: "min",
      collect() {
        const stats = run.kafkaStats();
        if (stats !== undefined) this.set(stats.brokers.filter((b) => b.up).length);
      },
    });
    new Gauge({
      name: "retail_stream_kafka_batch_size_bytes",
      help: "Mean produce batch size per topic (librdkafka)",
      labelNames: ["topic"],
      registers,
      aggregator: "average",
      collect() {
        this.reset();
        for (const t of run.kafkaStats()?.topics ?? []) this.set({ topic: t.topic }, t.batchBytes);
      },
    });
    new Gauge({
      name: "retail_stream_kafka_batch_messages",
      help: "Mean messages per produce batch per topic (librdkafka)",
      labelNames: ["topic"],
      registers,
      aggregator: "average",
      collect() {
        this.reset();
        for (const t of run.kafkaStats()?.topics ?? []) this.set({ topic: t.topic }, t.batchMessages);
      },
    });
    counter(
      "retail_stream_kafka_retries_total",
      "Produce requests retried (librdkafka)",
      () => run.kafkaStats()?.retries ?? 0,
    );
  }

  /** A primary event left `lagMs` (wall) after its planned time. */
  observeLag(lagMs: number): void {
    this.lag.observe(lagMs / 1000);
  }
}
