import type { KafkaConfig } from "./runConfig.js";
import { STREAM_OPTIONS, defaultOf, rangeOf } from "./optionTable.js";
import type { RawArgs } from "./args.js";
import { isSecretKey, parseClientProperties } from "./clientProperties.js";
import type { Problems } from "./problems.js";
import { DEFAULT_BROKERS, brokersProblem, isHttpUrl } from "./names.js";

const COMPRESSIONS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
const CREATE_TOPICS = ["auto", "never"] as const;

/** Repeated `key=value` flags as a map (the last of a key wins); an entry without `=`, or a key `name` refuses, is a problem. */
function keyValues(
  entries: readonly string[] | undefined,
  problem: (entry: string) => string,
  p: Problems,
  name = /./,
): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0 || !name.test(entry.slice(0, at))) p.add(problem(entry));
    else map[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return map;
}

/** The text of a `--kafka-config` file, read by the CLI. */
export interface KafkaConfigFile {
  name: string;
  text: string;
}

/**
 * The Kafka side of a run's configuration. Brokers: `--brokers`, else
 * `-X bootstrap.servers`, else the `--kafka-config` file's, else
 * `KAFKA_BOOTSTRAP_SERVERS`, else the local broker.
 */
export function kafkaConfig(
  args: RawArgs,
  env: Record<string, string | undefined>,
  p: Problems,
  file?: KafkaConfigFile,
): KafkaConfig {
  const compression = args.compression ?? defaultOf(STREAM_OPTIONS, "compression");
  if (!(COMPRESSIONS as readonly string[]).includes(compression))
    p.add(`--compression: "${compression}" is not one of ${COMPRESSIONS.join(", ")}`);
  const fromFile =
    file === undefined
      ? { kafka: {}, registry: {}, problems: [] }
      : parseClientProperties(file.text, `--kafka-config ${file.name}`);
  fromFile.problems.forEach((problem) => p.add(problem));
  const flags = keyValues(args.X, (entry) => `-X: "${entry}" is not key=value (a librdkafka property)`, p);
  const properties: Record<string, string> = { ...fromFile.kafka, ...flags };
  const fileBrokers = (fromFile.kafka as Record<string, string>)["bootstrap.servers"];
  delete properties["bootstrap.servers"];

  const [brokers, source] =
    args.brokers !== undefined
      ? [args.brokers, "--brokers"]
      : flags["bootstrap.servers"] !== undefined
        ? [flags["bootstrap.servers"], "-X bootstrap.servers"]
        : fileBrokers !== undefined
          ? [fileBrokers, `--kafka-config ${file?.name ?? ""} bootstrap.servers`]
          : env.KAFKA_BOOTSTRAP_SERVERS !== undefined
            ? [env.KAFKA_BOOTSTRAP_SERVERS, "KAFKA_BOOTSTRAP_SERVERS"]
            : [DEFAULT_BROKERS, "default"];
  const brokersBad = brokersProblem(brokers, source);
  if (brokersBad !== undefined) p.add(brokersBad);
  const topicConfig = keyValues(
    args.topicConfig,
    (entry) => `--topic-config: "${entry}" is not key=value with a topic setting's name (e.g. retention.ms=-1)`,
    p,
    /^[a-z][a-z0-9]*(\.[a-z0-9]+)*$/,
  );
  const deliveryReports = args.deliveryReports;
  if (deliveryReports !== undefined && deliveryReports !== "all" && deliveryReports !== "errors")
    p.add(`--delivery-reports: "${deliveryReports}" is not one of all, errors`);
  const createTopics = args.createTopics ?? "auto";
  if (!(CREATE_TOPICS as readonly string[]).includes(createTopics))
    p.add(`--create-topics: "${createTopics}" is not one of auto, never`);

  const format = (args.format ?? "json") as KafkaConfig["format"];
  if (
    !["json", "avro", "protobuf", "json-schema", "debezium", "debezium-with-schema", "debezium-avro"].includes(format)
  )
    p.add(
      `--format: "${format}" is not one of json, avro, protobuf, json-schema, debezium, debezium-with-schema, debezium-avro`,
    );
  const registryUrl =
    args.schemaRegistry ??
    (fromFile.registry as Record<string, string>)["schema.registry.url"] ??
    env.SCHEMA_REGISTRY_URL;
  const userInfo =
    (fromFile.registry as Record<string, string>)["basic.auth.user.info"] ??
    (fromFile.registry as Record<string, string>)["schema.registry.basic.auth.user.info"] ??
    env.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO;
  let registry: KafkaConfig["registry"];
  if (registryUrl !== undefined) {
    if (!isHttpUrl(registryUrl))
      p.add(`--schema-registry: "${registryUrl}" is not an http(s) URL (e.g. http://127.0.0.1:8081/apis/ccompat/v7)`);
    else registry = { url: registryUrl, userInfo, register: args.register ?? true };
  }
  if (format !== "json" && format !== "debezium" && format !== "debezium-with-schema" && registryUrl === undefined)
    p.add(
      `--format ${format} needs a schema registry: --schema-registry URL, or schema.registry.url in --kafka-config`,
    );
  if (args.register === false && (format === "json" || format === "debezium" || format === "debezium-with-schema"))
    p.add("--no-register applies to --format avro, protobuf, json-schema or debezium-avro");
  const secrets = [...Object.entries({ ...fromFile.kafka, ...fromFile.registry, ...flags })]
    .filter(([key, value]) => isSecretKey(key) && value.length >= 3)
    .map(([, value]) => value)
    .concat(
      userInfo !== undefined && userInfo.length >= 3
        ? [userInfo, userInfo.split(":").slice(1).join(":")].filter((v) => v.length >= 3)
        : [],
    );
  const partitions = p.number("--partitions", args.partitions ?? "-1", rangeOf(STREAM_OPTIONS, "partitions")) ?? -1;
  const replicationFactor =
    p.number("--replication-factor", args.replicationFactor ?? "-1", rangeOf(STREAM_OPTIONS, "replication-factor")) ??
    -1;
  if (partitions === 0) p.add("--partitions: must be ≥ 1 (or -1 for the broker's default), got 0");
  if (replicationFactor === 0) p.add("--replication-factor: must be ≥ 1 (or -1 for the broker's default), got 0");
  return {
    brokers: brokers.trim(),
    compression,
    properties,
    secrets,
    createTopics: createTopics as KafkaConfig["createTopics"],
    deliveryReports: deliveryReports as KafkaConfig["deliveryReports"],
    topicConfig,
    format,
    registry,
    partitions,
    replicationFactor,
    connectTimeoutMs:
      (p.number(
        "--connect-timeout",
        args.connectTimeout ?? defaultOf(STREAM_OPTIONS, "connect-timeout"),
        rangeOf(STREAM_OPTIONS, "connect-timeout"),
      ) ?? 1) * 1000,
    maxInFlight:
      p.number(
        "--max-in-flight",
        args.maxInFlight ?? defaultOf(STREAM_OPTIONS, "max-in-flight"),
        rangeOf(STREAM_OPTIONS, "max-in-flight"),
      ) ?? 1,
    maxInFlightBytes: Math.round(
      (p.number(
        "--max-in-flight-mb",
        args.maxInFlightMb ?? defaultOf(STREAM_OPTIONS, "max-in-flight-mb"),
        rangeOf(STREAM_OPTIONS, "max-in-flight-mb"),
      ) ?? 1) *
        1024 *
        1024,
    ),
  };
}
