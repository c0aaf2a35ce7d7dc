// The command line's options, declared once: what each flag is (text, a switch, a repeatable list,
// a choice), where its help goes, its aliases; the yargs declarations and the typed arguments the
// config is resolved from are both derived from these tables.
import { LATEST_VERSION } from "../model/profiles.js";
import { SCHEMA_VERSIONS } from "../model/events.js";
import { SINK_DEFAULTS as DEFAULTS } from "../sinks/kafka/defaults.js";
import { MAX_RATE, MAX_SPEED, MIN_SPEED } from "../model/limits.js";
import { rangeText, type Range } from "./problems.js";
import { DEFAULT_BROKERS } from "./names.js";

export const STREAM = "Streaming:";
export const TIME = "Time:";
export const KAFKA = "Kafka:";
export const TRUTH = "Ground truth:";
export const FAULTS = "Faults:";
export const LIVE = "Watching and steering:";
export const LOAD = "Load testing a pipeline:";

// A flag given twice: the last one wins (repeatable flags are lists).
const last = (value: unknown): unknown => (Array.isArray(value) ? value.at(-1) : value);

/** A text option (its value kept as typed, for messages to quote), in `group` of the help if given. */
/** Flags a flag needs given with it (any one of them), or cannot be given with; `why` finishes the line the parser says. */
interface Relations {
  needs?: { any: readonly string[]; why?: string };
  excludes?: { flag: string; why: string };
}

const text = <C extends readonly string[] = never>(
  describe: string,
  group?: string,
  extra: { choices?: C; default?: string; shown?: string; range?: Range } & Relations = {},
) => {
  const { default: given, shown, range, ...rest } = extra;
  // The default is the parser's (read back by `defaultOf`) and shown in the help; yargs itself sets nothing, so "not given" stays visible.
  // `shown` is a default the help names that the parser works out itself ("now", "the broker's"). A `range` shows as [number] in the help.
  return {
    type: "string" as const,
    requiresArg: true,
    describe: range === undefined ? describe : `${describe} (${rangeText(range)})`,
    coerce: last,
    ...(group === undefined ? {} : { group }),
    ...(range === undefined ? {} : { range }),
    ...rest,
    ...(given === undefined ? {} : { defaultDescription: given, parserDefault: given }),
    ...(shown === undefined ? {} : { defaultDescription: shown }),
  };
};

/** A repeatable text option: every value given, in order. */
const list = (describe: string, group?: string) => ({
  type: "string" as const,
  array: true as const,
  requiresArg: true,
  describe,
  ...(group === undefined ? {} : { group }),
});

/** Seconds between primary events (a week at most). */
const DELTA: Range = { min: 0, max: 604_800 };
/** Seconds to wait (a day at most: Node's timers hold 24.8 days). */
const SECONDS: Range = { min: 0, max: 86_400 };

