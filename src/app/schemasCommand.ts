import { ConfigError } from "../errors.js";
import { LATEST_VERSION, isSchemaVersion } from "../model/profiles.js";
import { DEFAULT_BROKERS, brokersProblem, isHttpUrl, topicPrefixProblem } from "../config/names.js";
import { Problems, spanMs } from "../config/problems.js";

/** What `retail-stream schemas` was asked for, as the command line hands it over. */
export interface SchemasRequest {
  format: string;
  brokers?: string;
  topicPrefix?: string;
  watermark: string;
  bounded: boolean;
  valueFormat: string;
  schemaRegistry?: string;
  /** The version whose event schemas json, avro and protobuf print (default the latest). */
  schemaVersion?: number;
}

type ValueFormat = "json" | "avro" | "protobuf" | "json-schema";

/**
 * `retail-stream schemas`: the event schemas (JSON Schema, Avro, Protobuf), or the SQL that declares
 * every topic in Flink SQL or ksqlDB; its options checked with the stream command's rules.
 *
 * @param env the environment (KAFKA_BOOTSTRAP_SERVERS names the brokers the SQL reads when --brokers does not)
 * @returns the text to print; bad options are a `ConfigError`
 */
export async function schemasText(request: SchemasRequest, env: Record<string, string | undefined>): Promise<string> {
  if (request.format === "flink-sql" || request.format === "ksql") return sqlText(request, env);
  const { avroSchemas, protobufSchema, readSchemas } = await import("../data/schemas.js");
  const version = isSchemaVersion(request.schemaVersion) ? request.schemaVersion : LATEST_VERSION;
  if (request.format === "protobuf") return protobufSchema(version);
  return JSON.stringify(request.format === "avro" ? avroSchemas(version) : readSchemas(version), null, 2) + "\n";
}

async function sqlText(request: SchemasRequest, env: Record<string, string | undefined>): Promise<string> {
  const p = new Problems();
  const lateness = spanMs(request.watermark);
  if (lateness === undefined) p.add(`--watermark: "${request.watermark}" is not a span ≥ 0 (5s, 10m, 1h)`);
  // Flink's DAY TO SECOND interval holds 99 days at most.
  else if (lateness >= 100 * 86_400_000) p.add(`--watermark: "${request.watermark}" is more than Flink's 99 days`);
  const brokers = request.brokers ?? env.KAFKA_BOOTSTRAP_SERVERS ?? DEFAULT_BROKERS;
  const brokersBad = brokersProblem(brokers, request.brokers !== undefined ? "--brokers" : "KAFKA_BOOTSTRAP_SERVERS");
  if (brokersBad !== undefined) p.add(brokersBad);
  const prefixBad = request.topicPrefix === undefined ? undefined : topicPrefixProblem(request.topicPrefix);
  if (prefixBad !== undefined) p.add(prefixBad);
  if (request.schemaRegistry !== undefined && !isHttpUrl(request.schemaRegistry)) {
    p.add(
      `--schema-registry: "${request.schemaRegistry}" is not an http(s) URL (e.g. http://127.0.0.1:8081/apis/ccompat/v7)`,
    );
  }
  const valueFormat = request.valueFormat as ValueFormat;
  if (request.format === "flink-sql" && (valueFormat === "protobuf" || valueFormat === "json-schema")) {
    p.add(
      `--value-format ${valueFormat}: Flink SQL reads this tool's json or avro (avro-confluent) values; ksqlDB reads all four (--format ksql)`,
    );
  }
  if (request.format === "flink-sql" && valueFormat === "avro" && request.schemaRegistry === undefined) {
    p.add("--value-format avro needs --schema-registry URL for the Flink tables");
  }
  if (p.list.length > 0 || lateness === undefined) throw new ConfigError(p.list);
  const { flinkSql, ksql } = await import("../wire/ddl.js");
  const options = {
    brokers,
    prefix: request.topicPrefix,
    lateness,
    bounded: request.bounded,
    valueFormat,
    schemaRegistry: request.schemaRegistry,
  };
  return request.format === "ksql" ? ksql(options) : flinkSql(options);
}
