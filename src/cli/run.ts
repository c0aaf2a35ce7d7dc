import type { Writable } from "node:stream";
import type winston from "winston";
import { Driver } from "../clock/driver.js";
import { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import { toEnvelope } from "../operators/toEnvelope.js";
import type { Sink } from "../sinks/sink.js";
import { stdoutSink } from "../sinks/stdoutSink.js";
import { retailEvents$ } from "../streams/retailEvents.js";
import type { RunConfig } from "./config.js";
import { readChain } from "./data.js";
import { eventOptions } from "./eventOptions.js";
import { showBackfillProgress } from "./progress.js";
import { RunReport } from "./report.js";
import { realWall } from "./wall.js";

export interface RunIo {
  stdout: Writable;
  log: winston.Logger;
  /** Registers a handler for SIGINT/SIGTERM; returns its removal. */
  onSignal(handler: (signal: string) => void): () => void;
  /** Opens the Kafka sink (kept apart so a stdout run never loads node-rdkafka). */
  openKafka?: (config: RunConfig, log: winston.Logger) => Promise<Sink>;
}

/** Streams events per `config` until done, stopped or failed; returns the exit code. */
export async function runStream(config: RunConfig, io: RunIo): Promise<number> {
  const { log } = io;
  const chain = readChain(config.dataDir);
  const options = await eventOptions(config, chain, log);
  log.info(`seed ${config.seed}${config.seedGiven ? "" : ` (pass --seed ${config.seed} to replay this run)`}; ${chain.stores.length} stores, ${chain.products.length} products; gaps ${config.minDelayMs / 1000}–${config.maxDelayMs / 1000} s`);
  if (config.sink === "kafka" && io.openKafka === undefined) throw new Error("no Kafka sink available");
  const sink = config.sink === "stdout" ? stdoutSink(io.stdout) : await (io.openKafka as NonNullable<RunIo["openKafka"]>)(config, log);

  const scheduler = new SimulatedScheduler(config.start);
  const report = new RunReport(log, realWall.now());
  const driver = new Driver(scheduler, {
    wall: realWall,
    speed: config.speed,
    anchor: config.backfillUntil ?? config.start,
    fastUntil: config.backfillUntil,
    backpressure: sink,
  });
  let failure: unknown;
  let readerGone = false;
  const removeSignals = io.onSignal((signal) => {
    log.info(`stopping on ${signal}`);
    driver.stop();
  });
  const subscription = retailEvents$({ ...options, scheduler }).pipe(toEnvelope(config.topics)).subscribe({
    next: (envelope) => {
      sink.write(envelope);
      report.event(envelope.value, envelope.timestamp, envelope.timestamp < (config.backfillUntil ?? -Infinity));
    },
    error: (error: unknown) => {
      failure = error;
      driver.stop();
    },
    complete: () => driver.stop(),
  });
  sink.onClosed((reason) => {
    readerGone = true;
    log.info(`stopping: ${reason}`);
    driver.stop();
  });
  const stats = setInterval(() => report.stats(sink, realWall.now(), driver.lag()), config.statsIntervalMs);

  driver.start();
  let stopProgress = (): void => undefined;
  if (config.backfillUntil !== undefined) {
    stopProgress = showBackfillProgress(config.start, config.backfillUntil, { now: () => scheduler.now(), produced: () => sink.totals().produced },
      { tty: process.stderr.isTTY === true && config.logLevel !== "debug", log, intervalMs: config.statsIntervalMs, wallNow: () => realWall.now() });
    // The bar (or its log lines) ends where live pacing begins.
    const handover = setInterval(() => {
      if (scheduler.now() >= (config.backfillUntil as number)) {
        clearInterval(handover);
        stopProgress();
        stopProgress = () => undefined;
        if (config.live) log.info(`backfill done at ${new Date(config.backfillUntil as number).toISOString()}; live pacing from here`);
      }
    }, 100);
    void driver.done.then(() => clearInterval(handover));
  }
  await driver.done;
  stopProgress();
  subscription.unsubscribe();
  clearInterval(stats);
  removeSignals();
  const totals = await sink.close(config.flushTimeoutMs);
  // The totals are always shown, whatever the log level.
  process.stderr.write(`${new Date().toISOString()} info  ${report.summary(totals, sink.totals().peakInFlight, realWall.now(), process.resourceUsage().maxRSS / 1024)}\n`);
  if (failure !== undefined) {
    log.error(`failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    return 1;
  }
  if (totals.failed > 0 && !readerGone) {
    log.error(`${totals.failed} of ${totals.produced} messages were not delivered`);
    return 1;
  }
  return 0;
}
