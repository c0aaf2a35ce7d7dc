import type { Writable } from "node:stream";
import type winston from "winston";
import type { Driver, WallClock } from "../clock/driver.js";
import { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import { every } from "../clock/every.js";
import { readChain } from "../data/chainFiles.js";
import { createWriteStream, type WriteStream } from "node:fs";
import type { TruthRow } from "../model/truth.js";
import { uniformArrivals } from "../model/arrivals.js";
import { Steering } from "../streams/steering.js";
import type { LiveParts, LiveSide, StartLive } from "./liveSide.js";
import { appendOutput, writeOutput } from "./outputFiles.js";
import type { DeliveryTotals, Sink, SinkTotals } from "../sinks/sink.js";
import { recordsOf, type ManifestRow } from "./records.js";
import { runToSink } from "./runToSink.js";
import type { RunConfig } from "../config/runConfig.js";
import { eventOptions, type EventOptions } from "./eventOptions.js";
import { showBackfillProgress } from "./progress.js";
import { RunReport } from "./report.js";
import { openRunSink, type SinkOpeners } from "./openSinks.js";
import type { RunCounts } from "./runCounts.js";
import { LoadWatch } from "./loadWatch.js";
import { reportCapacity, searchCapacity, type CapacityResult } from "./capacity.js";

/** What a run touches outside itself: streams, the clocks, signals (and, in tests, its sinks' openers). */
export interface RunIo extends SinkOpeners {
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
  /** Starts the live endpoints of `--http` (kept apart so a run without them never loads the server or prom-client). */
  startLive?: StartLive;
  /** A worker of `--workers`: tells its parent (which prints one stats line and one summary for all) instead of printing its own. */
  worker?: {
    progress(snapshot: RunSnapshot): void;
    done(snapshot: RunSnapshot): void;
  };
}

/** Where a run stands: its counters, its peak in flight and the span of simulated time it made. */
export interface RunSnapshot extends RunCounts, SinkTotals {
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
    labelRows: report.labelRows,
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
  load?: LoadWatch,
): void {
  const { log, wall } = io;
  const removeSignals = io.onSignal((signal) => {
    log.info(`stopping on ${signal}`);
    driver.stop();
  });
  const { worker } = io;
  const stopStats =
    worker === undefined
      ? every(wall, config.statsIntervalMs, () => report.stats(sink, wall.now(), driver.lag(), load?.text()))
      : every(wall, 250, () => worker.progress(snapshot(report, sink.totals(), sink)));
  // The pipeline's lag and latency, every second (a capacity search samples them itself).
  const stopLoad =
    load === undefined || config.load?.capacity !== undefined
      ? () => undefined
      : every(wall, 1000, () => void load.sample());
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
    stopLoad();
    removeSignals();
  });
}

