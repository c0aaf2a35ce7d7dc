// `retail-stream judge`: a pipeline's output against what the run it was fed says it should hold.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type winston from "winston";
import { parse as parseYaml } from "yaml";
import { readChain } from "../data/chainFiles.js";
import { ConfigError, SinkError } from "../errors.js";
import type { RetailEvent } from "../model/events.js";
import type { TruthRow } from "../model/truth.js";
import { schemaProblems } from "../model/validation.js";
import { JUDGE_OPTIONS, defaultOf, rangeOf, type ArgsOf } from "../config/optionTable.js";
import { kafkaConfig, type KafkaConfigFile } from "../config/kafkaConfig.js";
import { Problems } from "../config/problems.js";
import { readText as readConfigText } from "../config/load.js";
import { postgresConfig } from "../config/resolve.js";
import { TRUTH_TOPIC } from "../wire/envelope.js";
import type { KafkaConfig } from "../config/runConfig.js";
import {
  MEASURES,
  actualFromRows,
  durationMs,
  expectedFromRecords,
  expectedFromTruth,
  judge,
  shown,
  verdictLines,
  windowsOf,
  cellId,
  closedBy,
  type Cells,
  type JudgeMapping,
  type LatenessPolicy,
  type Measure,
  type RunRecord,
  type SetAside,
  type Verdict,
} from "../verify/judge.js";

/** The options of `judge` as yargs hands them over. */
export type JudgeArgs = ArgsOf<typeof JUDGE_OPTIONS>;

/** Where `judge` reads the output: a file, a topic, or a query. */
type OutputSource = { file: string } | { topic: string } | { query: string; postgres: string };

/** What `judge` compares and where it reads it. */
export interface JudgeConfig {
  mapping: JudgeMapping;
  mappingFile: string;
  output: OutputSource;
  truth: { file: string } | { topic: string } | undefined;
  input?: string;
  policy?: LatenessPolicy;
  /** Judge only the windows closed so far. */
  live: boolean;
  dataDir?: string;
  report: "text" | "json";
  show: number;
  kafka: KafkaConfig;
  idleMs: number;
}

const MAPPING_SCHEMA = fileURLToPath(new URL("../../data/judge/mapping.schema.json", import.meta.url));

/** A mapping for `measure`, as `judge --example` prints it. */
export function exampleMapping(measure: Measure): JudgeMapping {
  const money = MEASURES[measure].money;
  const base = {
    description: `${measure} per store and hour, as a Flink SQL job over the ${measure === "net_revenue" || measure === "refunds" ? "sales, returns and order status topics" : "sales topic"} would write it`,
    measure,
    group: "store" as const,
    window: { size: "1h" },
    fields: { window_start: "window_start", key: "store_id", value: measure },
    semantics: "append" as const,
    ...(money ? { money: { as: "decimal" as const, tolerance: 0 } } : {}),
  };
  if (measure === "closing_stock")
    return {
      ...base,
      description: "the latest stock per store × product, an upsert table keyed by both",
      window: "none",
      fields: { key: "store_id", product: "product_id", value: "stock" },
      semantics: "upsert",
    };
  if (measure === "events")
    return {
      ...base,
      description: "events per type and hour, the chain's",
      group: "chain",
      fields: { window_start: "window_start", event_type: "event_type", value: "events" },
    };
  return base;
}

/** A file `judge` reads, `-` being standard input. */
const readText = (flag: string, file: string): string => readConfigText(flag, file, { standardInput: true });

/** The mapping file, parsed (JSON or YAML) and held to its schema; its window sizes positive. */
export function readMapping(file: string): JudgeMapping {
  const text = readText("--mapping", file);
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError([
      `--mapping ${file}: not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"} (${(error as Error).message})`,
    ]);
  }
  const schema = JSON.parse(readFileSync(MAPPING_SCHEMA, "utf8")) as object;
  const problems = schemaProblems(schema, data, `--mapping ${file}`);
  if (problems.length > 0) throw new ConfigError(problems.slice(0, 3));
  const mapping = data as JudgeMapping;
  if (mapping.window !== "none" && !(durationMs(mapping.window.size) > 0))
    throw new ConfigError([`--mapping ${file}: /window/size: "${mapping.window.size}" is not a length above 0`]);
  if (mapping.window !== "none" && mapping.window.slide !== undefined && !(durationMs(mapping.window.slide) > 0))
    throw new ConfigError([`--mapping ${file}: /window/slide: "${mapping.window.slide}" is not a length above 0`]);
  if (mapping.measure === "events" && mapping.group !== "chain")
    throw new ConfigError([`--mapping ${file}: events by type are the chain's; use "group": "chain"`]);
  if (
    (mapping.measure === "net_revenue" || mapping.measure === "refunds") &&
    (mapping.group === "category" || mapping.group === "product")
  )
    throw new ConfigError([
      `--mapping ${file}: ${mapping.measure} is paid out by a store (a return, a refunded order), not by a ${mapping.group}; use "group": "store", "channel" or "chain"`,
    ]);
  if (mapping.measure === "closing_stock" && mapping.group !== "store")
    throw new ConfigError([`--mapping ${file}: closing stock is per store × product; use "group": "store"`]);
  return mapping;
}

