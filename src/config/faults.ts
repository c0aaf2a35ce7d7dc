import { NULLABLE, type FaultPlan } from "../model/faults.js";
import { spanMs as span, type Problems } from "./problems.js";
import { isoTime } from "../model/isoTime.js";

/**
 * `--faults duplicate=0.01[:2s],late=0.02:5m,malformed=0.001,nulls=0.01[:field+field],offline=S003@2026-11-02T10:00:00Z+60m`
 * as a plan; every problem is added to `p`, naming the entry.
 */
export function parseFaults(text: string, p: Problems): FaultPlan {
  const plan: { -readonly [K in keyof FaultPlan]: FaultPlan[K] } = {};
  const offline: Array<{ store: string; at: number; duration: number }> = [];
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "")) {
    const [kind, spec = ""] = entry.split(/=(.*)/s) as [string, string?];
    const bad = (why: string): void => p.add(`--faults: "${entry}" ${why}`);
    if (kind === "offline") {
      const match = /^([^@]+)@(.+)\+([^+]+)$/.exec(spec);
      const at = match === null ? NaN : isoTime(match[2] as string);
      const duration = match === null ? undefined : span(match[3] as string);
      if (match === null || !Number.isFinite(at) || duration === undefined || duration <= 0)
        bad("is not offline=STORE@ISO-TIME+SPAN (e.g. offline=S003@2026-11-02T10:00:00Z+60m)");
      else offline.push({ store: match[1] as string, at, duration });
      continue;
    }
    const [rate = "", option] = spec.split(":");
    const prob = Number(rate);
    if (rate === "" || !Number.isFinite(prob) || prob < 0 || prob > 1) {
      bad(`needs a probability from 0 to 1 (e.g. ${kind}=0.01)`);
      continue;
    }
    if (kind === "duplicate" || kind === "late") {
      const ms = option === undefined ? (kind === "duplicate" ? 2000 : 300_000) : span(option);
      if (ms === undefined || ms <= 0) bad("has a delay that is not a span like 500ms, 10s, 5m or 2h");
      else if (kind === "duplicate") plan.duplicate = { p: prob, withinMs: ms };
      else plan.late = { p: prob, delayMs: ms };
    } else if (kind === "malformed") {
      if (option !== undefined) bad("takes only a probability");
      plan.malformed = { p: prob };
    } else if (kind === "nulls") {
      const fields = option === undefined ? NULLABLE : option.split("+");
      const unknown = fields.filter((f) => !NULLABLE.includes(f));
      if (unknown.length > 0) bad(`names ${unknown.join(", ")}: fields that can be nulled are ${NULLABLE.join(", ")}`);
      else plan.nulls = { p: prob, fields };
    } else {
      bad("is not one of duplicate, late, malformed, nulls, offline");
    }
  }
  if (offline.length > 0) plan.offline = offline;
  return plan;
}