/** Streams events per `config` until done, stopped or failed; returns the exit code. Bad input throws `ConfigError` before any sink opens. */
export async function runStream(given: RunConfig, io: RunIo): Promise<number> {
  const { log } = io;
  const chain = readChain(given.dataDir);
  if (io.worker === undefined) prepareOutputFiles(given);
  // Bad input (a scenario, an empty shard) is found here, before any sink opens.
  let options = await eventOptions(given, chain, log);
  const { sink, config, point, kafkaStats } = await openRunSink(given, chain, options, io);
  // A resumed run takes the checkpoint's seed and start: its options are made again from them.
  if (config !== given) options = await eventOptions(config, chain, log);
  log.info(
    `seed ${config.seed}${config.seedGiven ? "" : ` (pass --seed ${config.seed} to replay this run)`}; ${chain.stores.length} stores, ${chain.products.length} products; ${arrivalsText(config)}`,
  );

  const scheduler = new SimulatedScheduler(config.start);
  const report = new RunReport(log, io.wall.now(), config.load?.capacity !== undefined);
  const steering = steeringOf(config, options);
  if (steering !== undefined) options = { ...options, ...steering.options() };
  const load = await openLoad(config, io, sink);
  load?.countMade(() => report.primary);
  const live =
    steering === undefined || config.http === undefined
      ? undefined
      : await startLiveSide(config, io, { sink, report, scheduler, steering, chain, kafkaStats, load }).catch(
          (error: unknown) => {
            load?.close();
            throw error;
          },
        );
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
  let search: Promise<CapacityResult> | undefined;
  const truthFile = jsonLinesFile<TruthRow>(config.truth?.file);
  const manifest = jsonLinesFile<ManifestRow>(config.faultManifest);
  const files = [truthFile, manifest].flatMap((f) => (f === undefined ? [] : [f]));
  try {
    const truth = config.truth === undefined ? undefined : { ...config.truth, write: truthFile?.write };
    const records$ = recordsOf(options, config, {
      scheduler,
      chain,
      report,
      live,
      fastUntil,
      truth,
      manifest: manifest?.write,
      epochNow: io.epochNow,
      load: config.load?.producedHeader === true ? load : undefined,
    });
    totals = await runToSink(records$, sink, {
      scheduler,
      wall: io.wall,
      speed: config.speed,
      fastUntil,
      flushTimeoutS: config.flushTimeoutMs / 1000,
      onDriver: (driver) => {
        live?.setDriver(driver);
        watch(driver, scheduler, sink, report, config, io, load);
        if (load !== undefined && steering !== undefined && config.load?.capacity !== undefined)
          search = searchCapacity(config.load.capacity, { load, steering, driver, wall: io.wall, log });
      },
    });
  } catch (failure) {
    load?.close();
    await Promise.all(files.map((f) => f.close().catch(() => undefined)));
    await live?.close();
    writeSummary(report, sink.totals(), sink, io);
    log.error(`failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    return 1;
  }
  const flags = new Map<unknown, string>([
    [truthFile, "--truth-file"],
    [manifest, "--fault-manifest"],
  ]);
  const fileFailures = (
    await Promise.all(
      files.map((f) =>
        f.close().then(
          () => undefined,
          (error: Error) => `${flags.get(f)} ${f.path}: ${error.message}`,
        ),
      ),
    )
  ).filter((failure) => failure !== undefined);
  await live?.close();
  load?.close();
  writeSummary(report, totals, sink, io);
  // The pipeline's lag and latency over the whole run, beside the totals.
  const loadText = load?.text() ?? "";
  if (loadText !== "") log.info(`load test: ${loadText.slice(2)}`);
  if (search !== undefined && config.load?.capacity !== undefined)
    fileFailures.push(...(await reportCapacity(await search, config.load.capacity, load as LoadWatch, io)));
  if (fileFailures.length > 0) {
    for (const failure of fileFailures) log.error(failure);
    return 1;
  }
  return endOf(sink, totals, readerGone, log);
}

/**
 * Made (or emptied) before anything runs, by the process that runs alone or starts the workers (they append to
 * the files it made): a place that cannot be written is bad input. Every change made through /control is
 * logged before it is made.
 */
function prepareOutputFiles(config: RunConfig): void {
  if (config.truth?.file !== undefined) writeOutput("--truth-file", config.truth.file, "");
  if (config.faultManifest !== undefined) writeOutput("--fault-manifest", config.faultManifest, "");
  if (config.http?.controlLog !== undefined) appendOutput("--control-log", config.http.controlLog);
}

/** A finished run's last lines and exit code: 1 when records were not delivered (unless their reader went away). */
function endOf(sink: Sink, totals: DeliveryTotals, readerGone: boolean, log: winston.Logger): number {
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
function closeFile(file: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (file.errored !== null) return reject(file.errored);
    file.once("error", reject);
    file.end(() => resolve());
  });
}

/**
 * A JSON-lines file the run appends rows to (`--truth-file`, `--fault-manifest`; workers share the file their
 * parent made), through a stream: the run never waits on a disk write per row. Its first write error is what
 * `close` rejects with.
 */
function jsonLinesFile<T>(
  path: string | undefined,
): { path: string; write: (row: T) => void; close: () => Promise<void> } | undefined {
  if (path === undefined) return undefined;
  const file = createWriteStream(path, { flags: "a" });
  let failed: Error | undefined;
  file.on("error", (error) => (failed ??= error));
  return {
    path,
    write: (row) => void file.write(JSON.stringify(row) + "\n"),
    close: () => (failed !== undefined ? Promise.reject(failed) : closeFile(file)),
  };
}

/** The run's steering (rate, mix, scenario): only when it can be steered, with --http. */
function steeringOf(config: RunConfig, options: EventOptions): Steering | undefined {
  return config.http === undefined && config.load?.capacity === undefined
    ? undefined
    : new Steering({
        arrivals: options.arrivals ?? uniformArrivals(config.minDelayMs, config.maxDelayMs),
        weights: options.weights ?? config.weights,
        storeWeight: options.storeWeight,
        scenario: options.scenario,
        scenarioName: config.scenario,
        schemaVersion: options.schemaVersion,
      });
}

/** Starts the run's live endpoints; the sink, already open, is closed if they cannot start. */
async function startLiveSide(
  config: RunConfig,
  io: RunIo,
  parts: Pick<LiveParts, "sink" | "report" | "scheduler" | "steering" | "chain" | "kafkaStats" | "load">,
): Promise<LiveSide> {
  try {
    if (io.startLive === undefined) throw new Error("no live server available");
    return await io.startLive(config, {
      ...parts,
      log: io.log,
      wallNow: () => io.wall.now(),
      epochNow: io.epochNow,
      serve: io.worker === undefined,
    });
  } catch (error) {
    await parts.sink.close(1000);
    throw error;
  }
}

/** How primary events arrive, as the start line says it. */
function arrivalsText(config: RunConfig): string {
  const profile = config.rateProfile === undefined ? undefined : `rate profile ${config.rateProfile.text}`;
  if (config.scenario !== undefined)
    return `scenario ${config.scenario}${config.rate === undefined ? "" : ` at ${config.rate} a minute where its curve is 1`}${profile === undefined ? "" : `, ${profile}`}`;
  if (profile !== undefined) return `Poisson arrivals, ${profile}`;
  if (config.arrivals === "poisson") return `Poisson arrivals, ${config.rate ?? 0} a minute`;
  if (config.arrivals === "fixed") return `one every ${60 / (config.rate ?? 1)} s`;
  return `gaps ${config.minDelayMs / 1000}–${config.maxDelayMs / 1000} s`;
}

/** Opens the watch over the pipeline a load test feeds; the sink, already open, is closed if it cannot. */
async function openLoad(config: RunConfig, io: RunIo, sink: Sink): Promise<LoadWatch | undefined> {
  if (config.load === undefined) return undefined;
  try {
    return await LoadWatch.open(config, io.epochNow);
  } catch (error) {
    await sink.close(1000);
    throw error;
  }
}
