import { existsSync, statSync } from "node:fs";
import { isDebezium, outputShapeOf } from "./runConfig.js";
import { parseRateProfile, type RateProfile } from "../model/rateProfile.js";
import { LATEST_VERSION, isSchemaVersion } from "../model/profiles.js";
import type { SchemaVersion } from "../model/events.js";
import { REFERENCE_TOPICS } from "../wire/envelope.js";
import { ConfigError } from "../errors.js";
import { DEFAULT_WEIGHTS, type Weights } from "../model/weights.js";
import type { ChannelRates } from "../model/aftercare.js";
import type { RawArgs } from "./args.js";
import type { FileConfig } from "./configFile.js";
import { LOG_LEVELS, type LogLevel } from "./logLevels.js";
import { kafkaConfig, type KafkaConfigFile } from "./kafkaConfig.js";
import type { RunConfig } from "./runConfig.js";
import { Problems } from "./problems.js";
import { parseFaults } from "./faults.js";
import { parseWeights } from "./weights.js";
import { STREAM_OPTIONS, defaultOf, rangeOf, relationProblems } from "./optionTable.js";
import { MAX_MINUTES } from "../model/limits.js";
import { LATEST, TIME_RANGE } from "../model/isoTime.js";

/** `store=0.13,online=0.2` (either or both): shares from 0 to 1 by channel. */
function channelRates(flag: string, text: string | undefined, p: Problems): Partial<ChannelRates> | undefined {
  if (text === undefined) return undefined;
  const rates: Partial<ChannelRates> = {};
  for (const part of text.split(",")) {
    const match = /^\s*(store|online)\s*=\s*(\S+)\s*$/.exec(part);
    if (match === null) {
      p.add(`${flag}: "${part}" is not store=<share> or online=<share> (e.g. store=0.13,online=0.2)`);
      continue;
    }
    const value = p.number(`${flag} ${match[1]}`, match[2], { min: 0, max: 1 });
    if (value !== undefined) rates[match[1] as keyof ChannelRates] = value;
  }
  return rates;
}

/** Longest --duration, in minutes (a century of simulated time). */
const MAX_RUN_MINUTES = 100 * 525_600;
import { loadConfig } from "./loadOptions.js";
import { httpConfig, parseTopics, topicPrefix, truthConfig } from "./configSections.js";

export interface Context {
  /** The real clock, epoch ms (the CLI reads it; this function stays pure). */
  now: number;
  /** A seed for when `--seed` is not given. */
  randomSeed: number;
  env: Record<string, string | undefined>;
  file?: FileConfig;
  /** The config file's path, to name it in problems with its values. */
  fileName?: string;
  /** The `--kafka-config` file, read. */
  kafkaFile?: KafkaConfigFile;
}

