import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { realWall } from "../clock/realWall.js";
import { avroSchemas, protobufSchema, readSchemas } from "../data/schemas.js";
import { builtInScenarios } from "../data/scenarios.js";
import { ConfigError, SinkError } from "../errors.js";
import { resolveRunConfig } from "./config.js";
import { parseConfigFile, type FileConfig } from "./configFile.js";
import { createLogger, redactor } from "./logger.js";
import { parseCommandLine } from "./options.js";
import { runStream } from "./run.js";
import { resolveVerifyConfig, runVerify } from "./verifyCommand.js";
import { writeProfile } from "./profile.js";
import { writeSampleData } from "./sampleData.js";
import { writeGeneratedSchemas } from "./schemaFiles.js";

/** A file the user named, read; a missing one is a `ConfigError` naming the flag. */
function readText(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([`${flag} ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : (error as Error).message}`]);
  }
}

function readConfigFile(path: string | undefined): FileConfig | undefined {
  if (path === undefined) return undefined;
  const { config, problems } = parseConfigFile(path, readText("--config", path));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The command line, start to exit code. Bad input: one line on stderr, exit 2. */
export async function main(argv: string[]): Promise<number> {
  // Secrets of the Kafka settings, once known: scrubbed from everything the CLI writes.
  let redact = (text: string): string => text;
  try {
    const parsed = await parseCommandLine(argv, (text) => process.stdout.write(text + "\n"), process.env);
    if (parsed.command === "done") return 0;
    if (parsed.command === "schemas") {
      if (parsed.write) {
        for (const file of writeGeneratedSchemas()) process.stderr.write(`wrote ${file}\n`);
        return 0;
      }
      process.stdout.write(parsed.format === "protobuf" ? protobufSchema() : JSON.stringify(parsed.format === "avro" ? avroSchemas() : readSchemas(), null, 2) + "\n");
      return 0;
    }
    if (parsed.command === "sample-data") {
      for (const file of writeSampleData(parsed)) process.stderr.write(`wrote ${file}\n`);
      return 0;
    }
    if (parsed.command === "list-scenarios") {
      for (const { name, description } of builtInScenarios()) process.stdout.write(`${name.padEnd(14)} ${description}\n`);
      return 0;
    }
    const kafkaFile = parsed.args.kafkaConfig === undefined ? undefined : { name: parsed.args.kafkaConfig, text: readText("--kafka-config", parsed.args.kafkaConfig) };
    if (parsed.command === "verify") {
      const config = resolveVerifyConfig(parsed.args, process.env, kafkaFile);
      redact = redactor(config.kafka.secrets);
      return await runVerify(config, (line) => process.stdout.write(line + "\n"), createLogger(config.logLevel, redact));
    }
    const file = readConfigFile(parsed.args.config);
    const config = resolveRunConfig(parsed.args, { now: Date.now(), randomSeed: randomInt(2 ** 31 - 1), env: process.env, file, fileName: parsed.args.config, kafkaFile });
    redact = redactor([...config.kafka.secrets, ...(config.http?.token === undefined ? [] : [config.http.token])]);
    const log = createLogger(config.logLevel, redact);
    if (parsed.command === "profile") {
      const { events, hours } = await writeProfile(config, parsed.out, log);
      log.info(`wrote ${parsed.out}: ${events} events over ${hours} hours`);
      return 0;
    }
    return await runStream(config, {
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
      openKafka: async (cfg, logger, hooks) => (await import("./kafka.js")).openKafka(cfg, logger, hooks),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(redact(`retail-stream: ${error.problems.join("; ")}\n`));
      return 2;
    }
    if (error instanceof SinkError) {
      process.stderr.write(redact(`retail-stream: ${error.message}\n`));
      return 1;
    }
    throw error;
  }
}
