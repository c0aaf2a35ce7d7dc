import { readFileSync } from "node:fs";
import yargs, { type Argv } from "yargs";
import { SINK_DEFAULTS as DEFAULTS } from "../sinks/kafka/defaults.js";
import { ConfigError } from "../errors.js";
import type { RawArgs } from "./args.js";
import type { VerifyArgs } from "./verifyCommand.js";

export type Parsed =
  | { command: "stream"; args: RawArgs }
  | { command: "sample-data"; stores: string; products: string; seed: string; out: string }
  | { command: "schemas"; format: string; write: boolean }
  | { command: "list-scenarios" }
  | { command: "profile"; args: RawArgs; out: string }
  | { command: "verify"; args: VerifyArgs }
  | { command: "done" };

const STREAM = "Streaming:";
const TIME = "Time:";
const KAFKA = "Kafka:";
const TRUTH = "Ground truth:";
const FAULTS = "Faults:";
const LIVE = "Watching and steering:";

// A flag given twice: the last one wins (repeatable flags are declared `array`).
const last = (value: unknown): unknown => (Array.isArray(value) ? value.at(-1) : value);

/** A text option (its value kept as typed, for messages to quote), in `group` of the help if given. */
const text = (describe: string, group?: string, extra: { array?: boolean; choices?: string[] } = {}) =>
  ({ type: "string" as const, requiresArg: true, describe, ...(group === undefined ? {} : { group }), ...(extra.array ? {} : { coerce: last }), ...extra });

