import { fork } from "node:child_process";
import type winston from "winston";
import { every } from "../clock/every.js";
import { readChain } from "../data/chainFiles.js";
import { ConfigError } from "../errors.js";
import { shardStores } from "../streams/shard.js";
import type { RunConfig } from "../config/runConfig.js";
import { writeOutput } from "./outputFiles.js";
import { sumCounts, summaryLine } from "./report.js";
import type { RunIo, RunSnapshot } from "./run.js";
import type { LiveAsk, WorkerAsk, WorkerData, WorkerMessage } from "./workerProtocol.js";

/** How the parent of `--workers` starts its workers, and serves them as one with `--http`. */
export interface WorkersIo {
  /** The module a worker process runs (the CLI's worker entry). */
  workerScript: string;
  /** Node's flags for the workers (this process's, say). */
  execArgv: readonly string[];
  /** Serves the endpoints of `--http` over the workers' answers; resolves once listening, with how to stop. */
  serve?: (
    http: NonNullable<RunConfig["http"]>,
    count: number,
    ask: (index: number, question: WorkerAsk) => Promise<unknown>,
  ) => Promise<{ close(): Promise<void> }>;
}

/** The workers' snapshots as one: counts summed, peaks summed, the simulated span from the earliest to the latest. */
function combined(snapshots: readonly RunSnapshot[]): RunSnapshot {
  const sum = (pick: (s: RunSnapshot) => number): number => snapshots.reduce((total, s) => total + pick(s), 0);
  const times = (pick: (s: RunSnapshot) => number | undefined): number[] =>
    snapshots.map(pick).filter((t): t is number => t !== undefined);
  const first = times((s) => s.firstTime);
  const last = times((s) => s.lastTime);
  return {
    produced: sum((s) => s.produced),
    delivered: sum((s) => s.delivered),
    failed: sum((s) => s.failed),
    inFlight: sum((s) => s.inFlight),
    peakInFlight: sum((s) => s.peakInFlight),
    primary: sum((s) => s.primary),
    truthRows: sum((s) => s.truthRows),
    labelRows: sum((s) => s.labelRows),
    byType: sumCounts(snapshots.map((s) => s.byType)),
    faults: sumCounts(snapshots.map((s) => s.faults)),
    firstTime: first.length === 0 ? undefined : Math.min(...first),
    lastTime: last.length === 0 ? undefined : Math.max(...last),
  };
}

/** Copies a worker's output in whole lines (several workers share one stdout), holding it while stdout is full. */
function forwardLines(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream): void {
  if (from === null) return;
  let rest = "";
  from.setEncoding("utf8");
  from.on("data", (chunk: string) => {
    const text = rest + chunk;
    const end = text.lastIndexOf("\n") + 1;
    rest = text.slice(end);
    if (end > 0 && !to.write(text.slice(0, end))) {
      from.pause();
      to.once("drain", () => from.resume());
    }
  });
  from.on("end", () => {
    if (rest !== "") to.write(rest);
  });
}

/** How long the parent waits for a worker's live answer before it counts the worker's last one. */
const ANSWER_MS = 2000;

/**
 * Runs `config.workers` worker processes (node-rdkafka is not safe in worker
 * threads), each the shard `i/N` of the run with its own producer, started
 * with this process's clock reading and seed (so their streams together are
 * the `--shard` runs' of that seed); prints one stats line and one summary for
 * all (peak RSS: this process and the workers' peaks together); a signal stops
 * them all. With --http this process serves the endpoints, the workers' live
 * sides seen as one (`workersView`). The exit code is the worst of theirs.
 */
