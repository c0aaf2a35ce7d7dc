// The seam between a run and its live endpoints: the application starts a live side through
// `RunIo.startLive` (the CLI hands it the live room's `startLive`), so it never imports the server.
import type winston from "winston";
import type { Driver } from "../clock/driver.js";
import type { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import type { RunConfig } from "../config/runConfig.js";
import type { Chain } from "../model/chain.js";
import type { KafkaStats } from "../sinks/kafka/kafkaStats.js";
import type { Sink } from "../sinks/sink.js";
import type { Steering, SteeringState } from "../streams/steering.js";
import type { RunReport } from "./report.js";
import type { StatusCounts } from "./runCounts.js";
import type { LatencySummary } from "../verify/latency.js";

/** What a run hands its live side: its sink, counts, clock, steering and chain. */
export interface LiveParts {
  sink: Sink;
  report: RunReport;
  scheduler: SimulatedScheduler;
  steering: Steering;
  chain: Chain;
  log: winston.Logger;
  wallNow: () => number;
  epochNow: () => number;
  /** librdkafka's latest statistics, kept up to date by the Kafka sink. */
  kafkaStats: { latest?: KafkaStats };
  /** A load test's watch over the pipeline: its group's lag and its latency. */
  load?: { readonly group?: string; readonly lag: number | undefined; readonly latency?: { total(): LatencySummary } };
  /** Listen (the default), or keep the live side for a parent that serves the workers as one. */
  serve?: boolean;
}

/** What a run does with its live side: tell it the driver, the lag of each primary event, and close it. */
export interface LiveSide {
  setDriver(driver: Driver): void;
  /** A primary event left now: observe how late the driver runs. */
  observeLag(): void;
  close(): Promise<void>;
}

/** Starts the live endpoints of `--http` for a run. */
export type StartLive = (config: RunConfig, parts: LiveParts) => Promise<LiveSide>;

/** One second's sample of a run's counters, for the live page's chart. */
export interface StatusSample {
  /** Wall epoch ms. */
  at: number;
  byType: Record<string, number>;
  delivered: number;
  failed: number;
}

/** A run's status as `/status` serves it (one process's, or its workers' combined). */
export interface RunStatus extends StatusCounts {
  state: "starting" | "running" | "paused" | "stopped";
  ready: boolean;
  /** Why it is not ready (each a worker's, named, for the workers' parent). */
  reasons: string[];
  /** How many workers answered (the workers' parent only). */
  workers?: number;
  /** ISO 8601; null while no worker has answered. */
  simulated_time: string | null;
  speed?: number | null;
  lag_ms: number;
  held_ms: number;
  steering?: SteeringState;
  /** A load test's view of the pipeline: its group's lag (the last second's) and latency over the run. */
  load?: { group?: string; lag?: number; latency?: LatencySummary };
  brokers_up?: number;
  transactions?: { committed: number; aborted: number };
  history: StatusSample[];
}
