// The timestamp limit of topics that already exist, read with the admin protocol's DescribeConfigs.
// node-rdkafka 3.6 offers no DescribeConfigs, so this one request goes through kafkajs (pure JavaScript,
// no second native build), set up from the same librdkafka properties the producer uses.
import { readFileSync } from "node:fs";
import type { KafkaConfig, SASLOptions } from "kafkajs";

/** The topic setting that bounds how far ahead of the broker's clock a record may be stamped. */
export const AHEAD_LIMIT = "message.timestamp.after.max.ms";

/** What reading the limits gave: each topic's limit in ms, or why they could not be read. */
export type TopicLimits = { limits: Map<string, number> } | { unreadable: string };

type Properties = Readonly<Record<string, string | number | boolean>>;

/** kafkajs' client settings from librdkafka's properties; a string says which setting it cannot speak. */
export function adminClientSettings(
  brokers: string,
  properties: Properties,
  timeoutMs: number,
): Omit<KafkaConfig, "logLevel"> | string {
  const prop = (key: string): string | undefined =>
    properties[key] === undefined ? undefined : String(properties[key]);
  const protocol = (prop("security.protocol") ?? "plaintext").toLowerCase();
  if (!["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"].includes(protocol)) return `security.protocol ${protocol}`;
  const settings: Omit<KafkaConfig, "logLevel"> = {
    clientId: "retail-stream-admin",
    brokers: brokers
      .split(",")
      .map((b) => b.trim())
      .filter((b) => b !== ""),
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 1 },
  };
  if (protocol.endsWith("ssl")) {
    const file = (key: string): string | undefined =>
      prop(key) === undefined ? undefined : readFileSync(prop(key) as string, "utf8");
    const verify = prop("enable.ssl.certificate.verification") !== "false";
    settings.ssl = {
      ca: file("ssl.ca.location"),
      cert: file("ssl.certificate.location"),
      key: file("ssl.key.location"),
      passphrase: prop("ssl.key.password"),
      rejectUnauthorized: verify,
      ...(prop("ssl.endpoint.identification.algorithm") === "none" ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  if (protocol.startsWith("sasl")) {
    const mechanism = (prop("sasl.mechanisms") ?? prop("sasl.mechanism") ?? "GSSAPI").toLowerCase();
    if (!["plain", "scram-sha-256", "scram-sha-512"].includes(mechanism))
      return `SASL mechanism ${mechanism.toUpperCase()}`;
    settings.sasl = {
      mechanism,
      username: prop("sasl.username") ?? "",
      password: prop("sasl.password") ?? "",
    } as SASLOptions;
  }
  return settings;
}

/** Each topic's `message.timestamp.after.max.ms` (its own, or the broker's default). */
export async function readAheadLimits(
  brokers: string,
  properties: Properties,
  topics: readonly string[],
  timeoutMs: number,
): Promise<TopicLimits> {
  if (topics.length === 0) return { limits: new Map() };
  const settings = adminClientSettings(brokers, properties, timeoutMs);
  if (typeof settings === "string") return { unreadable: `${settings} is not one the limit reader speaks` };
  const { Kafka, logLevel, ConfigResourceTypes } = (await import("kafkajs")).default;
  const admin = new Kafka({ ...settings, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [AHEAD_LIMIT] })),
    });
    const limits = new Map<string, number>();
    for (const resource of described.resources) {
      if (resource.errorCode !== 0)
        return {
          unreadable: `${resource.resourceName}: ${resource.errorMessage === "" ? `error ${resource.errorCode}` : resource.errorMessage}`,
        };
      const value = resource.configEntries.find((entry) => entry.configName === AHEAD_LIMIT)?.configValue;
      if (value !== undefined) limits.set(resource.resourceName, Number(value));
    }
    return { limits };
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