/** The options of a stream run (the default command, and `profile`). */
export const STREAM_OPTIONS = {
  continuous: {
    type: "boolean",
    describe: "Run until stopped (the default without --count/--duration)",
    group: STREAM,
  },
  count: text(
    "Stop after N primary events (a checkout and what it causes count once); with --shard or --workers, the whole run's N",
    STREAM,
    {
      range: { min: 0, above: true, max: 1e12, integer: true },
    },
  ),
  duration: text(
    "Stop after this much simulated time: minutes, or with a unit (90s, 10m, 2h, 1d) (wall time at --speed 1)",
    STREAM,
  ),
  "min-delta": text("Shortest gap between primary events, seconds", STREAM, { default: "10", range: DELTA }),
  "max-delta": text("Longest gap between primary events, seconds", STREAM, { default: "60", range: DELTA }),
  weights: text(
    "Mix of primary events, e.g. sales=50,inventory=20,customer=15,price=10 (restock alerts follow the stock)",
    STREAM,
  ),
  "return-rate": text(
    "Schema version 3: the share of checkout lines that come back, by channel, e.g. store=0.13,online=0.2 (the defaults; returns run at 15–17% of US retail sales, more online)",
    STREAM,
  ),
  "decline-rate": text(
    "Schema version 3: the share of checkout attempts declined, by channel, e.g. store=0.015,online=0.035 (the defaults); 60% of those declined try again another way",
    STREAM,
  ),
  seed: text("Seed of the one random generator (same seed, same stream)", STREAM, {
    range: { min: 0, max: 2 ** 31 - 1, integer: true },
  }),
  config: text(
    "JSON file: timing.min_delta_seconds, timing.max_delta_seconds, timing.event_distribution, logging.level",
    STREAM,
  ),
  data: text("Folder with stores.json and products.json", STREAM, { shown: "the sample chain shipped in data/" }),
  sink: text(
    "Where events go: Kafka, JSON lines on stdout, a PostgreSQL database (--postgres), or data set files (--files-dir)",
    STREAM,
    { shown: "kafka", choices: ["kafka", "stdout", "postgres", "files"] },
  ),
  "files-dir": text(
    "The directory of --sink files: a data set per event type (and stores, products, truth, labels), by event_date",
    STREAM,
  ),
  "file-format": text("The files' format", STREAM, {
    default: "parquet",
    choices: ["parquet", "csv", "jsonl"],
    needs: { any: ["files-dir"] },
  }),
  "file-rows": text("Roll the files after this many rows", STREAM, {
    default: "1000000",
    needs: { any: ["files-dir"] },
    range: { min: 1, max: 100_000_000, integer: true },
  }),
  "file-every": text("Roll the files every this many minutes of event time", STREAM, {
    shown: "60 in a live run, none in a backfill",
    needs: { any: ["files-dir"] },
    range: { min: 0, above: true, max: 10_080 },
  }),
  postgres: text(
    "PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE (or $PGPASSWORD for the password): the database of --sink postgres, or, with --sink kafka, written in the same run as Kafka",
    STREAM,
  ),
  "create-tables": text(
    "auto: make the database's schema and tables where missing; never: use existing ones only (a writer without CREATE)",
    STREAM,
    { shown: "auto", choices: ["auto", "never"] },
  ),
  "reference-records": {
    type: "boolean",
    describe:
      "With --sink stdout: also print the chain's stores and products, as version 2 writes them to their topics before the first event (Kafka and the database always get them)",
    group: STREAM,
  },
  topic: list("Topic of a type, e.g. sales=my-sales (repeatable; taken as given)", STREAM),
  "topic-prefix": text(
    "Put this before every default topic name (the truth's too), e.g. dev. for dev.retail-sales-transactions",
    STREAM,
  ),
  "log-level": text("error, warn, info or debug", STREAM, { default: "info" }),
  "stats-interval": text("Seconds between stats lines", STREAM, {
    default: "10",
    range: { min: 0, above: true, max: 86_400 },
  }),
  workers: text(
    "Worker processes, each generating a shard with its own producer; one summary, one stats line and one --http view for all",
    STREAM,
    { shown: "1", range: { min: 1, max: 64, integer: true } },
  ),
  shard: text(
    "Make only the events of the stores with hash(store_id) mod N == i, e.g. 0/4: N processes with the same options make together exactly the one-process stream",
    STREAM,
  ),
  "lead-time": text("Simulated time from a restock alert to its receipt: minutes, or with a unit (240 is 4h)", STREAM, {
    default: "240",
  }),
  arrivals: text("Gap model: uniform (--min/max-delta), poisson or fixed (--rate)", TIME, {
    shown: "uniform",
    choices: ["uniform", "poisson", "fixed"],
  }),
  rate: text("Primary events per minute for --arrivals poisson|fixed, or to override a scenario's rate", TIME, {
    range: { min: 0, above: true, max: MAX_RATE },
  }),
  "rate-profile": text(
    "Primary rate over the run's simulated time (wall time at --speed 1, as load tests run), stretch after stretch; the last rate holds: RATE:DURATION holds, RATE..RATE:DURATION ramps, RATE+STEP:EVERY*COUNT climbs in steps; a RATE is 1000/s, 2k/s or 500/m (e.g. 1000/s:2m,1000/s+1000/s:1m*8); with a --scenario, its curve still shapes it",
    TIME,
  ),
  scenario: text("A built-in scenario (weekday, weekend, black-friday) or a scenario .json/.mjs file", TIME),
  "list-scenarios": { type: "boolean", describe: "List the built-in scenarios and exit", group: TIME },
  "start-time": text("Simulated time of the first event, ISO 8601; every time without an offset is UTC", TIME, {
    shown: "now",
    excludes: { flag: "from", why: "both set the start: use one" },
  }),
  speed: text("Simulated time runs this many times faster than the wall clock", TIME, {
    default: "1",
    range: { min: MIN_SPEED, max: MAX_SPEED },
  }),
  from: text("Backfill from this ISO 8601 time at full speed", TIME),
  to: text("End of the backfill; with --continuous or --duration, live pacing follows", TIME, {
    shown: "now",
    needs: { any: ["from"], why: "the start of the backfill" },
  }),
  truth: {
    type: "boolean",
    describe:
      "Also write the ground truth: per event-time window, per store and channel, what a correct pipeline computes (to the truth topic, or --truth-file)",
    group: TRUTH,
  },
  "truth-window": text("Length of the truth's tumbling event-time windows: minutes, or with a unit", TRUTH, {
    default: "60",
    needs: { any: ["truth", "truth-file"] },
  }),
  "truth-file": text("Write the truth as JSON lines to this file instead of the truth topic (implies --truth)", TRUTH, {
    excludes: { flag: "truth-topic", why: "both say where the truth goes: use one" },
  }),
  "truth-topic": text("Topic of the truth records", TRUTH, {
    shown: "retail-truth",
    needs: { any: ["truth", "truth-file"] },
  }),
  faults: text(
    "Faults on purpose, e.g. duplicate=0.01,late=0.02:5m,malformed=0.001,nulls=0.01,offline=S003@2026-11-02T10:00:00Z+60m (beats a scenario's)",
    FAULTS,
  ),
  "fault-manifest": text(
    "Write one JSON line per faulted record to this file: its event, topic and key, each fault, when it was written and how late; a pipeline's dead-letter, dedup and late-drop counts can then be asserted exactly",
    FAULTS,
  ),
  "fault-headers": text("on: each faulted record says so in its fault header; off: nothing tells", FAULTS, {
    shown: "on",
    choices: ["on", "off"],
  }),
  http: text(
    "Serve /metrics, /healthz, /readyz, /status, POST /control and a live page at [HOST:]PORT (loopback unless a host is given)",
    LIVE,
  ),
  "http-token": text(
    "Token that POST /control must send (Authorization: Bearer …); required when --http binds beyond loopback",
    LIVE,
    { needs: { any: ["http"] } },
  ),
  "control-log": text(
    "Append every change made through /control to this JSON-lines file (a controlled run replays only with it)",
    LIVE,
    { needs: { any: ["http"] } },
  ),
  "lag-group": text(
    "Consumer group of the pipeline under load: its lag on the run's topics (committed offsets against the partitions' ends, read every second) in the stats line, /metrics, /status and the live page",
    LOAD,
  ),
  "latency-topic": text(
    "The pipeline's output topic: each output is matched to the input it came from (--latency-match) and its end-to-end latency (seen here minus produced, wall clock) reported as p50/p95/p99/max; every record carries a produced_at header",
    LOAD,
  ),
  "latency-match": text(
    "How an output names its input: a field holding the input's event_id (a dotted path: after.event_id for Debezium rows), or window:START,END for a windowed aggregate (its latency runs from the window's last input produced to its row seen)",
    LOAD,
    { default: "event_id", needs: { any: ["latency-topic"] } },
  ),
  "produced-header": {
    type: "boolean",
    describe:
      "Every record carries produced_at, the wall clock (epoch ms) when it left for Kafka (implied by --latency-topic)",
    group: LOAD,
  },
  "find-capacity": {
    type: "boolean",
    describe:
      "Find the highest rate the pipeline holds: raise the rate step by step until its group (--lag-group) falls behind (consumes less than 90% of what it is sent over a step) or latency p99 passes --max-p99, back off, narrow in, and stop with a report",
    group: LOAD,
    needs: { any: ["lag-group"] },
  },
  "capacity-start": text(
    "Primary rate the search starts at (1000/s, 500/m); it doubles while the pipeline keeps up",
    LOAD,
    {
      default: "100/s",
      needs: { any: ["find-capacity"] },
    },
  ),
  "capacity-step": text("How long each rate is held and measured: a span (20s, 1m)", LOAD, {
    default: "20s",
    needs: { any: ["find-capacity"] },
  }),
  "capacity-budget": text("The search stops by itself within this much wall time: a span (10m)", LOAD, {
    default: "10m",
    needs: { any: ["find-capacity"] },
  }),
  "max-p99": text("With --latency-topic: a step whose latency p99 passes this (a span: 500ms, 2s) is not held", LOAD, {
    needs: { any: ["find-capacity"] },
  }),
  "capacity-report": text("Write the search's report here as JSON (each step, the rate held)", LOAD, {
    needs: { any: ["find-capacity"] },
  }),
  "capacity-chart": text("Draw rate, lag and latency over the search here as SVG", LOAD, {
    needs: { any: ["find-capacity"] },
  }),
  brokers: {
    ...text(
      "Bootstrap servers; when not given: -X or --kafka-config bootstrap.servers, else $KAFKA_BOOTSTRAP_SERVERS",
      KAFKA,
      { shown: DEFAULT_BROKERS },
    ),
    alias: ["b", "bootstrap-server"],
  },
  "schema-version": text(
    'Schema version of the events: 1 (one line per sale, amounts as plain numbers, keys by store), 2 (checkouts of several lines, exact two-decimal amounts with a currency, keys by transaction, customer or store × product, reference topics of stores and products) or 3 (2, and each checkout\'s payments, some declined; online orders from placed to delivered or cancelled; returns and refunds); a live run switches with POST /control {"schema_version":3}',
    KAFKA,
    { shown: String(LATEST_VERSION), choices: SCHEMA_VERSIONS.map(String) },
  ),
  "record-timestamp": text(
    "event: a record's Kafka timestamp is its event time; wall: the wall clock when produced, the event time staying in the value and an event_time header (for topics that refuse timestamps ahead of the broker's clock)",
    KAFKA,
    { shown: "event", choices: ["event", "wall"] },
  ),
  compression: text("none, gzip, snappy, lz4 or zstd", KAFKA, { default: "lz4" }),
  "kafka-config": text(
    "Client settings file (client.properties: key=value, librdkafka or Java names), for every Kafka client the tool runs; keeps secrets off the command line",
    KAFKA,
  ),
  X: list("Any librdkafka property, key=value (repeatable; beats --kafka-config)", KAFKA),
  format: text(
    "Record values: json, avro, protobuf or json-schema (the last three through a Schema Registry, Confluent wire format); debezium: instead of the events, the row changes of the database --sink postgres writes (stores, products, stock, prices), as Debezium's PostgreSQL connector captures them, in JSON without the schema part (debezium), with it (debezium-with-schema), or in Avro through the registry (debezium-avro)",
    KAFKA,
    {
      shown: "json",
      choices: ["json", "avro", "protobuf", "json-schema", "debezium", "debezium-with-schema", "debezium-avro"],
    },
  ),
  "schema-registry": text(
    "Schema Registry URL, Confluent API (e.g. http://127.0.0.1:8081/apis/ccompat/v7; default schema.registry.url of --kafka-config)",
    KAFKA,
  ),
  register: {
    type: "boolean",
    describe:
      "Register the schemas at start (the default); --no-register uses the latest registered versions, which must match",
    group: KAFKA,
  },
  "transactional-id": text(
    "Exactly once: write in transactions under this id (one per shard: the shard is appended), each carrying a checkpoint (with --sink postgres: the run's position, in the same database transaction)",
    KAFKA,
  ),
  "commit-interval": text("Wall milliseconds between transaction commits; a tick is never split", KAFKA, {
    default: "100",
    needs: { any: ["transactional-id"] },
    range: { min: 0, above: true, max: 3_600_000 },
  }),
  "commit-records": text("Commit after this many records at most", KAFKA, {
    default: "10000",
    needs: { any: ["transactional-id"] },
    range: { min: 1, max: 10_000_000, integer: true },
  }),
  resume: {
    type: "boolean",
    describe:
      "Go on from the last committed checkpoint of --transactional-id (same options), or start if there is none",
    group: KAFKA,
    needs: { any: ["transactional-id"] },
  },
  "create-topics": text("auto: create missing topics; never: use existing ones only (a writer without CREATE)", KAFKA, {
    shown: "auto",
    choices: ["auto", "never"],
  }),
  "topic-config": list(
    "A setting of the topics created at start, key=value (repeatable), e.g. retention.ms=-1 to keep a backfill older than the broker's retention",
    KAFKA,
  ),
  partitions: text("Partitions of topics created at start", KAFKA, {
    shown: "the broker's",
    range: { min: -1, max: 100_000, integer: true },
  }),
  "replication-factor": text("Replication factor of topics created at start", KAFKA, {
    shown: "the broker's",
    range: { min: -1, max: 32_767, integer: true },
  }),
  "max-in-flight": text("Messages awaiting delivery before the source pauses", KAFKA, {
    default: String(DEFAULTS.maxInFlight),
    range: { min: 1, max: 10_000_000, integer: true },
  }),
  "max-in-flight-mb": text(
    "MiB of values awaiting delivery before the source pauses: bounds memory when records are large or the broker stalls",
    KAFKA,
    { default: String(DEFAULTS.maxInFlightMb), range: { min: 0, above: true, max: 1_048_576 } },
  ),
  "delivery-reports": text(
    "errors (the default without --transactional-id): librdkafka reports only failures, the counts of what is delivered come from its statistics while running and are exact at each commit and at exit; all (the default with it): a report per record, exact at every moment, slower",
    KAFKA,
    { choices: ["errors", "all"] },
  ),
  "flush-timeout": text("Seconds to wait for deliveries at exit", KAFKA, { default: "10", range: SECONDS }),
  "connect-timeout": text("Seconds to wait for the broker at start", KAFKA, {
    default: "10",
    range: { min: 0, above: true, max: 86_400 },
  }),
} as const;