function streamOptions(y: Argv): Argv {
  return y
    .option("continuous", { type: "boolean", describe: "Run until stopped (the default without --count/--duration)", group: STREAM })
    .option("count", text("Stop after N primary events made (a sale and its decrement count once)", STREAM))
    .option("duration", text("Stop after this much simulated time: minutes, or with a unit (90s, 10m, 2h, 1d) (wall time at --speed 1)", STREAM))
    .option("min-delta", text("Shortest gap between events, seconds (default 10)", STREAM))
    .option("max-delta", text("Longest gap between events, seconds (default 60)", STREAM))
    .option("weights", text("Mix of primary events, e.g. sales=50,inventory=20,customer=15,price=10 (restock alerts follow the stock)", STREAM))
    .option("seed", text("Seed of the one random generator (same seed, same stream)", STREAM))
    .option("config", text("JSON file: timing.min_delta_seconds, timing.max_delta_seconds, timing.event_distribution, logging.level", STREAM))
    .option("data", text("Folder with stores.json and products.json (default: the sample chain shipped in data/)", STREAM))
    .option("sink", text("Where events go", STREAM, { choices: ["kafka", "stdout"] }))
    .option("topic", text("Topic of a type, e.g. sales=my-sales (repeatable; taken as given)", STREAM, { array: true }))
    .option("topic-prefix", text("Put this before every default topic name (the truth's too), e.g. dev. for dev.retail-sales-transactions", STREAM))
    .option("log-level", text("error, warn, info or debug (default info)", STREAM))
    .option("stats-interval", text("Seconds between stats lines (default 10)", STREAM))
    .option("workers", text("Worker processes, each generating a shard with its own producer (default 1); one summary, one stats line and one --http view for all", STREAM))
    .option("shard", text("Generate only stores with hash(store_id) mod N == i, e.g. 0/4 (run N processes for one chain)", STREAM))
    .option("lead-time", text("Simulated time from a restock alert to its receipt: minutes, or with a unit (default 240, i.e. 4h)", STREAM))
    .option("arrivals", text("Gap model: uniform (--min/max-delta, the default), poisson or fixed (--rate)", TIME, { choices: ["uniform", "poisson", "fixed"] }))
    .option("rate", text("Primary events per minute for --arrivals poisson|fixed, or to override a scenario's rate", TIME))
    .option("scenario", text("A built-in scenario (weekday, weekend, black-friday) or a scenario .json/.mjs file", TIME))
    .option("list-scenarios", { type: "boolean", describe: "List the built-in scenarios and exit", group: TIME })
    .option("start-time", text("Simulated time of the first event, ISO 8601 (default now); every time without an offset is UTC", TIME))
    .option("speed", text("Simulated time runs this many times faster than the wall clock (default 1)", TIME))
    .option("from", text("Backfill from this ISO 8601 time at full speed", TIME))
    .option("to", text("End of the backfill (default now); with --continuous or --duration, live pacing follows", TIME))
    .option("truth", { type: "boolean", describe: "Also write the ground truth: per event-time window, per store and channel, what a correct pipeline computes (to the truth topic, or --truth-file)", group: TRUTH })
    .option("truth-window", text("Length of the truth's tumbling event-time windows: minutes, or with a unit (default 60)", TRUTH))
    .option("truth-file", text("Write the truth as JSON lines to this file instead of the truth topic (implies --truth)", TRUTH))
    .option("truth-topic", text("Topic of the truth records (default retail-truth)", TRUTH))
    .option("faults", text("Faults on purpose, e.g. duplicate=0.01,late=0.02:5m,malformed=0.001,nulls=0.01,offline=S003@2026-11-02T10:00:00Z+60m (beats a scenario's)", FAULTS))
    .option("fault-headers", text("on (the default): each faulted record says so in its fault header; off: nothing tells", FAULTS, { choices: ["on", "off"] }))
    .option("http", text("Serve /metrics, /healthz, /readyz, /status, POST /control and a live page at [HOST:]PORT (loopback unless a host is given)", LIVE))
    .option("http-token", text("Token that POST /control must send (Authorization: Bearer …); required when --http binds beyond loopback", LIVE))
    .option("control-log", text("Append every change made through /control to this JSON-lines file (a controlled run replays only with it)", LIVE))
    .option("brokers", { ...text("Bootstrap servers (default: -X or --kafka-config bootstrap.servers, else $KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)", KAFKA), alias: ["b", "bootstrap-server"] })
    .option("record-timestamp", text("event (the default): a record's Kafka timestamp is its event time; wall: the wall clock when produced, the event time staying in the value and an event_time header (for topics that refuse timestamps ahead of the broker's clock)", KAFKA, { choices: ["event", "wall"] }))
    .option("compression", text("none, gzip, snappy, lz4 or zstd (default lz4)", KAFKA))
    .option("kafka-config", text("Client settings file (client.properties: key=value, librdkafka or Java names), for every Kafka client the tool runs; keeps secrets off the command line", KAFKA))
    .option("X", text("Any librdkafka property, key=value (repeatable; beats --kafka-config)", KAFKA, { array: true }))
    .option("format", text("Record values: json (the default), avro, protobuf or json-schema (the last three through a Schema Registry, Confluent wire format)", KAFKA, { choices: ["json", "avro", "protobuf", "json-schema"] }))
    .option("schema-registry", text("Schema Registry URL, Confluent API (e.g. http://127.0.0.1:8081/apis/ccompat/v7; default schema.registry.url of --kafka-config)", KAFKA))
    .option("register", { type: "boolean", describe: "Register the schemas at start (the default); --no-register uses the latest registered versions, which must match", group: KAFKA })
    .option("transactional-id", text("Exactly once: write in transactions under this id (one per shard: the shard is appended), each carrying a checkpoint", KAFKA))
    .option("commit-interval", text("Wall milliseconds between transaction commits (default 100); a tick is never split", KAFKA))
    .option("commit-records", text("Commit after this many records at most (default 10000)", KAFKA))
    .option("resume", { type: "boolean", describe: "Go on from the last committed checkpoint of --transactional-id (same options), or start if there is none", group: KAFKA })
    .option("create-topics", text("auto: create missing topics (the default); never: use existing ones only (a writer without CREATE)", KAFKA, { choices: ["auto", "never"] }))
    .option("topic-config", text("A setting of the topics created at start, key=value (repeatable), e.g. retention.ms=-1 to keep a backfill older than the broker's retention", KAFKA, { array: true }))
    .option("partitions", text("Partitions of topics created at start (default: the broker's)", KAFKA))
    .option("replication-factor", text("Replication factor of topics created at start (default: the broker's)", KAFKA))
    .option("max-in-flight", text(`Messages awaiting delivery before the source pauses (default ${DEFAULTS.maxInFlight})`, KAFKA))
    .option("max-in-flight-mb", text(`MiB of values awaiting delivery before the source pauses (default ${DEFAULTS.maxInFlightMb}): bounds memory when records are large or the broker stalls`, KAFKA))
    .option("delivery-reports", text("errors (the default without --transactional-id): librdkafka reports only failures, the counts of what is delivered come from its statistics while running and are exact at each commit and at exit; all (the default with it): a report per record, exact at every moment, slower", KAFKA, { choices: ["errors", "all"] }))
    .option("flush-timeout", text("Seconds to wait for deliveries at exit (default 10)", KAFKA))
    .option("connect-timeout", text("Seconds to wait for the broker at start (default 10)", KAFKA))
    .example("$0 --continuous", "Stream into the local broker, one event every 10–60 s")
    .example("$0 --sink stdout --count 1000 --min-delta 0 --max-delta 0 --seed 1", "1000 events at once, as JSON lines")
    .example("$0 --from 2026-01-01T00:00:00Z --to 2026-01-31T00:00:00Z --seed 7", "Backfill January into Kafka")
    .example("$0 --speed 60 --weights sales=80,customer=20", "An hour of sales and visits a minute");
}