/** Resolves a run's configuration; gathers every problem into one `ConfigError`. */
export function resolveRunConfig(
  args: RawArgs,
  { now, randomSeed, env, file = {}, fileName = "", kafkaFile }: Context,
): RunConfig {
  const p = new Problems();
  const { minS, maxS } = timingOf(args, file, fileName, p);

  let weights: Weights = file.weights ?? DEFAULT_WEIGHTS;
  if (args.weights !== undefined) {
    const parsed = parseWeights(args.weights);
    parsed.problems.forEach((problem) => p.add(problem));
    weights = parsed.weights;
  }
  const seed = p.number("--seed", args.seed, rangeOf(STREAM_OPTIONS, "seed"));
  const returns = channelRates("--return-rate", args.returnRate, p);
  const declines = channelRates("--decline-rate", args.declineRate, p);
  const { count, duration, speed, startTime, from, backfillUntil, live } = spanOf(args, now, p);

  const prefix = topicPrefix(args.topicPrefix, p);
  const topics = parseTopics(args.topic, p, prefix);

  const logLevel = (args.logLevel ?? file.logLevel ?? defaultOf(STREAM_OPTIONS, "log-level")).toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    p.add(`--log-level: "${args.logLevel}" is not one of ${LOG_LEVELS.join(", ")}`);
  const sink = args.sink ?? "kafka";
  if (sink !== "kafka" && sink !== "stdout" && sink !== "postgres" && sink !== "files")
    p.add(`--sink: "${sink}" is not one of kafka, stdout, postgres, files`);
  const files = filesConfig(args, sink, live, p);
  const postgres = postgresConfig(sink, args.postgres, args.createTables, env, p);
  const kafka = kafkaConfig(args, env, p, kafkaFile);
  const { flushTimeoutMs, statsIntervalMs } = waitsOf(args, p);

  const shard = shardOf(args, p);
  const leadTimeMs =
    (p.minutes("--lead-time", args.leadTime ?? defaultOf(STREAM_OPTIONS, "lead-time"), { max: MAX_MINUTES }) ?? 0) *
    60_000;
  const load = loadConfig(args, sink, p);
  // A capacity search sets the rate itself: Poisson arrivals from its start rate, raised as it goes.
  const { arrivals, rate, rateProfile } =
    load?.capacity === undefined
      ? arrivalsOf(args, p)
      : { arrivals: "poisson" as const, rate: load.capacity.startPerMinute, rateProfile: undefined };

  const transactions = transactionsOf(args, sink, shard, p);

  const truth = truthConfig(args, p, prefix);
  sinkProblems(args, sink, truth, p);
  const faults = args.faults === undefined ? undefined : parseFaults(args.faults, p);
  const http = httpConfig(args, p);
  const workers = p.number("--workers", args.workers, rangeOf(STREAM_OPTIONS, "workers"));
  if (workers !== undefined && workers > 1) {
    if (args.shard !== undefined)
      p.add("--workers splits the run into shards itself: drop --shard (or run one process per shard)");
    if (count !== undefined && count < workers)
      p.add(`--count ${count} is less than --workers ${workers}: each worker makes its share of the count`);
  }
  if (truth !== undefined && truth.file === undefined && Object.values(topics).includes(truth.topic))
    p.add(`--truth-topic: ${truth.topic} is already the topic of an event type`);

  zeroGapProblems(args, { minS, maxS, arrivals, count, duration, from }, p);
  const start = from ?? startTime ?? now;
  const liveStart = backfillUntil ?? start;
  if (duration !== undefined && liveStart + duration * 60_000 > LATEST)
    p.add(`--duration ${args.duration}: the run would end after ${TIME_RANGE.split(" to ")[1]}`);
  if (p.list.length > 0) throw new ConfigError(p.list);
  return {
    minDelayMs: Math.round((minS as number) * 1000),
    maxDelayMs: Math.round((maxS as number) * 1000),
    weights,
    seed: seed ?? randomSeed,
    seedGiven: seed !== undefined,
    start,
    backfillUntil,
    end: duration !== undefined ? liveStart + duration * 60_000 : live ? undefined : backfillUntil,
    count,
    live,
    speed: speed ?? 1,
    sink: sink as RunConfig["sink"],
    output: outputShapeOf(kafka.format),
    ...(postgres === undefined ? {} : { postgres }),
    ...(files === undefined ? {} : { files }),
    topics,
    logLevel: logLevel as LogLevel,
    kafka,
    flushTimeoutMs,
    statsIntervalMs,
    dataDir: args.data,
    shard,
    leadTimeMs,
    arrivals,
    rate,
    ...(rateProfile === undefined ? {} : { rateProfile }),
    ...(load === undefined ? {} : { load }),
    scenario: args.scenario,
    transactions,
    truth,
    faults,
    faultHeaders: args.faultHeaders !== "off",
    ...(args.faultManifest === undefined ? {} : { faultManifest: args.faultManifest }),
    recordTimestamp: args.recordTimestamp === "wall" ? "wall" : "event",
    schemaVersion: versionOf(args.schemaVersion),
    ...(returns === undefined && declines === undefined ? {} : { aftercare: { returns, declines } }),
    ...(prefix === "" ? {} : { topicPrefix: prefix }),
    referenceTopics: {
      stores: `${prefix}${REFERENCE_TOPICS.stores}`,
      products: `${prefix}${REFERENCE_TOPICS.products}`,
    },
    writeReference: sink !== "stdout" || args.referenceRecords === true,
    http,
    workers,
  };
}

