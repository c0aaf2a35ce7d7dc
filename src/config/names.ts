// What the tool checks of the names and addresses it is given, before it connects to anything:
// one rule each for every command that takes them.

/** The default bootstrap servers: the local broker `make kafka-up` starts. */
export const DEFAULT_BROKERS = "127.0.0.1:9092";

/** What is wrong with a Kafka topic name, or undefined when the broker would take it. */
export function topicNameProblem(name: string): string | undefined {
  if (name === "" || name === "." || name === "..") return "is not a topic name";
  if (name.length > 249) return `is ${name.length} characters long; a topic name has at most 249`;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return "is not a topic name (letters, digits, '.', '_' and '-' only)";
  return undefined;
}

/** The entries of a `host:port[,host:port…]` list that are not one (a port from 1 to 65535). */
export function badBrokers(list: string): string[] {
  return list.split(",").filter((entry) => {
    const match = /^(\w+:\/\/)?(\[[0-9a-fA-F:.]+\]|[^\s:,/[\]]+):(\d{1,5})$/.exec(entry.trim());
    const port = Number(match?.[3]);
    return match === null || port < 1 || port > 65535;
  });
}

/** The problem of a brokers list given by `source`, or undefined. */
export function brokersProblem(list: string, source: string): string | undefined {
  if (list.trim() === "") return `${source} is empty: give host:port[,host:port…] or unset it`;
  const bad = badBrokers(list);
  return bad.length === 0
    ? undefined
    : `${source}: "${bad.join(",")}" is not host:port with a port from 1 to 65535 (e.g. ${DEFAULT_BROKERS})`;
}

/** Whether `url` is an http(s) URL (a schema registry's). */
export function isHttpUrl(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** The problem of a `--topic-prefix`, or undefined. */
export function topicPrefixProblem(prefix: string): string | undefined {
  return /^[\w.-]{1,200}$/.test(prefix)
    ? undefined
    : `--topic-prefix: "${prefix}" cannot start a topic name (letters, digits, '.', '_' and '-' only)`;
}