/** Resolves `judge`'s options; every problem in one `ConfigError`. */
export function resolveJudgeConfig(
  args: JudgeArgs,
  env: Record<string, string | undefined>,
  kafkaFile?: KafkaConfigFile,
): JudgeConfig {
  const p = new Problems();
  if (args.mapping === undefined) p.add("judge needs --mapping FILE (judge --example revenue prints one)");
  const sources = [args.output, args.outputTopic, args.outputQuery].filter((s) => s !== undefined);
  if (sources.length !== 1) p.add("judge reads one output: --output FILE, --output-topic TOPIC or --output-query SQL");
  if (args.outputQuery !== undefined && args.postgres === undefined) p.add("--output-query needs --postgres URL");
  if (args.format !== undefined && !["json", "avro", "protobuf", "json-schema"].includes(args.format))
    p.add(`--format: "${args.format}" is not one of json, avro, protobuf, json-schema`);
  if (args.truth !== undefined && args.truthTopic !== undefined)
    p.add("--truth and --truth-topic both name the truth: use one");
  const delay =
    args.watermarkDelay === undefined
      ? undefined
      : p.minutes("--watermark-delay", args.watermarkDelay, { max: 525_600 });
  const lateness = p.minutes(
    "--allowed-lateness",
    args.allowedLateness ?? defaultOf(JUDGE_OPTIONS, "allowed-lateness"),
    { max: 525_600 },
  );
  if (delay !== undefined && args.input === undefined)
    p.add("--watermark-delay: the policy's truth is computed from the run's records: give them with --input FILE");
  const show = p.number("--show", args.show ?? defaultOf(JUDGE_OPTIONS, "show"), rangeOf(JUDGE_OPTIONS, "show")) ?? 10;
  const idleMs =
    (p.number("--idle", args.idle ?? defaultOf(JUDGE_OPTIONS, "idle"), rangeOf(JUDGE_OPTIONS, "idle")) ?? 5) * 1000;
  const postgres =
    args.postgres === undefined ? undefined : postgresConfig("postgres", args.postgres, undefined, env, p)?.url;
  const kafka = kafkaConfig(
    {
      brokers: args.brokers,
      X: args.X,
      kafkaConfig: args.kafkaConfig,
      connectTimeout: args.connectTimeout,
      format: args.format,
      schemaRegistry: args.schemaRegistry,
    },
    env,
    p,
    kafkaFile,
  );
  if (p.list.length > 0) throw new ConfigError(p.list);
  const mapping = readMapping(args.mapping as string);
  if (mapping.group === "product" && args.input === undefined)
    throw new ConfigError([
      `--mapping ${args.mapping}: the truth has no rows per product; give the run's records with --input to compute them`,
    ]);
  const policy =
    delay === undefined
      ? undefined
      : {
          watermarkDelayMs: delay * 60_000,
          allowedLatenessMs: (lateness ?? 0) * 60_000,
          late: args.late === "update" ? ("update" as const) : ("drop" as const),
          duplicates: args.duplicates === "remove" ? ("remove" as const) : ("keep" as const),
        };
  const output: OutputSource =
    args.output !== undefined
      ? { file: args.output }
      : args.outputTopic !== undefined
        ? { topic: args.outputTopic }
        : { query: args.outputQuery as string, postgres: postgres as string };
  const truth =
    args.truth !== undefined
      ? { file: args.truth }
      : policy !== undefined && args.truthTopic === undefined
        ? undefined
        : { topic: args.truthTopic ?? TRUTH_TOPIC };
  return {
    mapping,
    mappingFile: args.mapping as string,
    output,
    truth,
    input: args.input,
    policy,
    live: args.live === true,
    dataDir: args.data,
    report: args.report === "json" ? "json" : "text",
    show,
    kafka,
    idleMs,
  };
}

/** CSV with a header row: fields split on commas, "quoted" fields with "" for a quote. */
function csvRows(text: string): Record<string, unknown>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const split = (line: string): string[] => {
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i] as string;
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          field += '"';
          i += 1;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        fields.push(field);
        field = "";
      } else field += c;
    }
    return [...fields, field];
  };
  const [header, ...rest] = lines;
  if (header === undefined) return [];
  const names = split(header);
  return rest.map((line) => Object.fromEntries(split(line).map((value, i) => [names[i] ?? `column${i + 1}`, value])));
}

