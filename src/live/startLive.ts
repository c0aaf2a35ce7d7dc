import type { Driver } from "../clock/driver.js";
import { loadScenario } from "../data/scenarios.js";
import { datedFor } from "../model/scenario.js";
import type { RunConfig } from "../config/runConfig.js";
import type { LiveParts, LiveSide } from "../app/liveSide.js";
import { LiveRun } from "./liveRun.js";
import { RunMetrics } from "./metrics.js";
import { servingLine, startLiveServer } from "./server.js";
import { localView, type LiveView } from "./view.js";

/** The live side of a run: what the endpoints read, its metrics, and how to stop serving. */
export interface Live extends LiveSide {
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
export async function startLive(config: RunConfig, parts: LiveParts): Promise<Live> {
  const http = config.http as NonNullable<RunConfig["http"]>;
  const { sink } = parts;
  const run = new LiveRun({
    sink,
    report: parts.report,
    scheduler: parts.scheduler,
    steering: parts.steering,
    topics: { ...config.topics, truth: config.truth?.topic ?? "" },
    wallNow: parts.wallNow,
    transactions: () => sink.transactional?.transactions,
    load: parts.load,
  });
  const metrics = new RunMetrics(run);
  const stats = parts.kafkaStats;
  const sampler = setInterval(() => {
    run.setKafkaStats(stats.latest);
    run.sample();
  }, 1000);
  run.sample();
  const view = localView(run, metrics, {
    chain: parts.chain,
    // A scenario switched to mid-run is dated from the day the switch happens.
    load: async (name, chain) => datedFor(await loadScenario(name, chain, `scenario ${name}`), parts.scheduler.now()),
  });
  const side = {
    run,
    metrics,
    view,
    setDriver: (driver: Driver) => run.setDriver(driver),
    observeLag: () => metrics.observeLag(run.driver()?.lag() ?? 0),
  };
  if (parts.serve === false) return { ...side, close: async () => clearInterval(sampler) };
  const server = await startLiveServer({
    host: http.host,
    port: http.port,
    token: http.token,
    controlLog: http.controlLog,
    view,
    log: parts.log,
    epochNow: parts.epochNow,
  }).catch((error: unknown) => {
    clearInterval(sampler);
    throw error;
  });
  parts.log.info(servingLine(http.host, http.port));
  return {
    ...side,
    close: () =>
      new Promise((resolve) => {
        clearInterval(sampler);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