export async function runWorkers(
  config: RunConfig,
  {
    argv,
    now,
    randomSeed,
    log,
    io,
    workers: spawning,
  }: { argv: string[]; now: number; randomSeed: number; log: winston.Logger; io: RunIo; workers: WorkersIo },
): Promise<number> {
  const count = config.workers as number;
  const chain = readChain(config.dataDir);
  const empty = Array.from({ length: count }, (_, i) => i).filter(
    (i) => shardStores(chain.stores, { index: i, count }).length === 0,
  );
  if (empty.length > 0)
    throw new ConfigError([
      `--workers ${count}: shard ${empty.map((i) => `${i}/${count}`).join(", ")} would have none of the chain's ${chain.stores.length} stores; use fewer workers`,
    ]);
  // The workers append their truth rows to one file, made here once.
  if (config.truth?.file !== undefined) writeOutput("--truth-file", config.truth.file, "");
  log.info(
    `seed ${config.seed}${config.seedGiven ? "" : ` (pass --seed ${config.seed} to replay this run)`}; ${count} workers, one shard each`,
  );
  const started = io.wall.now();
  const latest: RunSnapshot[] = [];
  const final: Array<RunSnapshot | undefined> = [];
  const codes: number[] = [];
  const removers: Array<() => void> = [];
  const children: Array<import("node:child_process").ChildProcess> = [];
  const answers = new Map<number, (answer: unknown) => void>();
  let asked = 0;
  const ask = (index: number, question: WorkerAsk): Promise<unknown> =>
    new Promise((resolve) => {
      const child = children[index];
      if (child === undefined || !child.connected) return resolve(undefined);
      const id = (asked += 1);
      const timer = setTimeout(() => {
        answers.delete(id);
        resolve(undefined);
      }, ANSWER_MS);
      answers.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      child.send({ kind: "live", id, ...question } as LiveAsk);
    });
  // Listening before any worker starts: an address in use is then the only line printed.
  if (config.http !== undefined && spawning.serve === undefined) throw new Error("no live server available");
  const server = config.http === undefined ? undefined : await spawning.serve?.(config.http, count, ask);
  const workers = Array.from({ length: count }, (_, index) => {
    const data: WorkerData = { argv, now, randomSeed, index, count };
    // A young generation of 4 MB semi-spaces, as the command has (its #! line): less memory per worker, at the same speed.
    const child = fork(spawning.workerScript, [JSON.stringify(data)], {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
      execArgv: [...spawning.execArgv, "--max-semi-space-size=4"],
    });
    child.on("message", (message: WorkerMessage) => {
      if (message.kind === "progress") latest[index] = message.snapshot;
      else if (message.kind === "done") final[index] = message.snapshot;
      else if (message.kind === "live") {
        answers.get(message.id)?.(message.answer);
        answers.delete(message.id);
      } else {
        codes[index] = message.code;
        if (message.error !== undefined) log.error(`worker ${index}: ${message.error}`);
      }
    });
    children[index] = child;
    forwardLines(child.stdout, io.stdout);
    removers.push(() => {
      if (child.connected) child.send("stop");
    });
    return new Promise<void>((resolve) => {
      child.on("error", (error) => log.error(`worker ${index} failed: ${error.message}`));
      child.on("close", (exitCode, signal) => {
        if (codes[index] === undefined) {
          codes[index] = exitCode ?? 1;
          log.error(
            `worker ${index} ended ${signal === null ? `with exit code ${exitCode}` : `by ${signal}`} before its summary`,
          );
        }
        resolve();
      });
    });
  });
  const removeSignals = io.onSignal((signal) => {
    log.info(`stopping on ${signal}`);
    for (const stop of removers) stop();
  });
  let mark = { at: started, produced: 0 };
  const stopStats = every(io.wall, config.statsIntervalMs, () => {
    const now = combined(latest.filter((s) => s !== undefined));
    const rate = ((now.produced - mark.produced) * 1000) / Math.max(1, io.wall.now() - mark.at);
    mark = { at: io.wall.now(), produced: now.produced };
    log.info(
      `stats: ${rate.toFixed(1)} events/s, produced ${now.produced}, delivered ${now.delivered}, failed ${now.failed}, in flight ${now.inFlight} (${count} workers)`,
    );
  });
  await Promise.all(workers);
  stopStats();
  removeSignals();
  await server?.close();
  const total = combined(final.map((s, i) => s ?? latest[i]).filter((s): s is RunSnapshot => s !== undefined));
  // Memory of the whole run: this process and every worker's peak.
  const rss =
    io.peakRssMb() +
    Array.from({ length: count }, (_, i) => (final[i] ?? latest[i])?.peakRssMb ?? 0).reduce((a, b) => a + b, 0);
  io.stderr.write(
    `${new Date(io.epochNow()).toISOString()} info  ${summaryLine({ ...total, peakRssMb: rss, elapsedMs: io.wall.now() - started })}\n`,
  );
  const code = Math.max(0, ...Array.from({ length: count }, (_, i) => codes[i] ?? 1));
  if (total.failed > 0 && code === 1) log.error(`${total.failed} of ${total.produced} messages were not delivered`);
  return code;
}