/** JSON lines: each an object (an envelope's value is taken when the line is a --sink stdout envelope). */
function jsonRows(text: string, where: string): Record<string, unknown>[] {
  return text.split("\n").flatMap((line, i) => {
    if (line.trim() === "") return [];
    try {
      const row = JSON.parse(line) as Record<string, unknown>;
      return [row];
    } catch {
      throw new ConfigError([`${where}: line ${i + 1} is not JSON`]);
    }
  });
}

/** The output's rows, from a file, a topic or a query. */
async function outputRows(config: JudgeConfig, log: winston.Logger): Promise<Record<string, unknown>[]> {
  const source = config.output;
  if ("file" in source) {
    const text = readText("--output", source.file);
    return /\.csv$/i.test(source.file) ? csvRows(text) : jsonRows(text, `--output ${source.file}`);
  }
  if ("topic" in source) {
    const values = await topicValues(config, source.topic, false);
    log.info(`read ${values.length} rows of ${source.topic}`);
    return values.map((value, i) => {
      if (value === null || typeof value !== "object")
        throw new SinkError(`${source.topic}: record ${i + 1} is not a JSON object`);
      return value as Record<string, unknown>;
    });
  }
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: source.postgres, connectionTimeoutMillis: 10_000 });
  const { problemOf } = await import("../sinks/postgres/databaseProblems.js");
  try {
    await client.connect();
    // A bare table name is read whole.
    const sql = /^\s*[\w."]+\s*$/.test(source.query) ? `SELECT * FROM ${source.query}` : source.query;
    const result = await client.query(sql);
    return result.rows as Record<string, unknown>[];
  } catch (error) {
    throw new SinkError(`--output-query: ${problemOf(error, source.postgres)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The JSON values of a topic, read from its beginning until it is idle. */
async function topicValues(config: JudgeConfig, topic: string, optional: boolean): Promise<unknown[]> {
  const { readTopics } = await import("../sinks/kafka/kafkaReader.js");
  const { records } = await readTopics({
    brokers: config.kafka.brokers,
    properties: config.kafka.properties,
    topics: optional ? [] : [topic],
    optional: optional ? [topic] : undefined,
    start: { from: "beginning" },
    idleMs: config.idleMs,
    timeoutMs: config.kafka.connectTimeoutMs,
  });
  // Registry formats: each value read by the schema of its id, as JSON.
  const registry = config.kafka.registry;
  const decode =
    config.kafka.format === "json" || optional || registry === undefined
      ? undefined
      : (await import("../wire/valueDecoder.js")).registryDecoder(
          new (await import("../sinks/kafka/schemaRegistry.js")).SchemaRegistry(registry.url, registry.userInfo),
        );
  const values: unknown[] = [];
  for (const record of records) {
    if (record.value === null) continue;
    let bytes = record.value;
    if (decode !== undefined) {
      const result = await decode(bytes);
      if ("problem" in result)
        throw new SinkError(`${topic}: the record at offset ${record.offset}: ${result.problem}`);
      bytes = result.json;
    }
    try {
      values.push(JSON.parse(bytes.toString("utf8")) as unknown);
    } catch {
      throw new SinkError(`${topic}: the record at offset ${record.offset} is not JSON`);
    }
  }
  return values;
}

/** A --sink stdout capture's records (its truth rows and events, with their faults). */
function captureOf(file: string, flag: string): { events: RunRecord[]; truth: TruthRow[] } {
  const events: RunRecord[] = [];
  const truth: TruthRow[] = [];
  for (const row of jsonRows(readText(flag, file), `${flag} ${file}`)) {
    const headers = (row.headers ?? {}) as Record<string, string>;
    const value = "value" in row ? row.value : row;
    if (value === null || typeof value !== "object") continue;
    if ("kind" in value && "window_start" in value) truth.push(value as TruthRow);
    else if ("event_type" in value && "event_id" in value)
      events.push({ event: value as RetailEvent, faults: headers.fault?.split(",") ?? [] });
  }
  return { events, truth };
}

/** The duplicates and late records the run's fault headers declare, by the mapping's cell (to explain a verdict). */
function declaredFaults(records: readonly RunRecord[], mapping: JudgeMapping, online: ReadonlySet<string>): SetAside {
  const found: SetAside = { duplicates: new Map(), dropped: new Map(), late: new Map() };
  for (const { event, faults } of records) {
    if (event.event_type !== "sale") continue;
    const key =
      mapping.group === "store"
        ? event.store_id
        : mapping.group === "channel"
          ? online.has(event.store_id)
            ? "online"
            : "store"
          : "chain";
    for (const start of windowsOf(Date.parse(event.event_time), mapping)) {
      const id = cellId(start, key);
      const add = (map: Map<string, string[]>): void => void map.set(id, [...(map.get(id) ?? []), event.event_id]);
      if (faults.includes("duplicate")) add(found.duplicates);
      if (faults.includes("late") || faults.includes("offline-replay")) add(found.late);
    }
  }
  return found;
}

/** The truth as the records make it: every record in time (no watermark drops any), each event once. */
const EVERY_RECORD_ONCE: LatenessPolicy = {
  watermarkDelayMs: Infinity,
  allowedLatenessMs: 0,
  late: "drop",
  duplicates: "remove",
};

/** Runs `judge`: prints the verdict, returns 0 when the output is right, 1 when not. */
export async function runJudge(
  config: JudgeConfig,
  print: (line: string) => void,
  log: winston.Logger,
): Promise<number> {
  const chain = readChain(config.dataDir);
  const online = new Set(chain.stores.filter((s) => s.channel === "online").map((s) => s.store_id));
  const categories = new Map(chain.products.map((p) => [p.sku, p.category]));
  const capture = config.input === undefined ? undefined : captureOf(config.input, "--input");
  let expected: Cells;
  let setAside: SetAside | undefined;
  /** Where the windows closed so far end (a live run's). */
  let closed = Infinity;
  // Per product, the truth grows from the run's records: every record in time, each event once.
  const policy = config.policy ?? (config.mapping.group === "product" ? EVERY_RECORD_ONCE : undefined);
  if (policy !== undefined) {
    const computed = expectedFromRecords(capture?.events ?? [], config.mapping, policy, { online, categories });
    expected = computed.cells;
    setAside = computed.setAside;
    closed = config.policy === undefined ? Infinity : computed.watermark;
  } else {
    const truthSource = config.truth ?? { topic: TRUTH_TOPIC };
    const rows =
      "file" in truthSource
        ? captureOf(truthSource.file, "--truth").truth
        : ((await topicValues(config, truthSource.topic, true)) as TruthRow[]);
    if (rows.length === 0)
      throw new SinkError(
        `no truth rows in ${"file" in truthSource ? `--truth ${truthSource.file}` : `topic ${truthSource.topic}`}: give the run's --truth-file, or --input with --watermark-delay`,
      );
    // Version 1's truth has no category rows: they grow from the run's records, as product rows do.
    if (config.mapping.group === "category" && !rows.some((r) => r.kind === "category")) {
      if (capture === undefined)
        throw new ConfigError([
          "--mapping: the truth has no category rows (a run of schema version 1); give the run's records with --input to compute them",
        ]);
      const grown = expectedFromRecords(capture.events, config.mapping, EVERY_RECORD_ONCE, { online, categories });
      expected = grown.cells;
      setAside = grown.setAside;
    } else expected = expectedFromTruth(rows, config.mapping);
    if (capture !== undefined && setAside === undefined)
      setAside = declaredFaults(capture.events, config.mapping, online);
    closed = Math.max(...rows.filter((r) => r.complete).map((r) => Date.parse(r.window_end)));
  }
  const rows = await outputRows(config, log);
  const actual = actualFromRows(rows, config.mapping);
  const [judgedExpected, judgedActual] = config.live
    ? [closedBy(expected, config.mapping, closed), closedBy(actual.cells, config.mapping, closed)]
    : [expected, actual.cells];
  const verdict = judge(judgedExpected, judgedActual, config.mapping, setAside, actual.problems);
  if (config.report === "json") print(JSON.stringify(jsonReport(verdict, config.mapping)));
  else for (const line of verdictLines(verdict, config.mapping, config.show)) print(line);
  return verdict.differences.length === 0 && verdict.rowProblems.length === 0 ? 0 : 1;
}

/** The verdict as `--report json` writes it: values in the measure's units (money as decimal text). */
function jsonReport(verdict: Verdict, mapping: JudgeMapping): object {
  const value = (v: number | undefined): string | number | null =>
    v === undefined ? null : MEASURES[mapping.measure].money ? shown(v, mapping) : v;
  return {
    ok: verdict.differences.length === 0 && verdict.rowProblems.length === 0,
    measure: mapping.measure,
    group: mapping.group,
    expected: verdict.expected,
    matched: verdict.matched,
    differences: verdict.differences.map((d) => {
      const [window, ...key] = d.cell.split("|");
      return {
        kind: d.kind,
        window,
        key: key.join("|"),
        expected: value(d.expected),
        actual: value(d.actual),
        ...(d.explained ?? {}),
      };
    }),
    rows_not_understood: verdict.rowProblems,
  };
}
