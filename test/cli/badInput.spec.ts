import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBuild, runCli } from "../support/cli.js";

function tempFile(name: string, text: string, encoding: BufferEncoding = "utf8"): string {
  const dir = mkdtempSync(join(tmpdir(), "rs-"));
  writeFileSync(join(dir, name), Buffer.from(text, encoding));
  return join(dir, name);
}

/** A chain folder; `encoding` writes `which` file (or both) in another encoding than UTF-8. */
function dataDir(
  stores: string,
  products: string,
  encoding: BufferEncoding = "utf8",
  which?: "stores" | "products",
): string {
  const dir = mkdtempSync(join(tmpdir(), "rs-data-"));
  const bytes = (text: string, file: "stores" | "products"): Buffer =>
    Buffer.from(text, which === undefined || which === file ? encoding : "utf8");
  writeFileSync(join(dir, "stores.json"), bytes(stores, "stores"));
  writeFileSync(join(dir, "products.json"), bytes(products, "products"));
  return dir;
}

const store = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  store_id: "S1",
  name: "A",
  city: "B",
  region: "C",
  timezone: "UTC",
  opening_hours: { open: "08:00", close: "20:00" },
  ...fields,
});
const product = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  sku: "P1",
  name: "A",
  category: "Toys",
  brand: "C",
  base_price: 1.99,
  cost: 1.2,
  initial_stock: 10,
  reorder_point: 2,
  ...fields,
});
const STORES = JSON.stringify([store()]);
const PRODUCTS = JSON.stringify([product()]);
const CURVE = { daily: new Array(24).fill(1), weekly: new Array(7).fill(1) };
const SALE = { at: "2026-01-01T00:00:00Z", durationMinutes: 60, category: "Toys", discount: 0.3, demandFactor: 2 };
const scenarioFile = (name: string, text: string): string => tempFile(name, text);
const MARS = dataDir(JSON.stringify([store({ timezone: "Mars/Olympus" })]), PRODUCTS);
const UNWRITABLE_DIR = mkdtempSync(join(tmpdir(), "rs-ro-"));
mkdirSync(join(UNWRITABLE_DIR, "svg"));
const STREAM = ["--sink", "stdout", "--count", "3"];
const PROFILE = ["profile", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z"];

/** [what, full command line, the one line it must print, environment]. */
type Case = [string, string[], RegExp, NodeJS.ProcessEnv?];

const CASES: Case[] = [
  // Flags
  [
    "min above max",
    [...STREAM, "--min-delta", "30", "--max-delta", "20"],
    /--min-delta \(30\) must not exceed --max-delta \(20\)/,
  ],
  ["a negative delta", [...STREAM, "--min-delta", "-3"], /--min-delta: must be from 0 to 604800, got -3/],
  ["a non-numeric delta", [...STREAM, "--max-delta", "abc"], /--max-delta: expected a number, got "abc"/],
  ["--count 0", [...STREAM, "--count", "0"], /--count: must be > 0/],
  ["a negative count", [...STREAM, "--count", "-4"], /--count: must be > 0/],
  ["a negative duration", [...STREAM, "--duration", "-1"], /--duration: must be > 0/],
  [
    "a negative weight",
    [...STREAM, "--weights", "sales=-5"],
    /--weights: weight of sale must be a number from 0 to 1000000/,
  ],
  [
    "all-zero weights",
    [...STREAM, "--weights", "sales=0,customer=0"],
    /--weights: at least one weight must be above 0/,
  ],
  [
    "an unknown type in the weights",
    [...STREAM, "--weights", "sales=1,returns=2"],
    /--weights: unknown event type "returns"/,
  ],
  ["malformed weights", [...STREAM, "--weights", "sales"], /--weights: "sales" is not name=number/],
  [
    "only a restock weight (alerts need primary events)",
    [...STREAM, "--weights", "restock=5"],
    /--weights: restock alerts follow the stock that sales and other movements use up/,
  ],
  ["an unknown flag", [...STREAM, "--colour", "blue"], /Unknown argument: colour/],
  [
    "a start time that isn't a date",
    [...STREAM, "--start-time", "tomorrow"],
    /--start-time: "tomorrow" is not an ISO 8601 date/,
  ],
  ["a shard outside its count", [...STREAM, "--shard", "3/3"], /--shard: "3\/3" is not i\/N/],
  ["--speed 0", [...STREAM, "--speed", "0"], /--speed: must be from 0.001 to 1000000, got 0/],
  ["--schema-version 4", [...STREAM, "--schema-version", "4"], /--schema-version: "4" is not one of 1, 2, 3/],
  [
    "--sink postgres without --postgres",
    ["--count", "3", "--sink", "postgres"],
    /--sink postgres needs --postgres URL/,
  ],
  [
    "--postgres with --sink stdout",
    [...STREAM, "--postgres", "postgres://u:p@127.0.0.1:5433/retail"],
    /--postgres with --sink stdout: write to the database with --sink postgres, or with Kafka/,
  ],
  [
    "--postgres with --transactional-id",
    ["--count", "3", "--postgres", "postgres://u:p@127.0.0.1:5433/retail", "--transactional-id", "t1"],
    /--transactional-id with --postgres: Kafka's transactions and the database's cannot commit as one/,
  ],
  [
    "--postgres that is not a PostgreSQL URL",
    ["--count", "3", "--sink", "postgres", "--postgres", "mysql://u:p@127.0.0.1/db"],
    /--postgres: a mysql URL; expected postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/,
  ],
  [
    "--postgres that is not a URL",
    ["--count", "3", "--sink", "postgres", "--postgres", "my database"],
    /--postgres: not a URL/,
  ],
  [
    "--postgres without a database",
    ["--count", "3", "--sink", "postgres", "--postgres", "postgres://u:p@127.0.0.1:5433"],
    /--postgres: the URL names no database/,
  ],
  [
    "--faults with --format debezium",
    [...STREAM, "--format", "debezium", "--faults", "duplicate=0.1"],
    /--faults with --format debezium/,
  ],
  [
    "--format debezium-avro without a registry",
    [...STREAM, "--format", "debezium-avro"],
    /--format debezium-avro needs a schema registry/,
  ],
  [
    "--format debezium-with-schema with --postgres",
    [...STREAM, "--format", "debezium-with-schema", "--postgres", "postgres://u:p@127.0.0.1:5433/retail"],
    /--format debezium-with-schema with --postgres/,
  ],
  [
    "--truth into PostgreSQL",
    ["--count", "3", "--sink", "postgres", "--postgres", "postgres://u:p@127.0.0.1:5433/retail", "--truth"],
    /--truth with --sink postgres: the database keeps no truth table/,
  ],
  [
    "schemas --watermark that is not a span",
    ["schemas", "--format", "flink-sql", "--watermark", "soon"],
    /--watermark: "soon" is not a span/,
  ],
  [
    "schemas --format flink-sql of protobuf values",
    ["schemas", "--format", "flink-sql", "--value-format", "protobuf"],
    /--value-format protobuf: Flink SQL reads this tool's json or avro/,
  ],
  [
    "schemas --format flink-sql of avro without a registry",
    ["schemas", "--format", "flink-sql", "--value-format", "avro"],
    /--value-format avro needs --schema-registry URL/,
  ],
  [
    "schemas --format that is not one",
    ["schemas", "--format", "spark"],
    /--format: "spark" is not one of json, avro, protobuf, flink-sql, ksql/,
  ],
  ["--speed that is not a number", [...STREAM, "--speed", "fast"], /--speed: expected a number, got "fast"/],
  ["--from that is not a date", [...STREAM, "--from", "last-week"], /--from: "last-week" is not an ISO 8601 date/],
  [
    "--to before --from",
    [...STREAM, "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-01T00:00:00Z"],
    /--to \(2026-01-01T00:00:00Z\) must be after --from/,
  ],
  [
    "--from in the future",
    [...STREAM, "--from", "2099-01-01T00:00:00Z"],
    /--from: 2099-01-01T00:00:00Z is in the future/,
  ],
  [
    "--speed with a pure backfill",
    [...STREAM, "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z", "--speed", "10"],
    /--speed has no meaning for a pure backfill/,
  ],
  [
    "a topic prefix no topic name can start with",
    [...STREAM, "--topic-prefix", "dev/"],
    /--topic-prefix: "dev\/" cannot start a topic name/,
  ],
  [
    "a bad sink",
    [...STREAM, "--sink", "file"],
    /^retail-stream: --sink: "file" is not one of kafka, stdout, postgres, files$/m,
  ],
  [
    "a duration with an unknown unit",
    [...STREAM, "--duration", "10x"],
    /--duration: expected minutes, or a span with a unit \(90s, 10m, 2h, 1d\), got "10x"/,
  ],
  ["a lead time of words", [...STREAM, "--lead-time", "soon"], /--lead-time: expected minutes, or a span with a unit/],
  [
    "a time of day without minutes",
    [...STREAM, "--start-time", "2026-01-01T09"],
    /--start-time: "2026-01-01T09" is not an ISO 8601 date/,
  ],
  [
    "a bad compression",
    ["--count", "1", "--compression", "brotli"],
    /--compression: "brotli" is not one of none, gzip, snappy, lz4, zstd/,
  ],
  ["-X without a value", ["--count", "1", "-X", "acks"], /-X: "acks" is not key=value/],
  ["a topic that isn't type=name", [...STREAM, "--topic", "sales"], /--topic: "sales" is not type=name/],
  ["a negative lead time", [...STREAM, "--lead-time", "-1"], /--lead-time: must be from 0 to 525600 minutes, got -1/],
  [
    "a fault probability above 1",
    [...STREAM, "--faults", "duplicate=2"],
    /--faults: "duplicate=2" needs a probability from 0 to 1/,
  ],
  [
    "a fault delay that is not a span",
    [...STREAM, "--faults", "late=0.1:5x"],
    /--faults: "late=0.1:5x" has a delay that is not a span/,
  ],
  [
    "an unknown fault",
    [...STREAM, "--faults", "teleport=0.1"],
    /--faults: "teleport=0.1" is not one of duplicate, late, malformed, nulls, offline/,
  ],
  [
    "an offline store not in the chain",
    [...STREAM, "--faults", "offline=S999@2026-11-02T10:00:00Z+60m"],
    /--faults: offline store S999 is not a store of the chain/,
  ],
  [
    "an offline window without a time",
    [...STREAM, "--faults", "offline=S003@never+60m"],
    /--faults: "offline=S003@never\+60m" is not offline=STORE@ISO-TIME\+SPAN/,
  ],
  [
    "a field nulls cannot null",
    [...STREAM, "--faults", "nulls=0.1:customer_id"],
    /--faults: "nulls=0.1:customer_id" names customer_id: fields that can be nulled are source_event_id/,
  ],
  ["fault headers neither on nor off", [...STREAM, "--fault-headers", "maybe"], /fault-headers/],
  [
    "a scenario's late fault without its delay",
    [
      ...STREAM,
      "--scenario",
      scenarioFile("late.json", JSON.stringify({ rate: 1, curve: CURVE, faults: { late: { p: 0.1 } } })),
    ],
    /\/faults\/late: missing field "delayMinutes"/,
  ],
  [
    "a scenario's anomaly of an unknown kind",
    [
      ...STREAM,
      "--scenario",
      scenarioFile("kind.json", JSON.stringify({ rate: 1, curve: CURVE, anomalies: [{ kind: "theft", perDay: 1 }] })),
    ],
    /\/anomalies\/0\/kind: must be one of shrinkage, card_testing, stockout, pricing_error, demand_spike, got "theft"/,
  ],
  [
    "a scenario's anomaly both dated and at a rate",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "both.json",
        JSON.stringify({ rate: 1, curve: CURVE, anomalies: [{ kind: "stockout", perDay: 1, at: "day+0T10:00Z" }] }),
      ),
    ],
    /\/anomalies\/0: needs exactly one of "at" \(one episode\) and "perDay" \(episodes a day\)/,
  ],
  [
    "a scenario's anomaly at a product not in the chain",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "sku.json",
        JSON.stringify({ rate: 1, curve: CURVE, anomalies: [{ kind: "pricing_error", perDay: 1, product: "P9999" }] }),
      ),
    ],
    /\/anomalies\/0\/product: "P9999" is not a product of the chain/,
  ],
  [
    "a scenario's offline store not in the chain",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "off.json",
        JSON.stringify({
          rate: 1,
          curve: CURVE,
          faults: { offline: [{ store: "S999", at: "2026-01-01T00:00:00Z", durationMinutes: 5 }] },
        }),
      ),
    ],
    /\/faults\/offline\/0\/store: "S999" is not a store of the chain/,
  ],
  ["an --http that is not HOST:PORT", [...STREAM, "--http", "localhost"], /--http: "localhost" is not \[HOST:\]PORT/],
  ["an --http port out of range", [...STREAM, "--http", "70000"], /--http: "70000" is not \[HOST:\]PORT/],
  [
    "--http beyond loopback without a token",
    [...STREAM, "--http", "0.0.0.0:9464"],
    /--http 0.0.0.0:9464 listens beyond loopback: set --http-token/,
  ],
  [
    "a control log without --http",
    [...STREAM, "--control-log", "/tmp/c.jsonl"],
    /^retail-stream: --control-log needs --http$/m,
  ],
  [
    "a truth window without --truth",
    [...STREAM, "--truth-window", "5"],
    /^retail-stream: --truth-window needs --truth or --truth-file$/m,
  ],
  [
    "--sink files without a directory",
    ["--sink", "files", "--count", "3"],
    /^retail-stream: --sink files needs --files-dir DIR \(the directory of the data sets\)$/m,
  ],
  [
    "--files-dir naming a file",
    ["--sink", "files", "--files-dir", "package.json", "--count", "3"],
    /^retail-stream: --files-dir: package.json is a file, not a directory$/m,
  ],
  [
    "--files-dir under a file",
    ["--sink", "files", "--files-dir", "package.json/data", "--count", "3"],
    /^retail-stream: --files-dir: cannot make package.json\/data: ENOTDIR/m,
  ],
  [
    "--files-dir with another sink",
    [...STREAM, "--files-dir", "/tmp/lake"],
    /^retail-stream: --files-dir with --sink stdout: the directory is --sink files' \(--sink files --files-dir DIR\)$/m,
  ],
  [
    "--file-format without --files-dir",
    [...STREAM, "--file-format", "csv"],
    /^retail-stream: --file-format needs --files-dir$/m,
  ],
  [
    "--file-format not a format",
    ["--sink", "files", "--files-dir", "/tmp/lake", "--file-format", "orc", "--count", "3"],
    /^retail-stream: --file-format: "orc" is not one of parquet, csv, jsonl$/m,
  ],
  [
    "--file-rows of 0",
    ["--sink", "files", "--files-dir", "/tmp/lake", "--file-rows", "0", "--count", "3"],
    /^retail-stream: --file-rows: must be from 1 to 100000000, a whole number, got 0$/m,
  ],
  [
    "--file-every of 0",
    ["--sink", "files", "--files-dir", "/tmp/lake", "--file-every", "0", "--count", "3"],
    /^retail-stream: --file-every: must be > 0 and ≤ 10080, got 0$/m,
  ],
  [
    "a registry format with --sink files",
    ["--sink", "files", "--files-dir", "/tmp/lake", "--format", "debezium", "--count", "3"],
    /^retail-stream: --format debezium with --sink files: the files hold typed rows/m,
  ],
  [
    "garbled records with --sink files",
    ["--sink", "files", "--files-dir", "/tmp/lake", "--faults", "malformed=0.1", "--count", "3"],
    /^retail-stream: --faults malformed with --sink files: a typed file cannot hold a garbled record; drop malformed$/m,
  ],
  [
    "--resume without a transactional id",
    [...STREAM, "--resume"],
    /^retail-stream: --resume needs --transactional-id$/m,
  ],
  [
    "--to without --from",
    [...STREAM, "--to", "2026-01-01T00:00:00Z"],
    /--to needs --from \(the start of the backfill\)/,
  ],
  [
    "--start-time with --from",
    [...STREAM, "--start-time", "2026-01-01T00:00:00Z", "--from", "2026-01-01T00:00:00Z"],
    /--start-time and --from both set the start: use one/,
  ],
  ["a truth window of 0", [...STREAM, "--truth", "--truth-window", "0"], /--truth-window: must be > 0/],
  [
    "a truth topic that is an event topic",
    [...STREAM, "--truth", "--truth-topic", "retail-sales-transactions"],
    /--truth-topic: retail-sales-transactions is already the topic/,
  ],
  [
    "a truth file and a truth topic",
    [...STREAM, "--truth-file", "/tmp/t.jsonl", "--truth-topic", "t"],
    /--truth-file and --truth-topic both/,
  ],
  [
    "a truth file that cannot be written",
    [...STREAM, "--truth-file", "/proc/nope/t.jsonl"],
    /--truth-file \/proc\/nope\/t.jsonl: cannot be written/,
  ],
  [
    "--create-topics that is neither auto nor never",
    ["--count", "1", "--create-topics", "sometimes"],
    /--create-topics: "sometimes" is not one of auto, never/,
  ],
  [
    "--partitions 0",
    ["--count", "1", "--partitions", "0"],
    /--partitions: must be ≥ 1 \(or -1 for the broker's default\), got 0/,
  ],
  [
    "--topic-config that is not key=value",
    ["--count", "1", "--topic-config", "retention.ms"],
    /--topic-config: "retention.ms" is not key=value with a topic setting's name/,
  ],
  ["--topic-config with no name", ["--count", "1", "--topic-config", "=7"], /--topic-config: "=7" is not key=value/],
  [
    "a missing --kafka-config file",
    ["--count", "1", "--kafka-config", "/nonexistent/client.properties"],
    /--kafka-config \/nonexistent\/client.properties: no such file/,
  ],
  [
    "a --kafka-config with a JKS truststore",
    [
      "--count",
      "1",
      "--kafka-config",
      tempFile("client.properties", "bootstrap.servers=127.0.0.1:9092\nssl.truststore.location=/x/ts.jks\n"),
    ],
    /client.properties: line 2: ssl.truststore.location is a Java truststore/,
  ],
  [
    "a --kafka-config property librdkafka does not know",
    [
      "--count",
      "1",
      "--kafka-config",
      tempFile("client.properties", "bootstrap.servers=127.0.0.1:1\nno.such.property=1\n"),
    ],
    /Kafka client settings \(--kafka-config \/ -X\): .*no\.such\.property/,
  ],
  [
    "--format avro without a registry",
    ["--count", "1", "--format", "avro"],
    /--format avro needs a schema registry: --schema-registry URL, or schema.registry.url in --kafka-config/,
  ],
  [
    "a registry URL that isn't http(s)",
    ["--count", "1", "--format", "protobuf", "--schema-registry", "registry:8081"],
    /--schema-registry: "registry:8081" is not an http\(s\) URL/,
  ],
  [
    "--no-register with JSON values",
    ["--count", "1", "--no-register"],
    /--no-register applies to --format avro, protobuf, json-schema or debezium-avro/,
  ],
  [
    "brokers that aren't host:port",
    ["--count", "1", "--brokers", "kafka.example.com"],
    /--brokers: "kafka.example.com" is not host:port/,
  ],
  [
    "an empty KAFKA_BOOTSTRAP_SERVERS",
    ["--count", "1"],
    /KAFKA_BOOTSTRAP_SERVERS is empty/,
    { KAFKA_BOOTSTRAP_SERVERS: "" },
  ],
  [
    "a shard with no stores, before Kafka is opened",
    ["--count", "1", "--shard", "3/40", "--brokers", "127.0.0.1:1", "--connect-timeout", "30"],
    /--shard 3\/40: no store of the chain's 21 falls in this shard/,
  ],
  // Config file
  [
    "a missing config file",
    [...STREAM, "--config", "/nonexistent/cfg.json"],
    /--config \/nonexistent\/cfg.json: no such file/,
  ],
  ["a config file that is a folder", [...STREAM, "--config", tmpdir()], /--config .*: is a folder/],
  [
    "a config file that isn't JSON",
    [...STREAM, "--config", tempFile("c.json", "timing: 10")],
    /--config .*c.json: not valid JSON/,
  ],
  [
    "a config file with wrong types",
    [...STREAM, "--config", tempFile("c.json", '{"timing":{"max_delta_seconds":"60"}}')],
    /c.json: \/timing\/max_delta_seconds: must be a finite number, got "60"/,
  ],
  [
    "a config file with min above max",
    [...STREAM, "--config", tempFile("c.json", '{"timing":{"min_delta_seconds":30,"max_delta_seconds":20}}')],
    /c.json: \/timing: min_delta_seconds \(30\) must not exceed max_delta_seconds \(20\)/,
  ],
  [
    "a config max below a flag's min",
    [...STREAM, "--min-delta", "50", "--config", tempFile("c.json", '{"timing":{"max_delta_seconds":20}}')],
    /--min-delta \(50\) must not exceed --config .*c.json timing.max_delta_seconds \(20\)/,
  ],
  [
    "a config file with a bad log level",
    [...STREAM, "--config", tempFile("c.json", '{"logging":{"level":"loud"}}')],
    /c.json: \/logging\/level: must be one of error, warn, info, debug/,
  ],
  [
    "a config file with only a restock weight",
    [...STREAM, "--config", tempFile("c.json", '{"timing":{"event_distribution":{"restock":0.05}}}')],
    /c.json: \/timing\/event_distribution: restock alerts follow the stock/,
  ],
  [
    "an online shop with opening hours",
    [...STREAM, "--data", dataDir(JSON.stringify([store({ channel: "online" })]), PRODUCTS)],
    /stores.json: \/0\/opening_hours: not allowed here: an online shop \(channel "online"\) is always open/,
  ],
  [
    "a physical store with an online share",
    [...STREAM, "--data", dataDir(JSON.stringify([store({ online_share: 0.5 })]), PRODUCTS)],
    /stores.json: \/0\/online_share: not allowed here: only an online shop/,
  ],
  [
    "an online share above 1",
    [
      ...STREAM,
      "--data",
      dataDir(
        JSON.stringify([
          store(),
          { ...store({ store_id: "W" }), opening_hours: undefined, channel: "online", online_share: 2 },
        ]),
        PRODUCTS,
      ),
    ],
    /stores.json: \/1\/online_share: must be <= 1, got 2/,
  ],
  [
    "an initial stock without a reorder point",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([{ ...product(), reorder_point: undefined }]))],
    /products.json: \/0: must have property reorder_point when property initial_stock is present/,
  ],
  [
    "a popularity of 0",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ popularity: 0 })]))],
    /products.json: \/0\/popularity: must be > 0, got 0/,
  ],
  // Data files
  [
    "missing data files",
    [...STREAM, "--data", "/nonexistent"],
    /\/nonexistent\/stores.json: missing; regenerate it with: bin\/retail-stream sample-data/,
  ],
  ["a data folder that is a file", [...STREAM, "--data", tempFile("x", "")], /stores.json: .*regenerate it with/],
  [
    "a malformed data file",
    [...STREAM, "--data", dataDir("[{", PRODUCTS)],
    /stores.json: not valid JSON .*regenerate it with/,
  ],
  [
    "a data file with a bad field",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ base_price: -1 })]))],
    /products.json: \/0\/base_price: must be > 0, got -1/,
  ],
  ["an empty store list", [...STREAM, "--data", dataDir("[]", PRODUCTS)], /stores.json: \/: the list is empty/],
  ["an empty product list", [...STREAM, "--data", dataDir(STORES, "[]")], /products.json: \/: the list is empty/],
  [
    "a store time zone that doesn't exist",
    [...STREAM, "--data", MARS, "--scenario", "weekday"],
    /stores.json: \/0\/timezone: "Mars\/Olympus" is not an IANA time zone/,
  ],
  [
    "a store closing before it opens",
    [
      ...STREAM,
      "--data",
      dataDir(JSON.stringify([store({ opening_hours: { open: "20:00", close: "08:00" } })]), PRODUCTS),
    ],
    /stores.json: \/0\/opening_hours: open \(20:00\) must be before close \(08:00\)/,
  ],
  [
    "opening hours that aren't HH:MM",
    [
      ...STREAM,
      "--data",
      dataDir(JSON.stringify([store({ opening_hours: { open: "8am", close: "20:00" } })]), PRODUCTS),
    ],
    /stores.json: \/0\/opening_hours\/open: must be a local time HH:MM/,
  ],
  [
    "a duplicate store id",
    [...STREAM, "--data", dataDir(JSON.stringify([store(), store()]), PRODUCTS)],
    /stores.json: \/1\/store_id: duplicate store_id "S1"/,
  ],
  [
    "a reorder point at the initial stock",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ reorder_point: 10 })]))],
    /products.json: \/0\/reorder_point: 10 must be below initial_stock \(10\)/,
  ],
  [
    "a price that isn't whole cents",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ base_price: 1.999 })]))],
    /products.json: \/0\/base_price: 1.999 is not whole cents/,
  ],
  [
    "a product with an unknown field",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ colour: "red" })]))],
    /products.json: \/0: unknown field "colour"/,
  ],
  // Scenarios
  [
    "an unknown scenario",
    [...STREAM, "--scenario", "christmas"],
    /--scenario christmas: no such built-in scenario or file \(built-ins: black-friday, weekday, weekend\)/,
  ],
  [
    "a curve of the wrong length",
    [
      ...STREAM,
      "--scenario",
      scenarioFile("curve.json", JSON.stringify({ rate: 2, curve: { ...CURVE, daily: [1, 2, 3] } })),
    ],
    /curve.json: \/curve\/daily: needs exactly 24 items, got 3/,
  ],
  [
    "a curve with negative values",
    [
      ...STREAM,
      "--scenario",
      scenarioFile("neg.json", JSON.stringify({ rate: 2, curve: { ...CURVE, daily: new Array(24).fill(-1) } })),
    ],
    /neg.json: \/curve\/daily\/0: must be >= 0, got -1/,
  ],
  [
    "a flash sale discount outside (0, 1)",
    [
      ...STREAM,
      "--scenario",
      scenarioFile("sale.json", JSON.stringify({ rate: 2, curve: CURVE, flashSales: [{ ...SALE, discount: 1.5 }] })),
    ],
    /sale.json: \/flashSales\/0\/discount: must be < 1, got 1.5/,
  ],
  [
    "a flash sale of a category the chain lacks",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "cat.json",
        JSON.stringify({ rate: 2, curve: CURVE, flashSales: [{ ...SALE, category: "Yachts" }] }),
      ),
    ],
    /cat.json: \/flashSales\/0\/category: must be one of .*got "Yachts"/,
  ],
  [
    "non-object curve dates",
    [...STREAM, "--scenario", scenarioFile("dates.json", JSON.stringify({ rate: 2, curve: { ...CURVE, dates: [3] } }))],
    /dates.json: \/curve\/dates: must be of type object, got \[3\]/,
  ],
  [
    "a scenario .mjs with an infinite rate",
    [
      ...STREAM,
      "--scenario",
      scenarioFile("inf.mjs", `export default { rate: Infinity, curve: ${JSON.stringify(CURVE)} };`),
    ],
    /inf.mjs: \/rate: must be a finite number, got Infinity/,
  ],
  [
    "a scenario .mjs with a NaN discount",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "nan.mjs",
        `export default { rate: 2, curve: ${JSON.stringify(CURVE)}, flashSales: [{ ...${JSON.stringify(SALE)}, discount: NaN }] };`,
      ),
    ],
    /nan.mjs: \/flashSales\/0\/discount: must be a finite number, got NaN/,
  ],
  [
    "a scenario .mjs that throws",
    [...STREAM, "--scenario", scenarioFile("boom.mjs", "throw new Error('boom');")],
    /boom.mjs: cannot be loaded \(boom\)/,
  ],
  ["a rate ≤ 0", [...STREAM, "--arrivals", "poisson", "--rate", "0"], /--rate: must be > 0/],
  ["poisson without a rate", [...STREAM, "--arrivals", "poisson"], /--arrivals poisson needs --rate/],
  [
    "a scenario with uniform deltas",
    [...STREAM, "--scenario", "weekday", "--min-delta", "1"],
    /--scenario sets its own arrivals/,
  ],
  // Rate profiles
  [
    "a rate profile that is not one",
    [...STREAM, "--rate-profile", "1000/s:2m,fast"],
    /^retail-stream: --rate-profile: "fast" is not RATE:DURATION or RATE\.\.RATE:DURATION \(e\.g\. 1000\/s:2m, 1000\/s\.\.5000\/s:4m\)$/m,
  ],
  [
    "a rate profile beyond the highest rate",
    [...STREAM, "--rate-profile", "1e9/s:1m"],
    /--rate-profile: "1e9\/s:1m" is not/,
  ],
  ["a rate profile of 0/s", [...STREAM, "--rate-profile", "0/s:1m"], /--rate-profile: "0\/s:1m": a rate must be > 0/],
  [
    "a rate profile with --rate",
    [...STREAM, "--rate-profile", "10/s:1m", "--rate", "5"],
    /--rate-profile sets the rate over the run: drop --rate/,
  ],
  [
    "a rate profile with uniform deltas",
    [...STREAM, "--rate-profile", "10/s:1m", "--max-delta", "5"],
    /--rate-profile sets the rate over the run: drop --max-delta/,
  ],
  [
    "a scenario whose rate profile is not one",
    [
      ...STREAM,
      "--scenario",
      scenarioFile("profile.json", JSON.stringify({ rate: 2, curve: CURVE, rateProfile: "10/s+5/s:1m" })),
    ],
    /profile.json: \/rateProfile: "10\/s\+5\/s:1m" is not RATE:DURATION/,
  ],
  // Load testing a pipeline
  [
    "--lag-group with stdout",
    [...STREAM, "--lag-group", "etl"],
    /--lag-group, --latency-topic, --produced-header and --find-capacity need --sink kafka/,
  ],
  [
    "a --latency-topic that is no topic name",
    ["--count", "1", "--latency-topic", "out put"],
    /--latency-topic: "out put" is not a topic name/,
  ],
  [
    "a --latency-match of neither form",
    ["--count", "1", "--latency-topic", "out", "--latency-match", "window:start"],
    /--latency-match: "window:start" is not a field/,
  ],
  ["--find-capacity without --lag-group", ["--find-capacity"], /find-capacity/],
  [
    "--find-capacity with --count",
    ["--find-capacity", "--lag-group", "etl", "--count", "5"],
    /--find-capacity sets the rate and ends the run itself: drop --count/,
  ],
  [
    "a capacity step of 0s",
    ["--find-capacity", "--lag-group", "etl", "--capacity-step", "0s"],
    /--capacity-step: "0s" is not a span > 0/,
  ],
  [
    "a capacity start that is not a rate",
    ["--find-capacity", "--lag-group", "etl", "--capacity-start", "fast"],
    /--capacity-start: "fast" is not a rate > 0/,
  ],
  [
    "--max-p99 without a latency topic",
    ["--find-capacity", "--lag-group", "etl", "--max-p99", "1s"],
    /--max-p99 needs --latency-topic/,
  ],
  // Other commands
  [
    "profile of a chain with a bad time zone",
    [...PROFILE, "--data", MARS, "--scenario", "weekday", "--out", join(tmpdir(), "rs-never.svg")],
    /stores.json: \/0\/timezone: "Mars\/Olympus" is not an IANA time zone/,
  ],
  [
    "profile --out into a missing folder",
    [...PROFILE, "--out", "/nonexistent/dir/week.svg"],
    /--out \/nonexistent\/dir\/week.svg: cannot be written \(its folder does not exist\)/,
  ],
  [
    "profile --out onto a folder",
    [...PROFILE, "--out", join(UNWRITABLE_DIR, "svg")],
    /--out .*svg: exists and is not a regular file/,
  ],
  ["sample-data --out under /proc", ["sample-data", "--out", "/proc/x"], /--out \/proc\/x: cannot create the folder/],
  [
    "sample-data --out onto a device",
    ["sample-data", "--out", "/dev/null"],
    /--out \/dev\/null: exists and is not a folder/,
  ],
  [
    "sample-data --stores 0",
    ["sample-data", "--stores", "0", "--out", join(tmpdir(), "rs-never")],
    /--stores: must be from 1 to 100000, a whole number, got 0/,
  ],
  // Money and stock that would wrap around (cents and stock in 32 bits, numeric(12,2))
  [
    "a price above the money range",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ base_price: 25_000_000 })]))],
    /products.json: \/0\/base_price: must be <= 1000000, got 25000000/,
  ],
  [
    "a cost above the money range",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ cost: 1e12 })]))],
    /products.json: \/0\/cost: must be <= 1000000, got 1000000000000/,
  ],
  [
    "a stock that would wrap",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ initial_stock: 3e9, reorder_point: 2 })]))],
    /products.json: \/0\/initial_stock: must be <= 1000000, got 3000000000/,
  ],
  // Huge and tiny numbers
  [
    "a weight of 1e308",
    [...STREAM, "--weights", "sales=1e308,customer=1"],
    /--weights: weight of sale must be a number from 0 to 1000000, got 1e\+308/,
  ],
  [
    "a config file weight of 1e308",
    [...STREAM, "--config", tempFile("c.json", '{"timing":{"event_distribution":{"sales":1e308}}}')],
    /\/timing\/event_distribution: weight of sale must be a number from 0 to 1000000/,
  ],
  [
    "a popularity of 1e308",
    [...STREAM, "--data", dataDir(STORES, JSON.stringify([product({ popularity: 1e308 })]))],
    /products.json: \/0\/popularity: must be <= 1000000, got 1e\+308/,
  ],
  [
    "a rate of 1e308",
    [...STREAM, "--arrivals", "poisson", "--rate", "1e308"],
    /--rate: must be > 0 and ≤ 1000000, got 1e308/,
  ],
  ["a denormal speed", [...STREAM, "--speed", "1e-320"], /--speed: must be from 0.001 to 1000000, got 1e-320/],
  ["a gap of 1e308 seconds", [...STREAM, "--max-delta", "1e308"], /--max-delta: must be from 0 to 604800, got 1e308/],
  [
    "a config file gap of 1e308",
    [...STREAM, "--config", tempFile("c.json", '{"timing":{"max_delta_seconds":1e308}}')],
    /\/timing\/max_delta_seconds: must be <= 604800/,
  ],
  [
    "a count beyond exact integers",
    [...STREAM, "--count", "1e300"],
    /--count: must be > 0 and ≤ 1000000000000, a whole number, got 1e300/,
  ],
  [
    "a flush timeout past Node's timers",
    [...STREAM, "--flush-timeout", "1e12"],
    /--flush-timeout: must be from 0 to 86400, got 1e12/,
  ],
  [
    "a scenario rate of 1e308",
    [...STREAM, "--scenario", scenarioFile("fast.json", JSON.stringify({ rate: 1e308, curve: CURVE }))],
    /fast.json: \/rate: must be <= 1000000, got 1e\+308/,
  ],
  [
    "a curve entry of 1e308",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "peak.json",
        JSON.stringify({ rate: 1, curve: { ...CURVE, daily: [1e308, ...CURVE.daily.slice(1)] } }),
      ),
    ],
    /peak.json: \/curve\/daily\/0: must be <= 1000, got 1e\+308/,
  ],
  [
    "a demand factor of 1e308",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "demand.json",
        JSON.stringify({ rate: 1, curve: CURVE, flashSales: [{ ...SALE, demandFactor: 1e308 }] }),
      ),
    ],
    /demand.json: \/flashSales\/0\/demandFactor: must be <= 1000, got 1e\+308/,
  ],
  [
    "a surge factor of 1e308",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "surge.json",
        JSON.stringify({ rate: 1, curve: CURVE, surges: [{ at: SALE.at, durationMinutes: 5, factor: 1e308 }] }),
      ),
    ],
    /surge.json: \/surges\/0\/factor: must be <= 1000, got 1e\+308/,
  ],
  // Dates that are not on the calendar, or outside what record timestamps hold
  [
    "--from on February 30",
    [...STREAM, "--from", "2026-02-30", "--to", "2026-03-02"],
    /--from: "2026-02-30" is not a time on the calendar/,
  ],
  [
    "--start-time on April 31",
    [...STREAM, "--start-time", "2026-04-31T10:00:00Z"],
    /--start-time: "2026-04-31T10:00:00Z" is not a time on the calendar/,
  ],
  [
    "--start-time at 25 o'clock",
    [...STREAM, "--start-time", "2026-04-01T25:00:00Z"],
    /--start-time: "2026-04-01T25:00:00Z" is not a time on the calendar/,
  ],
  [
    "--start-time before 1970",
    [...STREAM, "--start-time", "1960-01-01T00:00:00Z"],
    /--start-time: "1960-01-01T00:00:00Z" is outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z/,
  ],
  [
    "a duration past year 9999",
    [...STREAM, "--start-time", "9999-12-01T00:00:00Z", "--duration", "60d"],
    /--duration 60d: the run would end after 9999-12-31T23:59:59Z/,
  ],
  [
    "verify --since on February 30",
    ["verify", "--since", "2026-02-30T00:00:00Z"],
    /--since: "2026-02-30T00:00:00Z" is not a time on the calendar/,
  ],
  [
    "a scenario flash sale on February 30",
    [
      ...STREAM,
      "--scenario",
      scenarioFile(
        "feb.json",
        JSON.stringify({ rate: 1, curve: CURVE, flashSales: [{ ...SALE, at: "2026-02-30T10:00:00Z" }] }),
      ),
    ],
    /feb.json: \/flashSales\/0\/at: "2026-02-30T10:00:00Z" is not a time on the calendar/,
  ],
  [
    "a scenario curve date of April 31",
    [
      ...STREAM,
      "--scenario",
      scenarioFile("apr.json", JSON.stringify({ rate: 1, curve: { ...CURVE, dates: { "2026-04-31": 2 } } })),
    ],
    /apr.json: \/curve\/dates\/2026-04-31: is not a time on the calendar/,
  ],
  [
    "an offline fault on February 30",
    [...STREAM, "--faults", "offline=S003@2026-02-30T10:00:00Z+60m"],
    /--faults: "offline=S003@2026-02-30T10:00:00Z\+60m" is not offline=STORE@ISO-TIME\+SPAN/,
  ],
  // Switches that are neither true nor false
  ["--truth=maybe", [...STREAM, "--truth=maybe"], /^retail-stream: --truth: "maybe" is not true or false$/m],
  ["--truth=1", [...STREAM, "--truth=1"], /^retail-stream: --truth: "1" is not true or false$/m],
  [
    "RETAIL_STREAM_TRUTH=yes",
    STREAM,
    /^retail-stream: RETAIL_STREAM_TRUTH: "yes" is not true or false$/m,
    { RETAIL_STREAM_TRUTH: "yes" },
  ],
  [
    "--continuous=sometimes",
    ["--sink", "stdout", "--continuous=sometimes"],
    /--continuous: "sometimes" is not true or false/,
  ],
  // Other commands check what the stream command checks
  [
    "schemas with an illegal topic prefix",
    ["schemas", "--format", "flink-sql", "--topic-prefix", "dev/"],
    /--topic-prefix: "dev\/" cannot start a topic name/,
  ],
  [
    "schemas with a registry that is not a URL",
    ["schemas", "--format", "ksql", "--schema-registry", "registry"],
    /--schema-registry: "registry" is not an http\(s\) URL/,
  ],
  [
    "schemas with brokers that are not host:port",
    ["schemas", "--format", "flink-sql", "--brokers", "kafka"],
    /--brokers: "kafka" is not host:port/,
  ],
  [
    "schemas --watermark -5s",
    ["schemas", "--format", "flink-sql", "--watermark", "-5s"],
    /--watermark: "-5s" is not a span ≥ 0/,
  ],
  ["sample-data --out ''", ["sample-data", "--out", ""], /--out: empty; name the folder/],
  [
    "sample-data over an existing chain",
    ["sample-data", "--out", dataDir(STORES, PRODUCTS)],
    /--out .*: holds a chain already \(stores.json, products.json\); add --force to overwrite it/,
  ],
  [
    "a scenario's faults with --format debezium",
    [
      ...STREAM,
      "--format",
      "debezium",
      "--scenario",
      scenarioFile("dup.json", JSON.stringify({ rate: 1, curve: CURVE, faults: { duplicate: { p: 0.5 } } })),
    ],
    /dup.json has faults, and --format debezium writes the database's row changes/,
  ],
  [
    "verify --lead-time of words",
    ["verify", "--lead-time", "soon"],
    /--lead-time: expected minutes, or a span with a unit/,
  ],
  // Scenario modules that never settle or throw something that is not an Error
  [
    "a scenario .mjs that never settles",
    [...STREAM, "--scenario", scenarioFile("never.mjs", "await new Promise(() => {}); export default {};")],
    /never.mjs: did not finish loading within 5 s/,
  ],
  [
    "a scenario .mjs that throws a number",
    [...STREAM, "--scenario", scenarioFile("num.mjs", "throw 42;")],
    /num.mjs: cannot be loaded \(42\)/,
  ],
  // Files that are not UTF-8
  [
    "a Latin-1 stores.json",
    [
      ...STREAM,
      "--data",
      dataDir(JSON.stringify([store({ name: "Caf\u00e9 du Nord" })]), PRODUCTS, "latin1", "stores"),
    ],
    /stores.json: not UTF-8 text; save it as UTF-8/,
  ],
  [
    "a UTF-16 products.json",
    [...STREAM, "--data", dataDir(STORES, PRODUCTS, "utf16le", "products")],
    /products.json: holds NUL bytes \(UTF-16\?\); save it as UTF-8/,
  ],
  [
    "a UTF-16 config file",
    [...STREAM, "--config", tempFile("c16.json", '{"logging":{"level":"info"}}', "utf16le")],
    /--config .*c16.json: holds NUL bytes/,
  ],
  [
    "a Latin-1 scenario",
    [
      ...STREAM,
      "--scenario",
      tempFile("l1.json", JSON.stringify({ description: "caf\u00e9", rate: 1, curve: CURVE }), "latin1"),
    ],
    /l1.json: not UTF-8 text/,
  ],
  // Runs that would never end
  [
    "zero gaps with a duration",
    [...STREAM.slice(0, 2), "--min-delta", "0", "--max-delta", "0", "--duration", "1"],
    /--min-delta 0 --max-delta 0 with --duration: simulated time never moves/,
  ],
  [
    "zero gaps over a backfill span",
    [
      ...STREAM.slice(0, 2),
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--from",
      "2026-01-01T00:00:00Z",
      "--to",
      "2026-01-02T00:00:00Z",
    ],
    /--min-delta 0 --max-delta 0 with --from: simulated time never moves/,
  ],
  // Topic names and ports, checked before connecting
  [
    "a topic with an illegal character",
    ["--count", "1", "--topic", "sales=my/sales"],
    /--topic: the topic of sale, "my\/sales", is not a topic name/,
  ],
  [
    "a topic of 250 characters",
    ["--count", "1", "--topic", `sales=${"s".repeat(250)}`],
    /is 250 characters long; a topic name has at most 249/,
  ],
  [
    "a truth topic of 250 characters",
    ["--count", "1", "--truth", "--truth-topic", "t".repeat(250)],
    /--truth-topic: "t+" is 250 characters long; a topic name has at most 249/,
  ],
  [
    "a truth topic that is a reference topic",
    ["--count", "1", "--truth", "--truth-topic", "retail-products"],
    /--truth-topic: retail-products is a reference topic/,
  ],
  [
    "a broker port above 65535",
    ["--count", "1", "--brokers", "127.0.0.1:99999"],
    /--brokers: "127.0.0.1:99999" is not host:port with a port from 1 to 65535/,
  ],
  [
    "a broker port of 0",
    ["--count", "1", "--brokers", "127.0.0.1:0"],
    /--brokers: "127.0.0.1:0" is not host:port with a port from 1 to 65535/,
  ],
  // A control log that cannot be written
  [
    "a control log that cannot be written",
    [...STREAM, "--http", "127.0.0.1:39641", "--control-log", "/proc/nope/control.jsonl"],
    /^retail-stream: --control-log \/proc\/nope\/control.jsonl: cannot be written \(its folder does not exist\)$/m,
  ],
];