/** The flags of a stream run that shape what `profile` charts (it writes no records: no sink, Kafka or live flags). */
const PROFILED = [
  "config",
  "data",
  "weights",
  "return-rate",
  "decline-rate",
  "seed",
  "min-delta",
  "max-delta",
  "lead-time",
  "arrivals",
  "rate",
  "rate-profile",
  "scenario",
  "from",
  "to",
  "schema-version",
  "log-level",
] as const;

/** The options of `profile`: the stream's that shape the chart, and where to write it. */
export const PROFILE_OPTIONS = {
  ...(Object.fromEntries(PROFILED.map((flag) => [flag, STREAM_OPTIONS[flag]])) as Pick<
    typeof STREAM_OPTIONS,
    (typeof PROFILED)[number]
  >),
  out: text("SVG file to write", STREAM, { default: "profile.svg" }),
} as const;

/** The options of `verify`. */
export const VERIFY_OPTIONS = {
  brokers: { ...text("Bootstrap servers (default as for streaming)"), alias: ["b", "bootstrap-server"] },
  "kafka-config": text("Client settings file, as for streaming"),
  X: list("Any librdkafka property, key=value (repeatable)", undefined),
  "reference-records": {
    type: "boolean",
    describe:
      "With --sink stdout: also print the chain's stores and products, as version 2 writes them to their topics before the first event (Kafka and the database always get them)",
    group: STREAM,
  },
  topic: list("Topic of a type, as the run was given it, e.g. sales=my-sales (repeatable)", undefined),
  "topic-prefix": text("The run's --topic-prefix"),
  "truth-topic": text("Topic of the run's ground truth (read when it exists)", undefined, { shown: "retail-truth" }),
  since: text("Start at the first record at or after this ISO 8601 time", undefined, { shown: "the beginning" }),
  offsets: text("Start at these offsets: topic:partition:offset,..."),
  "max-records": text("Stop after this many records", undefined, { range: { min: 1, max: 1e12, integer: true } }),
  idle: text(
    "Stop once nothing came for this many seconds (the read also ends at what was there when it began)",
    undefined,
    { default: "5", range: { min: 0, above: true, max: 86_400 } },
  ),
  input: text(
    "Check a file of --sink stdout lines instead of Kafka (with --postgres: the seed's stream the database is checked against)",
  ),
  postgres: text(
    "Check the database a --sink postgres run wrote (postgres://USER:PASSWORD@HOST:PORT/DATABASE, or $PGPASSWORD): orders, decrements, stock ledger, prices, and with --input the stream",
  ),
  format: text("The run's --format: json, avro, protobuf or json-schema (read by the registry's schema of each id)"),
  "schema-registry": text(
    "Schema Registry URL for the registry formats (default schema.registry.url of --kafka-config)",
  ),
  data: text("Folder of the chain the run used", undefined, { shown: "the sample chain" }),
  "lead-time": text("The run's --lead-time: minutes, or with a unit (4h)", undefined, { default: "240" }),
  "connect-timeout": text("Seconds to wait for the broker", undefined, {
    default: "10",
    range: { min: 0, above: true, max: 86_400 },
  }),
  show: text("Violations to list", undefined, { default: "10", range: { min: 0, max: 1_000_000, integer: true } }),
  "log-level": text("error, warn, info or debug", undefined, { default: "info" }),
} as const;