function verifyOptions(y: Argv): Argv {
  return y
    .option("brokers", { ...text("Bootstrap servers (default as for streaming)"), alias: ["b", "bootstrap-server"] })
    .option("kafka-config", text("Client settings file, as for streaming"))
    .option("X", text("Any librdkafka property, key=value (repeatable)", undefined, { array: true }))
    .option("topic", text("Topic of a type, as the run was given it, e.g. sales=my-sales (repeatable)", undefined, { array: true }))
    .option("topic-prefix", text("The run's --topic-prefix"))
    .option("truth-topic", text("Topic of the run's ground truth (default retail-truth; read when it exists)"))
    .option("since", text("Start at the first record at or after this ISO 8601 time (default: the beginning)"))
    .option("offsets", text("Start at these offsets: topic:partition:offset,..."))
    .option("max-records", text("Stop after this many records"))
    .option("idle", text("Stop once nothing came for this many seconds (default 5; the read also ends at what was there when it began)"))
    .option("input", text("Check a file of --sink stdout lines instead of Kafka"))
    .option("format", text("The run's --format: json (the default), avro, protobuf or json-schema (read by the registry's schema of each id)"))
    .option("schema-registry", text("Schema Registry URL for the registry formats (default schema.registry.url of --kafka-config)"))
    .option("data", text("Folder of the chain the run used (default: the sample chain)"))
    .option("lead-time", text("The run's --lead-time, minutes (default 240)"))
    .option("connect-timeout", text("Seconds to wait for the broker (default 10)"))
    .option("show", text("Violations to list (default 10)"))
    .option("log-level", text("error, warn, info or debug (default info)"))
    .example("$0 verify --topic sales=my-sales", "Check what a run wrote, read from the beginning with read_committed");
}

