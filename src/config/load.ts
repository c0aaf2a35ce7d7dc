import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { utf8Text } from "../model/validation.js";
import type { RawArgs } from "./args.js";
import { resolveRunConfig } from "./resolve.js";
import type { RunConfig } from "./runConfig.js";
import { parseConfigFile, type FileConfig } from "./configFile.js";
import type { KafkaConfigFile } from "./kafkaConfig.js";

/** A file the user named, read; a missing one is a `ConfigError` naming the flag. */
export function readText(flag: string, path: string, { standardInput = false } = {}): string {
  let bytes: Buffer;
  try {
    // `-` is standard input where the flag takes it.
    bytes = readFileSync(standardInput && path === "-" ? 0 : path);
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

/** A streaming run's configuration from its arguments, its files and the environment `env`, at `now` with `randomSeed` for an unseeded run. */
export function streamConfig(
  args: RawArgs,
  {
    now,
    randomSeed,
    env,
    kafkaFile,
  }: { now: number; randomSeed: number; env: Record<string, string | undefined>; kafkaFile?: KafkaConfigFile },
): RunConfig {
  const file = readConfigFile(args.config);
  return resolveRunConfig(args, { now, randomSeed, env, file, fileName: args.config, kafkaFile });
}

/** The `--kafka-config` file named by the arguments, read. */
export function kafkaFileOf(args: { kafkaConfig?: string }): KafkaConfigFile | undefined {
  return args.kafkaConfig === undefined
    ? undefined
    : { name: args.kafkaConfig, text: readText("--kafka-config", args.kafkaConfig) };
}
