// One worker of `--workers`: a child process running a shard of the run with its own producer, reporting to its parent.
// (Processes, not threads: node-rdkafka's native module is not safe in worker threads.)
import { kafkaFileOf, streamConfig } from "../config/load.js";
import { processIo } from "./io.js";
import { createLogger, redactor } from "./logger.js";
import { parseCommandLine } from "./options.js";
import { runStream } from "../app/run.js";
import { workerShare, type LiveAsk, type WorkerData, type WorkerMessage } from "../app/workerProtocol.js";
import type { Live } from "../live/startLive.js";
import { workerAnswers } from "../live/view.js";

/** Answers the parent's live questions about this worker's run. */
function answerLive(getLive: () => Live | undefined): void {
  const answer = workerAnswers(getLive);
  process.on("message", (message: unknown) => {
    const asked = message as LiveAsk;
    if (typeof message !== "object" || message === null || asked.kind !== "live") return;
    const reply = (value: unknown): void => send({ kind: "live", id: asked.id, answer: value });
    // A question that failed here: a control change this worker could not check is refused; anything else counts as no answer.
    answer(asked).then(reply, (error: unknown) =>
      reply(
        asked.ask === "check"
          ? [`worker ${data.index}: ${error instanceof Error ? error.message : String(error)}`]
          : null,
      ),
    );
  });
}

if (process.send === undefined || process.argv[2] === undefined)
  throw new Error("worker.js runs as a child of --workers");
const data = JSON.parse(process.argv[2]) as WorkerData;
const send = (message: WorkerMessage): void => void process.send?.(message);

let code = 1;
try {
  const parsed = await parseCommandLine(data.argv, () => undefined, process.env);
  if (parsed.command !== "stream") throw new Error(`a worker runs streams, not ${parsed.command}`);
  // The in-flight bounds are the run's: each worker takes its share (`--count` each takes whole: it counts the skeleton).
  const share = workerShare(
    {
      maxInFlight: parsed.args.maxInFlight === undefined ? undefined : Number(parsed.args.maxInFlight),
      maxInFlightMb: parsed.args.maxInFlightMb === undefined ? undefined : Number(parsed.args.maxInFlightMb),
    },
    data.count,
  );
  const args = {
    ...parsed.args,
    workers: undefined,
    shard: `${data.index}/${data.count}`,
    maxInFlight: String(share.maxInFlight),
    maxInFlightMb: String(share.maxInFlightMb),
  };
  const config = streamConfig(args, {
    now: data.now,
    randomSeed: data.randomSeed,
    env: process.env,
    kafkaFile: kafkaFileOf(args),
  });
  // The parent says the run's lines once; a worker says only what goes wrong (or everything, at debug).
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn", redactor(config.kafka.secrets));
  const io = processIo(log);
  let live: Live | undefined;
  if (config.http !== undefined) answerLive(() => live);
  code = await runStream(config, {
    ...io,
    // prom-client and the server are loaded only by a run that serves them.
    startLive: async (cfg, parts) => (live = await (await import("../live/startLive.js")).startLive(cfg, parts)),
    onSignal(handler) {
      // The parent's word, or the terminal's Ctrl-C (the whole process group gets it).
      const listener = (message: unknown): void => {
        if (message === "stop") handler("the parent's signal");
      };
      process.on("message", listener);
      const removeSignals = io.onSignal(handler);
      return () => {
        process.off("message", listener);
        removeSignals();
      };
    },
    worker: {
      progress: (snapshot) => send({ kind: "progress", snapshot: { ...snapshot, peakRssMb: io.peakRssMb() } }),
      done: (snapshot) => send({ kind: "done", snapshot: { ...snapshot, peakRssMb: io.peakRssMb() } }),
    },
  });
  send({ kind: "exit", code });
} catch (error) {
  send({ kind: "exit", code: 1, error: error instanceof Error ? error.message : String(error) });
}
process.stdout.write("", () => {
  process.disconnect?.();
  process.exit(code);
});