/** The database target of `--sink postgres`: its URL (a password from $PGPASSWORD when the URL has none) and whether to make tables. */
export function postgresConfig(
  sink: string,
  url: string | undefined,
  createTables: string | undefined,
  env: Record<string, string | undefined>,
  p: Problems,
): RunConfig["postgres"] {
  if ((sink === "stdout" || sink === "files") && url !== undefined)
    p.add(
      `--postgres with --sink ${sink}: write to the database with --sink postgres, or with Kafka (--sink kafka, the default)`,
    );
  if (sink !== "postgres" && url === undefined) return undefined;
  if (url === undefined) {
    p.add("--sink postgres needs --postgres URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)");
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    p.add("--postgres: not a URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE");
    return undefined;
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    p.add(
      `--postgres: a ${parsed.protocol.replace(/:$/, "")} URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE`,
    );
    return undefined;
  }
  if (parsed.pathname.length <= 1) p.add("--postgres: the URL names no database (…/DATABASE)");
  if (parsed.password === "" && env.PGPASSWORD !== undefined) parsed.password = encodeURIComponent(env.PGPASSWORD);
  return {
    url: parsed.toString(),
    database: parsed.pathname.slice(1),
    createTables: createTables === "never" ? "never" : "auto",
  };
}

/** Where and how `--sink files` writes; a directory that cannot be one is refused here. */
function filesConfig(args: RawArgs, sink: string, live: boolean, p: Problems): RunConfig["files"] {
  const dir = args.filesDir;
  if (sink !== "files") {
    if (dir !== undefined)
      p.add(`--files-dir with --sink ${sink}: the directory is --sink files' (--sink files --files-dir DIR)`);
    return undefined;
  }
  if (dir === undefined) {
    p.add("--sink files needs --files-dir DIR (the directory of the data sets)");
    return undefined;
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) p.add(`--files-dir: ${dir} is a file, not a directory`);
  const rows = p.number(
    "--file-rows",
    args.fileRows ?? defaultOf(STREAM_OPTIONS, "file-rows"),
    rangeOf(STREAM_OPTIONS, "file-rows"),
  );
  // A live run's files appear hour by hour; a backfill's roll by rows (and at its end).
  const every =
    args.fileEvery === undefined
      ? live
        ? 60
        : undefined
      : p.number("--file-every", args.fileEvery, rangeOf(STREAM_OPTIONS, "file-every"));
  const format = (args.fileFormat ?? defaultOf(STREAM_OPTIONS, "file-format")) as NonNullable<
    RunConfig["files"]
  >["format"];
  if (args.format !== undefined && args.format !== "json")
    p.add(`--format ${args.format} with --sink files: the files hold typed rows (--file-format parquet, csv or jsonl)`);
  if (args.faults !== undefined && /(^|,)\s*malformed/.test(args.faults))
    p.add("--faults malformed with --sink files: a typed file cannot hold a garbled record; drop malformed");
  return { dir, format, rows: rows ?? 1, ...(every === undefined ? {} : { everyMs: Math.round(every * 60_000) }) };
}

/** What the sinks cannot do together with the other flags. */
function sinkProblems(args: RawArgs, sink: string, truth: RunConfig["truth"], p: Problems): void {
  if (args.postgres !== undefined && args.transactionalId !== undefined && sink === "kafka")
    p.add(
      "--transactional-id with --postgres: Kafka's transactions and the database's cannot commit as one; write one of them",
    );
  if (args.postgres !== undefined && args.format !== undefined && isDebezium(args.format))
    p.add(
      `--format ${args.format} with --postgres: the database's changes come from the database itself; capture them, or write --format ${args.format} alone`,
    );
  if (sink === "postgres" && truth !== undefined && truth.file === undefined)
    p.add("--truth with --sink postgres: the database keeps no truth table; write it with --truth-file FILE");
  if (args.format !== undefined && isDebezium(args.format) && args.faults !== undefined)
    p.add(
      `--faults with --format ${args.format}: the row changes come from the chain's state, which faults on the wire do not change; drop one of them`,
    );
}

/** Zero gaps never move simulated time: a run bounded by time alone would never end. */
function zeroGapProblems(
  args: RawArgs,
  {
    minS,
    maxS,
    arrivals,
    count,
    duration,
    from,
  }: {
    minS: number | undefined;
    maxS: number | undefined;
    arrivals: RunConfig["arrivals"];
    count: number | undefined;
    duration: number | undefined;
    from: number | undefined;
  },
  p: Problems,
): void {
  if (
    minS === 0 &&
    maxS === 0 &&
    arrivals === "uniform" &&
    args.scenario === undefined &&
    count === undefined &&
    (duration !== undefined || from !== undefined)
  ) {
    p.add(
      `--min-delta 0 --max-delta 0 with ${duration !== undefined ? "--duration" : "--from"}: simulated time never moves, so the run would never end; give --count, or a --max-delta above 0`,
    );
  }
}