/** The package's version, for `--version`. */
const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** yargs' wording of a refused choice, as this tool says it: `--sink: "file" is not one of kafka, stdout`. */
function inOurWords(message: string): string {
  const choice = /^Invalid values:\s*Argument: ([\w-]+), Given: (.*), Choices: (.*)$/.exec(message);
  if (choice === null) return message;
  const flag = (choice[1] as string).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${flag}: ${choice[2]} is not one of ${(choice[3] as string).replace(/"/g, "")}`;
}

/** Names the environment variable behind an unknown option that came from `RETAIL_STREAM_*`. */
function fromEnvironment(message: string, env: Record<string, string | undefined>): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown === null) return message;
  const names = (unknown[1] as string).split(", ").map((name) => {
    const variable = `RETAIL_STREAM_${name.replace(/([a-z])([A-Z])/g, "$1_$2").replace(/-/g, "_").toUpperCase()}`;
    return env[variable] === undefined ? name : `${name} (from the environment variable ${variable})`;
  });
  return `Unknown argument${names.length > 1 ? "s" : ""}: ${names.join(", ")}`;
}

/** Parses the command line; bad input is a `ConfigError`, `--help` prints and returns "done". */
export async function parseCommandLine(argv: string[], print: (text: string) => void, env: Record<string, string | undefined>): Promise<Parsed> {
  let parsed: Parsed = { command: "done" };
  const cli = yargs(argv)
    .scriptName("retail-stream")
    .usage("$0 [options]\n\nRealistically paced retail events for Apache Kafka.")
    .command("$0", "Stream retail events (the default)", streamOptions, (a) => {
      parsed = a.listScenarios ? { command: "list-scenarios" } : { command: "stream", args: a as unknown as RawArgs };
    })
    .command("profile", "Chart a scenario's events per hour by type (SVG) before pointing it at Kafka", (y) =>
      streamOptions(y).option("out", { type: "string", default: "profile.svg", describe: "SVG file to write", group: STREAM }),
    (a) => {
      parsed = { command: "profile", args: a as unknown as RawArgs, out: a.out };
    })
    .command("verify", "Read a run's topics back and check them: schemas, unique ids, one decrement per sale, the ledger, restocks, prices and the ground truth; exit 0 or 1", verifyOptions,
      (a) => {
        parsed = { command: "verify", args: a as unknown as VerifyArgs };
      })
    .command("sample-data", "Write a seeded sample chain (stores.json, products.json)", (y) =>
      y.option("stores", { type: "string", default: "20", describe: "Number of stores" })
        .option("products", { type: "string", default: "500", describe: "Number of products" })
        .option("seed", { type: "string", default: "42", describe: "Seed" })
        .option("out", { type: "string", default: "data", describe: "Folder to write to" }),
    (a) => {
      parsed = { command: "sample-data", stores: a.stores, products: a.products, seed: a.seed, out: a.out };
    })
    .command("schemas", "Print the schemas of every event type: JSON Schema (the source), or the Avro and Protobuf ones generated from it", (y) =>
      y.option("format", { type: "string", default: "json", choices: ["json", "avro", "protobuf"], describe: "Which schemas" })
        .option("write", { type: "boolean", default: false, describe: "Write the generated Avro and Protobuf schemas into data/schemas/ instead" }),
    (a) => {
      parsed = { command: "schemas", format: a.format, write: a.write };
    })
    .env("RETAIL_STREAM")
    .epilogue("Every option can also be set in the environment as RETAIL_STREAM_<OPTION> (e.g. RETAIL_STREAM_MIN_DELTA=5, RETAIL_STREAM_SINK=stdout); a flag on the command line wins. KAFKA_BOOTSTRAP_SERVERS sets the brokers when --brokers is not given.")
    .strict()
    .help()
    .alias("h", "help")
    .version(VERSION)
    // To the terminal (a pipe or `make docs`: COLUMNS, else 100), never mid-word.
    .wrap(Math.max(60, Number(env.COLUMNS) || process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw new ConfigError([fromEnvironment(inOurWords((message ?? error?.message ?? "bad command line").replace(/\s*\n\s*/g, " ")), env)]);
    });
  await cli.parseAsync(argv, {}, (_error, _argv, output) => {
    if (output) print(output);
  });
  return parsed;
}
