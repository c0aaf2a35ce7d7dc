import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type winston from "winston";
import type { WorkersIo } from "../app/workers.js";
import { realWall } from "../clock/realWall.js";
import { ConfigError } from "../errors.js";
import { utf8Text } from "../model/validation.js";
import type { RawArgs } from "./args.js";
import { resolveRunConfig } from "./config.js";
import type { RunConfig } from "../config/runConfig.js";
import { parseConfigFile, type FileConfig } from "./configFile.js";
import type { KafkaConfigFile } from "./kafkaConfig.js";
import type { RunIo } from "../app/run.js";

/** A file the user named, read; a missing one is a `ConfigError` naming the flag. */
export function readText(flag: string, path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      `${flag} ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : (error as Error).message}`,
    ]);
  }
  return utf8Text(bytes, `${flag} ${path}`);
}

function readConfigFile(path: string | undefined): FileConfig | undefined {
  if (path === undefined) return undefined;
  const { config, problems } = parseConfigFile(path, readText("--config", path));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** A streaming run's configuration from its arguments, its files and the environment, at `now` with `randomSeed` for an unseeded run. */
export function streamConfig(
  args: RawArgs,
  { now, randomSeed, kafkaFile }: { now: number; randomSeed: number; kafkaFile?: KafkaConfigFile },
): RunConfig {
  const file = readConfigFile(args.config);
  return resolveRunConfig(args, { now, randomSeed, env: process.env, file, fileName: args.config, kafkaFile });
}

/** The `--kafka-config` file named by the arguments, read. */
export function kafkaFileOf(args: RawArgs): KafkaConfigFile | undefined {
  return args.kafkaConfig === undefined
    ? undefined
    : { name: args.kafkaConfig, text: readText("--kafka-config", args.kafkaConfig) };
}

/** What a run in this process touches: its streams, the real clock, its signals, node-rdkafka. */
export function processIo(log: winston.Logger): RunIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    log,
    wall: realWall,
    epochNow: () => Date.now(),
    peakRssMb: () => process.resourceUsage().maxRSS / 1024,
    onSignal(handler) {
      const signals = ["SIGINT", "SIGTERM"] as const;
      for (const signal of signals) process.once(signal, handler);
      return () => signals.forEach((signal) => process.removeListener(signal, handler));
    },
    // prom-client and the server are loaded only by a run that serves them.
    startLive: async (cfg, parts) => (await import("../live/startLive.js")).startLive(cfg, parts),
    openKafka: async (cfg, logger, hooks) => (await import("../app/openKafka.js")).openKafka(cfg, logger, hooks),
    openPostgres: async (cfg, logger) => {
      const { PostgresSink } = await import("../sinks/postgres/postgresSink.js");
      const target = cfg.postgres as NonNullable<typeof cfg.postgres>;
      return PostgresSink.open({
        url: target.url,
        createTables: target.createTables,
        log: logger,
        runId: cfg.transactions?.id,
        duplicates: cfg.faults?.duplicate !== undefined,
      });
    },
  };
}

/** How this process starts the workers of `--workers` (the CLI's worker entry) and serves them as one. */
export function workersIo(log: winston.Logger): WorkersIo {
  return {
    workerScript: fileURLToPath(new URL("./worker.js", import.meta.url)),
    execArgv: process.execArgv,
    async serve(http, count, ask) {
      const [{ servingLine, startLiveServer }, { workersView }] = await Promise.all([
        import("../live/server.js"),
        import("../live/view.js"),
      ]);
      const server = await startLiveServer({
        host: http.host,
        port: http.port,
        token: http.token,
        controlLog: http.controlLog,
        view: workersView(count, ask),
        log,
        epochNow: () => Date.now(),
      });
      log.info(`${servingLine(http.host, http.port)}, the ${count} workers as one`);
      return {
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  };
}
