import { ConfigError } from "../errors.js";
import { labelsTopicOf, REFERENCE_TOPICS, TRUTH_TOPIC } from "../wire/envelope.js";
import { parseTopics, topicPrefix } from "../config/configSections.js";
import { VERIFY_OPTIONS, defaultOf, rangeOf, type ArgsOf } from "../config/optionTable.js";
import { MAX_MINUTES } from "../model/limits.js";
import { kafkaConfig, type KafkaConfigFile } from "../config/kafkaConfig.js";
import { LOG_LEVELS, type LogLevel } from "../config/logLevels.js";
import type { ReadStart } from "../sinks/kafka/kafkaReader.js";
import type { VerifyConfig } from "./verifyRun.js";
import { Problems } from "../config/problems.js";
import { postgresConfig } from "../config/resolve.js";

/** The options of `verify` as yargs hands them over: derived from its option table. */
export type VerifyArgs = ArgsOf<typeof VERIFY_OPTIONS>;

/** Resolves `verify`'s options; every problem in one `ConfigError`. */
export function resolveVerifyConfig(
  args: VerifyArgs,
  env: Record<string, string | undefined>,
  kafkaFile?: KafkaConfigFile,
): VerifyConfig {
  const p = new Problems();
  const prefix = topicPrefix(args.topicPrefix, p);
  const topics = parseTopics(args.topic, p, prefix);
  const kafka = kafkaConfig(args, env, p, kafkaFile);
  const since = p.date("--since", args.since);
  let start: ReadStart = since === undefined ? { from: "beginning" } : { from: "time", time: since };
  if (args.offsets !== undefined) {
    const offsets = new Map<string, number>();
    for (const entry of args.offsets.split(",")) {
      const match = /^(.+):(\d+):(\d+)$/.exec(entry.trim());
      if (match === null) p.add(`--offsets: "${entry}" is not topic:partition:offset`);
      else offsets.set(`${match[1]}:${match[2]}`, Number(match[3]));
    }
    if (since !== undefined) p.add("--since and --offsets both say where to start: use one");
    start = { from: "offsets", offsets };
  }
  if (args.input !== undefined && (args.since !== undefined || args.offsets !== undefined))
    p.add("--input reads a whole file: --since and --offsets apply to Kafka");
  const maxRecords = p.number("--max-records", args.maxRecords, rangeOf(VERIFY_OPTIONS, "max-records"));
  const idleMs =
    (p.number("--idle", args.idle ?? defaultOf(VERIFY_OPTIONS, "idle"), rangeOf(VERIFY_OPTIONS, "idle")) ?? 1) * 1000;
  const show = p.number("--show", args.show ?? defaultOf(VERIFY_OPTIONS, "show"), rangeOf(VERIFY_OPTIONS, "show")) ?? 0;
  const leadTimeMs =
    (p.minutes("--lead-time", args.leadTime ?? defaultOf(VERIFY_OPTIONS, "lead-time"), { max: MAX_MINUTES }) ?? 0) *
    60_000;
  const logLevel = (args.logLevel ?? defaultOf(VERIFY_OPTIONS, "log-level")).toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) p.add(`--log-level: "${args.logLevel}" is not one of ${LOG_LEVELS.join(", ")}`);
  const postgres =
    args.postgres === undefined ? undefined : postgresConfig("postgres", args.postgres, undefined, env, p)?.url;
  if (args.postgres !== undefined && (args.since !== undefined || args.offsets !== undefined))
    p.add("--postgres reads the whole database: --since and --offsets apply to Kafka");
  if (p.list.length > 0) throw new ConfigError(p.list);
  const referenceTopics = {
    stores: `${prefix}${REFERENCE_TOPICS.stores}`,
    products: `${prefix}${REFERENCE_TOPICS.products}`,
  };
  return {
    postgres,
    logLevel,
    topics,
    truthTopic: args.truthTopic ?? `${prefix}${TRUTH_TOPIC}`,
    labelsTopic: labelsTopicOf(prefix),
    referenceTopics,
    kafka,
    start,
    maxRecords,
    idleMs,
    show,
    leadTimeMs,
    dataDir: args.data,
    input: args.input,
  };
}
