/**
 * Reading a Kafka client configuration as users have it: a `client.properties`
 * file (`key=value`, `#` or `!` comments, `\` continuations) such as cloud
 * consoles hand out, in librdkafka's names or the Java client's, which are
 * translated. What is not for a Kafka client (Schema Registry settings,
 * serializers) is kept apart, not passed to librdkafka.
 */

/** Keys of a client file that belong to the Schema Registry client, not to Kafka's. */
const REGISTRY_KEYS = [
  "schema.registry.url",
  "basic.auth.credentials.source",
  "basic.auth.user.info",
  "schema.registry.basic.auth.user.info",
];
/** Java-client keys librdkafka has no use for; dropped. */
const JAVA_ONLY = [
  "client.dns.lookup",
  "key.serializer",
  "value.serializer",
  "key.deserializer",
  "value.deserializer",
  "ssl.truststore.type",
  "ssl.keystore.type",
  "sasl.login.callback.handler.class",
  "security.providers",
];

export interface ClientProperties {
  /** librdkafka properties. */
  kafka: Record<string, string>;
  /** Schema Registry settings found in the file. */
  registry: Record<string, string>;
  problems: string[];
}

/** Splits Java `.properties` text into key/value pairs, in order. */
export function propertiesOf(text: string): Array<[key: string, value: string, line: number]> {
  const pairs: Array<[string, string, number]> = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const start = i;
    let line = (lines[i] as string).replace(/^\s+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length)
      line = line.slice(0, -1) + (lines[++i] as string).replace(/^\s+/, "");
    const at = line.search(/(?<!\\)[=:]|\s/);
    const key = (at === -1 ? line : line.slice(0, at)).trim();
    const value =
      at === -1
        ? ""
        : line
            .slice(at + 1)
            .replace(/^[\s=:]+/, "")
            .trimEnd();
    pairs.push([key, value, start + 1]);
  }
  return pairs;
}

/** `username` and `password` from a PLAIN or SCRAM `sasl.jaas.config` line. */
function fromJaas(value: string): { username?: string; password?: string } {
  const field = (name: string): string | undefined =>
    new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)
      .exec(value)
      ?.slice(1)
      .find((v) => v !== undefined);
  return { username: field("username"), password: field("password") };
}

/**
 * Reads a client configuration file's text.
 *
 * @param where names the file in problems (`--kafka-config client.properties`)
 */
export function parseClientProperties(text: string, where: string): ClientProperties {
  const result: ClientProperties = { kafka: {}, registry: {}, problems: [] };
  const pairs = propertiesOf(text);
  const types = new Map(pairs.map(([k, v]) => [k, v]));
  for (const [key, value, line] of pairs) {
    if (key === "") continue;
    if (REGISTRY_KEYS.includes(key)) result.registry[key] = value;
    else if (JAVA_ONLY.includes(key)) continue;
    else if (key === "sasl.mechanism") result.kafka["sasl.mechanisms"] = value;
    else if (key === "sasl.jaas.config") {
      const { username, password } = fromJaas(value);
      if (/OAuthBearerLoginModule/.test(value))
        result.problems.push(
          `${where}: line ${line}: sasl.jaas.config with OAUTHBEARER: give librdkafka's sasl.oauthbearer.* settings instead`,
        );
      else if (username === undefined || password === undefined)
        result.problems.push(`${where}: line ${line}: sasl.jaas.config has no username="…" password="…"`);
      else Object.assign(result.kafka, { "sasl.username": username, "sasl.password": password });
    } else if (key === "ssl.truststore.location") {
      if ((types.get("ssl.truststore.type") ?? "JKS").toUpperCase() !== "PEM") {
        result.problems.push(
          `${where}: line ${line}: ssl.truststore.location is a Java truststore (JKS/PKCS12), which librdkafka cannot read: give the CA as a PEM file in ssl.ca.location`,
        );
      } else result.kafka["ssl.ca.location"] = value;
    } else if (key === "ssl.truststore.password") continue;
    else result.kafka[key] = value;
  }
  return result;
}

/** Property names whose values are secrets: never shown in logs, errors or stats. */
export function isSecretKey(key: string): boolean {
  return /password|secret|jaas|token|ssl\.key\.pem|oauthbearer\.config|user\.info/i.test(key);
}
