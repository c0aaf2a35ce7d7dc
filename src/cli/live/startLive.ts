import type winston from "winston";
import type { SimulatedScheduler } from "../../clock/simulatedScheduler.js";
import { loadScenario } from "../../data/scenarios.js";
import type { Chain } from "../../model/chain.js";
import type { Sink } from "../../sinks/sink.js";
import { TransactionalSink } from "../../sinks/transactionalSink.js";
import type { Steering } from "../../streams/steering.js";
import type { RunConfig } from "../config.js";
import type { RunReport } from "../report.js";
import type { KafkaStats } from "./kafkaStats.js";
import { LiveRun } from "./liveRun.js";
import { RunMetrics } from "./metrics.js";
import { servingLine, startLiveServer } from "./server.js";
import { localView, type LiveView } from "./view.js";

/** The live side of a run: what the endpoints read, its metrics, and how to stop serving. */
export interface Live {
  run: LiveRun;
  metrics: RunMetrics;
  /** What the endpoints serve of this run (a worker's parent asks it for its part). */
  view: LiveView;
  close(): Promise<void>;
}

/**
 * Starts the endpoints of `--http` for a run (listening at once; an address in
 * use is a `SinkError`). A worker of `--workers` (`serve: false`) keeps the
 * live side without listening: its parent serves the workers as one.
 */
export async function startLive(config: RunConfig, parts: {
  sink: Sink; report: RunReport; scheduler: SimulatedScheduler; steering: Steering; chain: Chain; log: winston.Logger;
  wallNow: () => number; epochNow: () => number; kafkaStats: { latest?: KafkaStats }; serve?: boolean;
}): Promise<Live> {
  const http = config.http as NonNullable<RunConfig["http"]>;
  const { sink } = parts;
  const run = new LiveRun(sink, parts.report, parts.scheduler, parts.steering, { ...config.topics, truth: config.truth?.topic ?? "" }, parts.wallNow,
    () => (sink instanceof TransactionalSink ? sink.transactions : undefined));
  const metrics = new RunMetrics(run);
  const stats = parts.kafkaStats;
  const sampler = setInterval(() => {
    run.setKafkaStats(stats.latest);
    run.sample();
  }, 1000);
  run.sample();
  const view = localView(run, metrics, { chain: parts.chain, shard: config.shard, load: (name, chain) => loadScenario(name, chain, `scenario ${name}`) });
  if (parts.serve === false) return { run, metrics, view, close: async () => clearInterval(sampler) };
  const server = await startLiveServer({
    host: http.host, port: http.port, token: http.token, controlLog: http.controlLog, view, log: parts.log, epochNow: parts.epochNow,
  }).catch((error: unknown) => {
    clearInterval(sampler);
    throw error;
  });
  parts.log.info(servingLine(http.host, http.port));
  return {
    run, metrics, view,
    close: () => new Promise((resolve) => {
      clearInterval(sampler);
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