/** The options of `judge`. */
export const JUDGE_OPTIONS = {
  mapping: text(
    "What the pipeline's output holds in the truth's terms: a JSON or YAML file (judge --example prints one)",
  ),
  example: text("Print an example mapping for this measure and exit", undefined, {
    choices: ["revenue", "units", "sales", "transactions", "customers", "avg_basket", "closing_stock", "events"],
  }),
  output: text("The pipeline's output as a file: JSON lines, or CSV (by its .csv name)"),
  "output-topic": text("The pipeline's output as a Kafka topic (JSON values, or --format's through the registry)"),
  format: text(
    "The values of --output-topic: json, or avro, protobuf or json-schema read by the registry's schema of each id",
    undefined,
    {
      default: "json",
    },
  ),
  "schema-registry": text(
    "Schema Registry URL for the registry formats (default schema.registry.url of --kafka-config)",
  ),
  "output-query": text("The pipeline's output as the rows of a PostgreSQL query or table, with --postgres"),
  postgres: text("The database of --output-query (postgres://USER:PASSWORD@HOST:PORT/DATABASE, or $PGPASSWORD)"),
  truth: text("The run's truth: its --truth-file, or a --sink stdout capture holding its truth records"),
  "truth-topic": text("The run's truth as a Kafka topic", undefined, { shown: "retail-truth" }),
  input: text(
    "The run's records (a --sink stdout capture): the truth of a pipeline with the policy below is computed from them, and they name the records behind each difference",
  ),
  "watermark-delay": text(
    "The pipeline's policy: its watermark's delay behind the latest event time (bounded out-of-orderness), minutes or with a unit; given, the expected values come from --input under the policy",
  ),
  "allowed-lateness": text("The pipeline's policy: how long a fired window still takes late records", undefined, {
    default: "0",
  }),
  late: text("The pipeline's policy: records later than that are dropped, or update their window", undefined, {
    choices: ["drop", "update"],
    default: "drop",
  }),
  duplicates: text("The pipeline's policy: records of an event_id seen before are kept or removed", undefined, {
    choices: ["keep", "remove"],
    default: "keep",
  }),
  live: {
    type: "boolean",
    describe:
      "The run is still going: judge only the windows closed so far (by the truth's complete windows, or by the policy's watermark over --input)",
  },
  data: text("Folder of the chain the run used", undefined, { shown: "the sample chain" }),
  report: text("text, or json for CI", undefined, { choices: ["text", "json"], default: "text" }),
  show: text("Differences to list", undefined, { default: "10", range: { min: 0, max: 1_000_000, integer: true } }),
  brokers: { ...text("Bootstrap servers (default as for streaming)"), alias: ["b", "bootstrap-server"] },
  "kafka-config": text("Client settings file, as for streaming"),
  X: list("Any librdkafka property, key=value (repeatable)", undefined),
  idle: text("Stop reading a topic once nothing came for this many seconds", undefined, {
    default: "5",
    range: { min: 0, above: true, max: 86_400 },
  }),
  "connect-timeout": text("Seconds to wait for the broker", undefined, {
    default: "10",
    range: { min: 0, above: true, max: 86_400 },
  }),
  "log-level": text("error, warn, info or debug", undefined, { default: "info" }),
} as const;