describe("retail-stream bad input", () => {
  before(requireBuild);

  for (const [what, args, message, env] of CASES) {
    it(`should refuse ${what}: one line naming it, exit 2, nothing on stdout, no hang`, () => {
      const result = runCli(args, { env, timeout: 15_000 });
      expect(result.status, `status (null: killed after 15 s) — ${result.stderr}`).to.equal(2);
      expect(result.stdout).to.equal("");
      expect(result.stderr).to.match(/^retail-stream: /);
      expect(result.stderr).to.match(message);
      expect(result.stderr.trimEnd().split("\n")).to.have.length(1);
    });
  }
});

describe("retail-stream sample-data over a chain", () => {
  before(requireBuild);

  it("should leave an existing chain as it was unless --force is given", () => {
    const dir = dataDir(STORES, PRODUCTS);
    expect(runCli(["sample-data", "--out", dir, "--stores", "2", "--products", "3"]).status).to.equal(2);
    expect([
      readFileSync(join(dir, "stores.json"), "utf8"),
      readFileSync(join(dir, "products.json"), "utf8"),
    ]).to.deep.equal([STORES, PRODUCTS]);
    expect(runCli(["sample-data", "--out", dir, "--stores", "2", "--products", "3", "--force"]).status).to.equal(0);
    expect((JSON.parse(readFileSync(join(dir, "products.json"), "utf8")) as unknown[]).length).to.equal(3);
  });
});

describe("retail-stream scenario warnings", () => {
  before(requireBuild);

  it("should warn about a flash sale outside the run's span and still run", () => {
    const result = runCli([
      "--sink",
      "stdout",
      "--scenario",
      "black-friday",
      "--from",
      "2026-01-01T00:00:00Z",
      "--to",
      "2026-01-01T06:00:00Z",
      "--seed",
      "1",
    ]);
    expect(result.status).to.equal(0, result.stderr);
    // Black Friday is the run's first day: its 19:00Z flash sale falls after a run that ends at 06:00.
    expect(result.stderr).to.match(/warn .*flash sale on Electronics at 2026-01-01T19:00:00Z is outside the run/);
  });
});
