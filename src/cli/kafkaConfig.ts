import type { RawArgs } from "./args.js";
import type { Problems } from "./numbers.js";

const COMPRESSIONS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;

export interface KafkaConfig {
  brokers: string;
  compression: string;
  /** librdkafka properties from `-X key=value`. */
  properties: Record<string, string>;
  partitions: number;
  replicationFactor: number;
  connectTimeoutMs: number;
  maxInFlight: number;
}

/** The Kafka side of a run's configuration: brokers, producer settings, topic creation. */
export function kafkaConfig(args: RawArgs, env: Record<string, string | undefined>, p: Problems): KafkaConfig {
  const compression = args.compression ?? "lz4";
  if (!(COMPRESSIONS as readonly string[]).includes(compression)) p.add(`--compression: "${compression}" is not one of ${COMPRESSIONS.join(", ")}`);
  const properties: Record<string, string> = {};
  for (const entry of args.X ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0) p.add(`-X: "${entry}" is not key=value (a librdkafka property)`);
    else properties[entry.slice(0, at)] = entry.slice(at + 1);
  }

  const [brokers, source] = args.brokers !== undefined ? [args.brokers, "--brokers"]
    : env.KAFKA_BOOTSTRAP_SERVERS !== undefined ? [env.KAFKA_BOOTSTRAP_SERVERS, "KAFKA_BOOTSTRAP_SERVERS"] : ["127.0.0.1:9092", "default"];
  if (brokers.trim() === "") p.add(`${source} is empty: give host:port[,host:port…] or unset it`);
  else {
    const bad = brokers.split(",").filter((b) => !/^(\w+:\/\/)?(\[[0-9a-fA-F:.]+\]|[^\s:,/[\]]+):\d{1,5}$/.test(b.trim()));
    if (bad.length > 0) p.add(`${source}: "${bad.join(",")}" is not host:port (e.g. 127.0.0.1:9092)`);
  }

  return {
    brokers: brokers.trim(),
    compression,
    properties,
    partitions: p.number("--partitions", args.partitions ?? "3", { integer: true, min: 1 }) ?? 3,
    replicationFactor: p.number("--replication-factor", args.replicationFactor ?? "1", { integer: true, min: 1 }) ?? 1,
    connectTimeoutMs: (p.number("--connect-timeout", args.connectTimeout ?? "10", { min: 0, above: true }) ?? 10) * 1000,
    maxInFlight: p.number("--max-in-flight", args.maxInFlight ?? "100000", { integer: true, min: 1 }) ?? 100_000,
  };
}