/** How an option table declares one flag. */
type Spec = { readonly type: "string" | "boolean"; readonly array?: true };

/** `min-delta` → `minDelta`, as yargs hands flags over. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** The arguments a table declares, as yargs hands them over: text untouched (so messages can quote it), switches, lists. */
export type ArgsOf<T extends Record<string, Spec>> = {
  -readonly [K in keyof T & string as Camel<K>]?: T[K] extends { type: "boolean" }
    ? boolean
    : T[K] extends { array: true }
      ? string[]
      : string;
};

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The declared arguments out of what yargs parsed, each checked to be what its table says (anything else is left out). */
export function argsOf<T extends Record<string, Spec>>(table: T, parsed: Record<string, unknown>): ArgsOf<T> {
  const args: Record<string, string | boolean | string[]> = {};
  for (const [flag, spec] of Object.entries(table)) {
    const value = parsed[camel(flag)];
    if (
      spec.type === "boolean"
        ? typeof value === "boolean"
        : spec.array === true
          ? Array.isArray(value)
          : typeof value === "string"
    ) {
      args[camel(flag)] = spec.array === true ? (value as unknown[]).map(String) : (value as string | boolean);
    }
  }
  return args as ArgsOf<T>;
}

/** The range of a numeric flag, as its table declares it. */
export function rangeOf<T extends Record<string, Spec>>(table: T, flag: keyof T & string): Range {
  const spec = table[flag] as Spec & { range?: Range };
  if (spec.range === undefined) throw new Error(`--${flag} declares no range`);
  return spec.range;
}

