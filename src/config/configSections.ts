// Sections of a run's configuration that stand on their own: topics, the truth, the live endpoints.
import { DEFAULT_TOPICS, REFERENCE_TOPICS, TRUTH_TOPIC } from "../wire/envelope.js";
import { topicNameProblem, topicPrefixProblem } from "./names.js";
import type { EventType } from "../model/events.js";
import type { RawArgs } from "./args.js";
import type { RunConfig } from "./runConfig.js";
import { STREAM_OPTIONS, defaultOf } from "./optionTable.js";
import { MAX_MINUTES } from "../model/limits.js";
import type { Problems } from "./problems.js";
import { anyTypeNamed } from "./weights.js";

/** `--topic-prefix`: put before every default topic name (an environment's or a team's), checked as part of a topic name. */
export function topicPrefix(prefix: string | undefined, p: Problems): string {
  if (prefix === undefined) return "";
  const problem = topicPrefixProblem(prefix);
  if (problem !== undefined) p.add(problem);
  return prefix;
}

/** The topic of each event type: the defaults (after `prefix`), with `--topic type=name` overrides taken as given. */
export function parseTopics(
  entries: readonly string[] | undefined,
  p: Problems,
  prefix = "",
): Record<EventType, string> {
  const topics = Object.fromEntries(
    Object.entries(DEFAULT_TOPICS).map(([type, name]) => [type, `${prefix}${name}`]),
  ) as Record<EventType, string>;
  for (const entry of entries ?? []) {
    const match = /^([A-Za-z_]+)=(\S+)$/.exec(entry);
    const type = match ? anyTypeNamed(match[1] as string) : undefined;
    if (!match || type === undefined) p.add(`--topic: "${entry}" is not type=name (e.g. sales=my-sales)`);
    else topics[type] = match[2] as string;
  }
  for (const [type, name] of Object.entries(topics)) {
    const problem = topicNameProblem(name);
    if (problem !== undefined) p.add(`--topic: the topic of ${type}, "${name}", ${problem}`);
  }
  return topics;
}

/** `--truth`, its window and where it goes; `--truth-file` implies it. */
export function truthConfig(args: RawArgs, p: Problems, prefix = ""): RunConfig["truth"] {
  const on = args.truth === true || args.truthFile !== undefined;
  const minutes = p.minutes("--truth-window", args.truthWindow ?? defaultOf(STREAM_OPTIONS, "truth-window"), {
    above: true,
    max: MAX_MINUTES,
  });
  if (!on) return undefined;
  const topic = args.truthTopic ?? `${prefix}${TRUTH_TOPIC}`;
  const problem = topicNameProblem(topic);
  if (problem !== undefined) p.add(`--truth-topic: "${topic}" ${problem}`);
  if (Object.values(REFERENCE_TOPICS).some((name) => `${prefix}${name}` === topic))
    p.add(`--truth-topic: ${topic} is a reference topic (stores or products): name another`);
  if (minutes !== undefined && !Number.isInteger(minutes * 60_000))
    p.add(`--truth-window: ${args.truthWindow} is not a whole number of milliseconds`);
  return { windowMs: Math.round((minutes ?? 1) * 60_000), topic, file: args.truthFile };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** `--http [HOST:]PORT`, its token and control log. */
export function httpConfig(args: RawArgs, p: Problems): RunConfig["http"] {
  if (args.http === undefined) return undefined;
  const match = /^(?:\[([^\]]+)\]:|([^:]+):)?(\d{1,5})$/.exec(args.http.trim());
  const port = Number(match?.[3]);
  if (match === null || !(port > 0 && port < 65536)) {
    p.add(`--http: "${args.http}" is not [HOST:]PORT (e.g. 9464 or 0.0.0.0:9464)`);
    return undefined;
  }
  const host = match[1] ?? match[2] ?? "127.0.0.1";
  const token = args.httpToken === "" ? undefined : args.httpToken;
  if (!LOOPBACK.has(host) && token === undefined)
    p.add(
      `--http ${args.http} listens beyond loopback: set --http-token (or RETAIL_STREAM_HTTP_TOKEN) so that only you can steer the run`,
    );
  return { host, port, token, controlLog: args.controlLog };
}
