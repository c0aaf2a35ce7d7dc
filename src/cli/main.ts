import { randomInt } from "node:crypto";
import { ConfigError, SinkError } from "../errors.js";
import { kafkaFileOf, streamConfig } from "../config/load.js";
import { processIo, workersIo } from "./io.js";
import { createLogger, redactor } from "./logger.js";
import { parseCommandLine } from "./options.js";

// Each command loads what it runs, no more: the parent of --workers, which only starts and watches
// them, stays without the generator, the Kafka client and the registry formats.

/** The command line, start to exit code. Bad input: one line on stderr, exit 2. */
export async function main(argv: string[]): Promise<number> {
  // Secrets of the Kafka settings, once known: scrubbed from everything the CLI writes.
  let redact = (text: string): string => text;
  try {
    const parsed = await parseCommandLine(argv, (text) => process.stdout.write(text + "\n"), process.env);
    if (parsed.command === "done") return 0;
    if (parsed.command === "schemas") {
      if (parsed.write) {
        const { writeGeneratedSchemas } = await import("../app/schemaFiles.js");
        for (const file of writeGeneratedSchemas()) process.stderr.write(`wrote ${file}\n`);
        return 0;
      }
      const { schemasText } = await import("../app/schemasCommand.js");
      process.stdout.write(await schemasText(parsed, process.env));
      return 0;
    }
    if (parsed.command === "sample-data") {
      const { writeSampleData } = await import("../app/sampleData.js");
      for (const file of writeSampleData(parsed)) process.stderr.write(`wrote ${file}\n`);
      return 0;
    }
    if (parsed.command === "list-scenarios") {
      const { scenarioList } = await import("../app/sampleData.js");
      process.stdout.write(scenarioList());
      return 0;
    }
    const kafkaFile = kafkaFileOf(parsed.args);
    if (parsed.command === "verify") {
      const { resolveVerifyConfig } = await import("../app/verifyConfig.js");
      const { runVerify } = await import("../app/verifyRun.js");
      const config = resolveVerifyConfig(parsed.args, process.env, kafkaFile);
      redact = redactor(config.kafka.secrets);
      return await runVerify(
        config,
        (line) => process.stdout.write(line + "\n"),
        createLogger(config.logLevel, redact),
      );
    }
    if (parsed.command === "judge") {
      if (parsed.args.example !== undefined) {
        const { exampleMapping } = await import("../app/judgeRun.js");
        process.stdout.write(JSON.stringify(exampleMapping(parsed.args.example as never), null, 2) + "\n");
        return 0;
      }
      const { resolveJudgeConfig, runJudge } = await import("../app/judgeRun.js");
      const config = resolveJudgeConfig(parsed.args, process.env, kafkaFile);
      redact = redactor(config.kafka.secrets);
      return await runJudge(config, (line) => process.stdout.write(line + "\n"), createLogger("warn", redact));
    }
    const now = Date.now();
    const randomSeed = randomInt(2 ** 31 - 1);
    const config = streamConfig(parsed.args, { now, randomSeed, env: process.env, kafkaFile });
    redact = redactor([...config.kafka.secrets, ...(config.http?.token === undefined ? [] : [config.http.token])]);
    const log = createLogger(config.logLevel, redact);
    log.debug(`node ${process.version}${process.execArgv.length > 0 ? ` ${process.execArgv.join(" ")}` : ""}`);
    // Several threads, one shard each: started with this process's clock and seed, so they are one run.
    if (config.workers !== undefined && config.workers > 1 && parsed.command === "stream") {
      const { runWorkers } = await import("../app/workers.js");
      return await runWorkers(config, { argv, now, randomSeed, log, io: processIo(log), workers: workersIo(log) });
    }
    if (parsed.command === "profile") {
      const { writeProfile } = await import("../app/profile.js");
      const { events, hours } = await writeProfile(config, parsed.out, log);
      log.info(`wrote ${parsed.out}: ${events} events over ${hours} hours`);
      return 0;
    }
    const { runStream } = await import("../app/run.js");
    return await runStream(config, processIo(log));
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