/** The default text of a flag, as its table declares it (the help shows the same). */
export function defaultOf<T extends Record<string, Spec>>(table: T, flag: keyof T & string): string {
  const spec = table[flag] as Spec & { parserDefault?: string };
  if (spec.parserDefault === undefined) throw new Error(`--${flag} declares no default`);
  return spec.parserDefault;
}

/**
 * Every flag given without one it needs, or with one it cannot be given with, as the table declares
 * them: one line each, in this tool's words (a switch counts as given when on).
 */
export function relationProblems<T extends Record<string, Spec>>(table: T, args: Record<string, unknown>): string[] {
  const given = (flag: string): boolean => {
    const value = args[camel(flag)];
    return value !== undefined && value !== false;
  };
  const problems: string[] = [];
  for (const [flag, spec] of Object.entries(table) as Array<[string, Spec & Relations]>) {
    if (!given(flag)) continue;
    const { needs, excludes } = spec;
    if (needs !== undefined && !needs.any.some(given))
      problems.push(`--${flag} needs --${needs.any.join(" or --")}${needs.why === undefined ? "" : ` (${needs.why})`}`);
    if (excludes !== undefined && given(excludes.flag))
      problems.push(`--${flag} and --${excludes.flag} ${excludes.why}`);
  }
  return problems;
}