/** The flush timeout and the stats line's interval, ms. */
function waitsOf(args: RawArgs, p: Problems): { flushTimeoutMs: number; statsIntervalMs: number } {
  const flushTimeoutMs =
    (p.number(
      "--flush-timeout",
      args.flushTimeout ?? defaultOf(STREAM_OPTIONS, "flush-timeout"),
      rangeOf(STREAM_OPTIONS, "flush-timeout"),
    ) ?? 0) * 1000;
  const statsIntervalMs =
    (p.number(
      "--stats-interval",
      args.statsInterval ?? defaultOf(STREAM_OPTIONS, "stats-interval"),
      rangeOf(STREAM_OPTIONS, "stats-interval"),
    ) ?? 1) * 1000;
  return { flushTimeoutMs, statsIntervalMs };
}

/** The uniform gaps (`--min-delta`, `--max-delta`, else the config file's, else the defaults), in seconds. */
function timingOf(
  args: RawArgs,
  file: FileConfig,
  fileName: string,
  p: Problems,
): { minS: number | undefined; maxS: number | undefined } {
  const minS =
    p.number("--min-delta", args.minDelta, rangeOf(STREAM_OPTIONS, "min-delta")) ??
    (args.minDelta === undefined
      ? (file.minDeltaSeconds ?? Number(defaultOf(STREAM_OPTIONS, "min-delta")))
      : undefined);
  const maxS =
    p.number("--max-delta", args.maxDelta, rangeOf(STREAM_OPTIONS, "max-delta")) ??
    (args.maxDelta === undefined
      ? (file.maxDeltaSeconds ?? Number(defaultOf(STREAM_OPTIONS, "max-delta")))
      : undefined);
  if (minS !== undefined && maxS !== undefined && minS > maxS) {
    // Name where each value came from: a flag, or the config file.
    const source = (flag: string, given: string | undefined, field: string): string =>
      given !== undefined ? flag : `--config ${fileName} timing.${field}`;
    p.add(
      `${source("--min-delta", args.minDelta, "min_delta_seconds")} (${minS}) must not exceed ${source("--max-delta", args.maxDelta, "max_delta_seconds")} (${maxS})`,
    );
  }
  return { minS, maxS };
}

/** How long and how fast a run goes: its count, duration, speed, start, and the span it backfills. */
function spanOf(args: RawArgs, now: number, p: Problems) {
  const count = p.number("--count", args.count, rangeOf(STREAM_OPTIONS, "count"));
  const duration = p.minutes("--duration", args.duration, { above: true, max: MAX_RUN_MINUTES });
  const speed = p.number("--speed", args.speed, rangeOf(STREAM_OPTIONS, "speed"));
  const startTime = p.date("--start-time", args.startTime);
  const from = p.date("--from", args.from);
  const to = p.date("--to", args.to);

  if (args.continuous && (count !== undefined || duration !== undefined) && from === undefined) {
    p.add("--continuous runs until stopped: drop it, or drop --count/--duration");
  }
  // What needs or excludes what is declared with the flags (the option table).
  for (const problem of relationProblems(STREAM_OPTIONS, args)) p.add(problem);
  if (from !== undefined && from > now) p.add(`--from: ${args.from} is in the future; a backfill covers the past`);
  const backfillUntil = from === undefined ? undefined : (to ?? now);
  if (from !== undefined && from <= now && backfillUntil !== undefined && backfillUntil <= from)
    p.add(`--to (${args.to}) must be after --from (${args.from})`);
  const live = from === undefined || args.continuous === true || duration !== undefined;
  if (from !== undefined && !live && speed !== undefined) {
    p.add(
      "--speed has no meaning for a pure backfill (it runs as fast as the sink takes); add --continuous or --duration to pace what follows it",
    );
  }
  return { count, duration, speed, startTime, from, backfillUntil, live };
}

