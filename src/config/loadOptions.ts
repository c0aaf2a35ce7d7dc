import { perMinute } from "../model/rateProfile.js";
import { MAX_RATE } from "../model/limits.js";
import { parseLatencyMatch } from "../model/latencyMatch.js";
import type { RawArgs } from "./args.js";
import { spanMs, type Problems } from "./problems.js";
import type { CapacityConfig, LoadConfig } from "./runConfig.js";

/** Kafka topic names: what the broker accepts. */
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** The load test a run makes of a pipeline (`--lag-group`, `--latency-topic`, `--find-capacity`); undefined when none. */
export function loadConfig(args: RawArgs, sink: string, p: Problems): LoadConfig | undefined {
  const { lagGroup: group, latencyTopic } = args;
  if (group === undefined && latencyTopic === undefined && args.producedHeader !== true && args.findCapacity !== true)
    return undefined;
  if (sink !== "kafka") p.add("--lag-group, --latency-topic, --produced-header and --find-capacity need --sink kafka");
  if (group !== undefined && !/^[\x21-\x7e]{1,255}$/.test(group))
    p.add(`--lag-group: "${group}" is not a consumer group id (printable characters, no spaces)`);
  if (latencyTopic !== undefined && !TOPIC.test(latencyTopic))
    p.add(`--latency-topic: "${latencyTopic}" is not a topic name (letters, digits, ".", "_", "-"; at most 249)`);
  const match = parseLatencyMatch(args.latencyMatch ?? "event_id");
  if (typeof match === "string") p.add(`--latency-match: ${match}`);
  const capacity = args.findCapacity === true ? capacityConfig(args, latencyTopic !== undefined, p) : undefined;
  return {
    ...(group === undefined ? {} : { group }),
    ...(latencyTopic === undefined ? {} : { latencyTopic }),
    match: typeof match === "string" ? { by: "id", field: "event_id" } : match,
    producedHeader: args.producedHeader === true || latencyTopic !== undefined,
    ...(capacity === undefined ? {} : { capacity }),
  };
}

/** A span flag in ms within (0, max]. */
function span(flag: string, text: string, maxMs: number, p: Problems): number {
  const ms = spanMs(text);
  if (ms === undefined || ms <= 0 || ms > maxMs) {
    p.add(`${flag}: "${text}" is not a span > 0 and ≤ ${maxMs / 60_000} minutes (500ms, 20s, 10m)`);
    return 1;
  }
  return ms;
}

/** `--find-capacity`'s settings; it sets the rate itself, live, until it is done. */
function capacityConfig(args: RawArgs, latency: boolean, p: Problems): CapacityConfig {
  for (const [given, flag] of [
    [args.count, "--count"],
    [args.duration, "--duration"],
    [args.from, "--from"],
    [args.rate, "--rate"],
    [args.rateProfile, "--rate-profile"],
    [args.arrivals, "--arrivals"],
    [args.minDelta, "--min-delta"],
    [args.maxDelta, "--max-delta"],
    [args.speed, "--speed"],
    [args.workers, "--workers"],
    [args.shard, "--shard"],
  ] as const)
    if (given !== undefined) p.add(`--find-capacity sets the rate and ends the run itself: drop ${flag}`);
  const startText = args.capacityStart ?? "100/s";
  const start = perMinute(startText);
  if (start === undefined || !(start > 0) || start > MAX_RATE)
    p.add(`--capacity-start: "${startText}" is not a rate > 0 and ≤ ${MAX_RATE / 60}/s (1000/s, 500/m)`);
  if (args.maxP99 !== undefined && !latency) p.add("--max-p99 needs --latency-topic (the latency it bounds)");
  return {
    startPerMinute: start ?? 60,
    stepMs: span("--capacity-step", args.capacityStep ?? "20s", 3_600_000, p),
    budgetMs: span("--capacity-budget", args.capacityBudget ?? "10m", 86_400_000, p),
    ...(args.maxP99 === undefined ? {} : { maxP99Ms: span("--max-p99", args.maxP99, 3_600_000, p) }),
    ...(args.capacityReport === undefined ? {} : { report: args.capacityReport }),
    ...(args.capacityChart === undefined ? {} : { chart: args.capacityChart }),
  };
}