/** The options of `sample-data`. */
export const SAMPLE_DATA_OPTIONS = {
  stores: { type: "string", default: "20", describe: "Number of stores" },
  products: { type: "string", default: "500", describe: "Number of products" },
  seed: { type: "string", default: "42", describe: "Seed" },
  out: { type: "string", default: "data", describe: "Folder to write to" },
  force: { type: "boolean", default: false, describe: "Overwrite a chain already in the folder" },
} as const;

/** The options of `schemas`. */
export const SCHEMAS_OPTIONS = {
  format: {
    type: "string",
    default: "json",
    choices: ["json", "avro", "protobuf", "flink-sql", "ksql"],
    describe:
      "Which schemas: the event schemas, or the SQL that declares every topic (schema versions 2 and 3, JSON values) in Flink SQL or ksqlDB",
  },
  write: {
    type: "boolean",
    default: false,
    describe: "Write the generated Avro and Protobuf schemas into data/schemas/ instead",
  },
  brokers: {
    type: "string",
    alias: ["b", "bootstrap-server"],
    describe: "SQL: the bootstrap servers the tables read",
    defaultDescription: DEFAULT_BROKERS,
  },
  "topic-prefix": { type: "string", describe: "SQL: the run's --topic-prefix" },
  watermark: {
    type: "string",
    default: "5s",
    describe: "SQL: how late an event may come (at least the span of --faults late=…:SPAN), with a unit",
  },
  "value-format": {
    type: "string",
    default: "json",
    choices: ["json", "avro", "protobuf", "json-schema"],
    describe: "SQL: the run's --format (Flink: json or avro; ksqlDB: any, its columns then inferred from the registry)",
  },
  "schema-registry": {
    type: "string",
    describe: "SQL: the registry URL the Flink tables of --value-format avro read (Confluent API)",
  },
  bounded: {
    type: "boolean",
    default: false,
    describe: "Flink SQL: read up to the offsets at the job's start, then end (scan.bounded.mode = latest-offset)",
  },
  "schema-version": {
    type: "string",
    default: String(LATEST_VERSION),
    choices: SCHEMA_VERSIONS.map(String),
    describe: "json, avro, protobuf: the schemas of this version's event types (the one a run writes by default)",
  },
} as const;
