// One thread of `--workers`: a shard of the run, with its own producer, reporting to the parent thread.
import { parentPort, workerData } from "node:worker_threads";
import { kafkaFileOf, processIo, streamConfig } from "./loadConfig.js";
import { createLogger, redactor } from "./logger.js";
import { parseCommandLine } from "./options.js";
import { runStream } from "./run.js";

/** What the parent hands a worker: the command line, and the clock reading and seed that make the threads one run. */
export interface WorkerData {
  argv: string[];
  now: number;
  randomSeed: number;
  index: number;
  count: number;
}

/** What a worker tells its parent. */
export type WorkerMessage =
  | { kind: "progress"; snapshot: import("./run.js").RunSnapshot }
  | { kind: "done"; snapshot: import("./run.js").RunSnapshot }
  | { kind: "exit"; code: number; error?: string };

const port = parentPort;
if (port === null) throw new Error("worker.js runs as a worker thread of --workers");
const data = workerData as WorkerData;
const send = (message: WorkerMessage): void => port.postMessage(message);

let code = 1;
try {
  const parsed = await parseCommandLine(data.argv, () => undefined, process.env);
  if (parsed.command !== "stream") throw new Error(`a worker runs streams, not ${parsed.command}`);
  const args = { ...parsed.args, workers: undefined, shard: `${data.index}/${data.count}` };
  const config = streamConfig(args, { now: data.now, randomSeed: data.randomSeed, kafkaFile: kafkaFileOf(args) });
  // The parent says the run's lines once; a worker says only what goes wrong (or everything, at debug).
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn", redactor(config.kafka.secrets));
  const io = processIo(log);
  code = await runStream(config, {
    ...io,
    onSignal(handler) {
      const listener = (message: unknown): void => {
        if (message === "stop") handler("the parent's signal");
      };
      port.on("message", listener);
      return () => port.off("message", listener);
    },
    worker: { progress: (snapshot) => send({ kind: "progress", snapshot }), done: (snapshot) => send({ kind: "done", snapshot }) },
  });
  send({ kind: "exit", code });
} catch (error) {
  send({ kind: "exit", code: 1, error: error instanceof Error ? error.message : String(error) });
}
process.stdout.write("", () => process.exit(code));
