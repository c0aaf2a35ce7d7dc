import { profileOf } from "../model/profiles.js";
import type { Writable } from "node:stream";
import type winston from "winston";
import type { Driver, WallClock } from "../clock/driver.js";
import { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import { every } from "../clock/every.js";
import { readChain } from "../data/chainFiles.js";
import type { Chain } from "../model/chain.js";
import { createWriteStream, type WriteStream } from "node:fs";
import type { TruthRow } from "../model/truth.js";
import { uniformArrivals } from "../model/arrivals.js";
import { Steering } from "../streams/steering.js";
import { TeeSink } from "../sinks/teeSink.js";
import { isReference } from "../wire/envelope.js";
import { parseKafkaStats, type KafkaStats } from "../sinks/kafka/kafkaStats.js";
import type { LiveSide, StartLive } from "./liveSide.js";
import { appendOutput, writeOutput } from "./outputFiles.js";
import type { DeliveryTotals, Sink, SinkTotals } from "../sinks/sink.js";
import { stdoutSink } from "../sinks/stdoutSink.js";
import { recordsOf } from "./records.js";
import { runToSink } from "./runToSink.js";
import type { RunConfig } from "../config/runConfig.js";
import { eventOptions, type EventOptions } from "./eventOptions.js";
import { showBackfillProgress } from "./progress.js";
import { RunReport } from "./report.js";
import { resumePoint, type ResumePoint } from "./resume.js";

/** What a run touches outside itself: streams, the clocks, signals, the Kafka client. */
export interface RunIo {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  log: winston.Logger;
  /** The monotonic wall clock and its timers. */
  wall: WallClock;
  /** Epoch ms, for the summary line's timestamp. */
  epochNow(): number;
  /** Peak resident memory so far, MB. */
  peakRssMb(): number;
  /** Registers a handler for SIGINT/SIGTERM; returns its removal. */
  onSignal(handler: (signal: string) => void): () => void;
  /** Opens the Kafka sink (kept apart so a stdout run never loads node-rdkafka). */
  openKafka?: (
    config: RunConfig,
    log: winston.Logger,
    hooks: { onStats?: (json: string) => void; now: number },
  ) => Promise<Sink>;
  /** Opens the PostgreSQL sink (kept apart so other runs never load pg). */
  openPostgres?: (config: RunConfig, log: winston.Logger) => Promise<Sink>;
  /** Starts the live endpoints of `--http` (kept apart so a run without them never loads the server or prom-client). */
  startLive?: StartLive;
  /** A worker of `--workers`: tells its parent (which prints one stats line and one summary for all) instead of printing its own. */
  worker?: {
    progress(snapshot: RunSnapshot): void;
    done(snapshot: RunSnapshot): void;
  };
}

/** Where a run stands: its totals and what its report counted. */
export interface RunSnapshot extends SinkTotals {
  primary: number;
  byType: Record<string, number>;
  faults: Record<string, number>;
  truthRows: number;
  firstTime?: number;
  lastTime?: number;
  /** Peak resident memory of the process that ran it, MB (a worker's). */
  peakRssMb?: number;
}

function snapshot(report: RunReport, totals: DeliveryTotals, sink: Sink): RunSnapshot {
  const now = sink.totals();
  return {
    ...now,
    ...totals,
    primary: report.primary,
    byType: report.byType(),
    faults: Object.fromEntries(report.faults),
    truthRows: report.truthRows,
    firstTime: report.firstTime,
    lastTime: report.lastTime,
  };
}

/** The totals, always shown, whatever the log level. */
function writeSummary(report: RunReport, totals: DeliveryTotals, sink: Sink, io: RunIo): void {
  if (io.worker !== undefined) return io.worker.done(snapshot(report, totals, sink));
  io.stderr.write(
    `${new Date(io.epochNow()).toISOString()} info  ${report.summary(totals, sink.totals().peakInFlight, io.wall.now(), io.peakRssMb())}\n`,
  );
}

/** What the CLI hangs on the driver: signals stop it, stats and backfill progress watch it, all undone when it stops. */
function watch(
  driver: Driver,
  scheduler: SimulatedScheduler,
  sink: Sink,
  report: RunReport,
  config: RunConfig,
  io: RunIo,
): void {
  const { log, wall } = io;
  const removeSignals = io.onSignal((signal) => {
    log.info(`stopping on ${signal}`);
    driver.stop();
  });
  const { worker } = io;
  const stopStats =
    worker === undefined
      ? every(wall, config.statsIntervalMs, () => report.stats(sink, wall.now(), driver.lag()))
      : every(wall, 250, () => worker.progress(snapshot(report, sink.totals(), sink)));
  let stopProgress = (): void => undefined;
  let stopHandover = (): void => undefined;
  // A worker's parent shows one stats line for all; the bar would be one per worker.
  if (config.backfillUntil !== undefined && worker === undefined) {
    const until = config.backfillUntil;
    stopProgress = showBackfillProgress(
      config.start,
      until,
      { now: () => scheduler.now(), produced: () => sink.totals().produced },
      {
        stream: io.stderr,
        tty: io.stderr.isTTY === true && config.logLevel !== "debug",
        log,
        intervalMs: config.statsIntervalMs,
        wall,
      },
    );
    // The bar (or its log lines) ends where live pacing begins.
    stopHandover = every(wall, 100, () => {
      if (scheduler.now() < until) return;
      stopHandover();
      stopProgress();
      stopProgress = () => undefined;
      if (config.live) log.info(`backfill done at ${new Date(until).toISOString()}; live pacing from here`);
    });
  }
  // Before the flush starts: a second Ctrl-C during it ends the process as usual.
  void driver.done.then(() => {
    stopHandover();
    stopProgress();
    stopStats();
    removeSignals();
  });
}

/**
 * Opens the run's sink (first: bad client settings or an unreachable cluster are then the only
 * line printed) and, for a transactional run, once it has fenced any earlier one, finds where it
 * starts: fresh, or the last committed checkpoint, whose seed and start it takes.
 */
async function openSink(
  given: RunConfig,
  chain: Chain,
  options: EventOptions,
  io: RunIo,
): Promise<{ sink: Sink; config: RunConfig; point?: ResumePoint; kafkaStats: { latest?: KafkaStats } }> {
  const { log } = io;
  if (given.sink === "kafka" && io.openKafka === undefined) throw new Error("no Kafka sink available");
  // librdkafka's statistics, for the live endpoints' metrics and readiness.
  const kafkaStats: { latest?: KafkaStats } = {};
  const hooks =
    given.http === undefined
      ? {}
      : { onStats: (json: string) => (kafkaStats.latest = parseKafkaStats(json) ?? kafkaStats.latest) };
  if (given.postgres !== undefined && io.openPostgres === undefined) throw new Error("no PostgreSQL sink available");
  const openPostgres = (): Promise<Sink> => (io.openPostgres as NonNullable<RunIo["openPostgres"]>)(given, log);
  const openKafka = (): Promise<Sink> =>
    (io.openKafka as NonNullable<RunIo["openKafka"]>)(given, log, { ...hooks, now: io.epochNow() });
  let sink: Sink;
  if (given.sink === "stdout") sink = stdoutSink(io.stdout);
  else if (given.sink === "postgres") sink = await openPostgres();
  else if (given.postgres === undefined) sink = await openKafka();
  else {
    // Kafka and the database in one run: the database first (its checks refuse before anything is written), then Kafka.
    const database = await openPostgres();
    const kafka = await openKafka().catch(async (error: unknown) => {
      await database.close(1000);
      throw error;
    });
    // Kafka takes the reference rows only where its topics are (a version with reference topics).
    const kafkaTakesReference = profileOf(given.schemaVersion).referenceTopics;
    sink = new TeeSink(
      [
        { name: "kafka", sink: kafka, takes: (record) => kafkaTakesReference || !isReference(record) },
        { name: "postgres", sink: database, takes: (record) => record.headers.event_type !== "truth" },
      ],
      (text) => log.info(text),
    );
  }
  const { config, point } =
    given.transactions === undefined
      ? { config: given, point: undefined }
      : await resumePoint(given, chain, log, options.scenarioData).catch(async (error: unknown) => {
          // The sink is open (it fenced any earlier run): closed before the failure is said.
          await sink.close(1000);
          throw error;
        });
  if (point !== undefined) sink.transactional?.resumeAt(point.identity, point.skip);
  return { sink, config, point, kafkaStats };
}

/** Streams events per `config` until done, stopped or failed; returns the exit code. Bad input throws `ConfigError` before any sink opens. */
export async function runStream(given: RunConfig, io: RunIo): Promise<number> {
  const { log } = io;
  const chain = readChain(given.dataDir);
  // Made (or emptied) before anything runs: a place that cannot be written is bad input. Workers append to the file their parent made.
  if (given.truth?.file !== undefined && io.worker === undefined) writeOutput("--truth-file", given.truth.file, "");
  // Every change made through /control is logged before it is made: a log that cannot be written is bad input.
  if (given.http?.controlLog !== undefined && io.worker === undefined)
    appendOutput("--control-log", given.http.controlLog);
  // Bad input (a scenario, an empty shard) is found here, before any sink opens.
  let options = await eventOptions(given, chain, log);
  const { sink, config, point, kafkaStats } = await openSink(given, chain, options, io);
  // A resumed run takes the checkpoint's seed and start: its options are made again from them.
  if (config !== given) options = await eventOptions(config, chain, log);
  log.info(
    `seed ${config.seed}${config.seedGiven ? "" : ` (pass --seed ${config.seed} to replay this run)`}; ${chain.stores.length} stores, ${chain.products.length} products; ${arrivalsText(config)}`,
  );

  const scheduler = new SimulatedScheduler(config.start);
  const report = new RunReport(log, io.wall.now());
  // Steered (rate, mix, scenario) only when it can be: with --http.
  const steering =
    config.http === undefined
      ? undefined
      : new Steering({
          arrivals: options.arrivals ?? uniformArrivals(config.minDelayMs, config.maxDelayMs),
          weights: options.weights ?? config.weights,
          storeWeight: options.storeWeight,
          scenario: options.scenario,
          scenarioName: config.scenario,
          schemaVersion: options.schemaVersion,
        });
  if (steering !== undefined) options = { ...options, ...steering.options() };
  let live: LiveSide | undefined;
  if (steering !== undefined) {
    try {
      if (io.startLive === undefined) throw new Error("no live server available");
      live = await io.startLive(config, {
        sink,
        report,
        scheduler,
        steering,
        chain,
        log,
        wallNow: () => io.wall.now(),
        epochNow: io.epochNow,
        kafkaStats,
        serve: io.worker === undefined,
      });
    } catch (error) {
      await sink.close(1000);
      throw error;
    }
  }
  let readerGone = false;
  sink.onClosed((reason, failed) => {
    readerGone = !failed;
    if (failed) log.error(`stopping: ${reason}`);
    else log.info(`stopping: ${reason}`);
  });
  // What a resumed run regenerates, it regenerates at full speed.
  const fastUntil =
    point !== undefined && point.skip > 0
      ? Math.max(config.backfillUntil ?? -Infinity, point.time + 1)
      : config.backfillUntil;
  let totals: DeliveryTotals;
  // Appended (workers share the file their parent made), through a stream: the run never waits on a disk write per row.
  const truthFile = config.truth?.file === undefined ? undefined : createWriteStream(config.truth.file, { flags: "a" });
  let truthFailed: Error | undefined;
  truthFile?.on("error", (error) => (truthFailed ??= error));
  try {
    const truth =
      config.truth === undefined
        ? undefined
        : {
            ...config.truth,
            write:
              truthFile === undefined ? undefined : (row: TruthRow) => void truthFile.write(JSON.stringify(row) + "\n"),
          };
    const records$ = recordsOf(options, config, {
      scheduler,
      chain,
      report,
      live,
      fastUntil,
      truth,
      epochNow: io.epochNow,
    });
    totals = await runToSink(records$, sink, {
      scheduler,
      wall: io.wall,
      speed: config.speed,
      fastUntil,
      flushTimeoutS: config.flushTimeoutMs / 1000,
      onDriver: (driver) => {
        live?.setDriver(driver);
        watch(driver, scheduler, sink, report, config, io);
      },
    });
  } catch (failure) {
    await closeFile(truthFile).catch(() => undefined);
    await live?.close();
    writeSummary(report, sink.totals(), sink, io);
    log.error(`failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    return 1;
  }
  await closeFile(truthFile).catch((error: Error) => (truthFailed ??= error));
  await live?.close();
  writeSummary(report, totals, sink, io);
  if (truthFailed !== undefined) {
    log.error(`--truth-file ${config.truth?.file}: ${truthFailed.message}`);
    return 1;
  }
  const tx = sink.transactional;
  if (tx !== undefined)
    log.info(
      `transactions: ${tx.committed} records committed${tx.replayed > 0 ? `, ${tx.replayed} regenerated without writing (committed by an earlier run)` : ""}`,
    );
  if (totals.failed > 0 && !readerGone) {
    log.error(`${totals.failed} of ${totals.produced} messages were not delivered`);
    return 1;
  }
  return 0;
}

/** Ends a file stream once everything written to it is on disk. */
function closeFile(file: WriteStream | undefined): Promise<void> {
  return file === undefined
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        if (file.errored !== null) return reject(file.errored);
        file.once("error", reject);
        file.end(() => resolve());
      });
}

/** How primary events arrive, as the start line says it. */
function arrivalsText(config: RunConfig): string {
  if (config.scenario !== undefined)
    return `scenario ${config.scenario}${config.rate === undefined ? "" : ` at ${config.rate} a minute where its curve is 1`}`;
  if (config.arrivals === "poisson") return `Poisson arrivals, ${config.rate ?? 0} a minute`;
  if (config.arrivals === "fixed") return `one every ${60 / (config.rate ?? 1)} s`;
  return `gaps ${config.minDelayMs / 1000}–${config.maxDelayMs / 1000} s`;
}