/** `--shard i/N`. */
function shardOf(args: RawArgs, p: Problems): RunConfig["shard"] {
  let shard: RunConfig["shard"];
  if (args.shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(args.shard.trim());
    const index = Number(match?.[1]);
    const total = Number(match?.[2]);
    if (!match || total < 1 || index >= total) p.add(`--shard: "${args.shard}" is not i/N with 0 ≤ i < N (e.g. 0/4)`);
    else shard = { index, count: total };
  }
  return shard;
}

/** How primary events arrive: uniform gaps, or Poisson or fixed at `--rate`, or a scenario's. */
function arrivalsOf(
  args: RawArgs,
  p: Problems,
): { arrivals: RunConfig["arrivals"]; rate: number | undefined; rateProfile: RateProfile | undefined } {
  const arrivals = (args.arrivals ?? "uniform") as RunConfig["arrivals"];
  const rate = p.number("--rate", args.rate, rangeOf(STREAM_OPTIONS, "rate"));
  if (arrivals !== "uniform" && args.rate === undefined)
    p.add(`--arrivals ${arrivals} needs --rate (primary events per minute)`);
  if (arrivals !== "uniform" && (args.minDelta !== undefined || args.maxDelta !== undefined))
    p.add(`--min-delta/--max-delta shape uniform arrivals only; --arrivals ${arrivals} takes --rate`);
  if (
    args.scenario !== undefined &&
    (args.arrivals !== undefined || args.minDelta !== undefined || args.maxDelta !== undefined)
  ) {
    p.add(
      "--scenario sets its own arrivals (a rate and its curve): drop --arrivals/--min-delta/--max-delta, or use --rate to change its rate",
    );
  }
  if (
    arrivals === "uniform" &&
    args.scenario === undefined &&
    args.rate !== undefined &&
    args.rateProfile === undefined
  )
    p.add("--rate needs --arrivals poisson|fixed or a --scenario");
  return { arrivals, rate, rateProfile: rateProfileOf(args, p) };
}

/** `--rate-profile`: alone it sets the arrivals (Poisson at its rate); a scenario's curve may still shape it. */
function rateProfileOf(args: RawArgs, p: Problems): RateProfile | undefined {
  if (args.rateProfile === undefined) return undefined;
  for (const [given, flag] of [
    [args.rate, "--rate"],
    [args.arrivals, "--arrivals"],
    [args.minDelta, "--min-delta"],
    [args.maxDelta, "--max-delta"],
  ] as const)
    if (given !== undefined) p.add(`--rate-profile sets the rate over the run: drop ${flag}`);
  const profile = parseRateProfile(args.rateProfile);
  if (typeof profile === "string") {
    p.add(`--rate-profile: ${profile}`);
    return undefined;
  }
  return profile;
}

/** `--transactional-id` and its commits: one id per shard, so shards never fence each other. */
function transactionsOf(
  args: RawArgs,
  sink: string,
  shard: RunConfig["shard"],
  p: Problems,
): RunConfig["transactions"] {
  let transactions: RunConfig["transactions"];
  const commitIntervalMs =
    p.number(
      "--commit-interval",
      args.commitInterval ?? defaultOf(STREAM_OPTIONS, "commit-interval"),
      rangeOf(STREAM_OPTIONS, "commit-interval"),
    ) ?? 1;
  const commitRecords =
    p.number(
      "--commit-records",
      args.commitRecords ?? defaultOf(STREAM_OPTIONS, "commit-records"),
      rangeOf(STREAM_OPTIONS, "commit-records"),
    ) ?? 1;
  if (args.transactionalId !== undefined) {
    if (!/^[\w.-]{1,200}$/.test(args.transactionalId))
      p.add(`--transactional-id: "${args.transactionalId}" must be letters, digits, ".", "_" or "-"`);
    if (sink === "stdout") p.add("--transactional-id needs --sink kafka, postgres or files");
    // One transactional id per shard, so shards never fence each other.
    const id =
      shard === undefined ? args.transactionalId : `${args.transactionalId}.shard-${shard.index}-of-${shard.count}`;
    transactions = { id, intervalMs: commitIntervalMs, records: commitRecords, resume: args.resume === true };
  }
  return transactions;
}

/** The version `--schema-version` names (its choices are checked by the parser), else the latest. */
function versionOf(text: string | undefined): SchemaVersion {
  const version = Number(text);
  return isSchemaVersion(version) ? version : LATEST_VERSION;
}
