import { MAX_RATE } from "./limits.js";
import { spanMs } from "./span.js";

/** One stretch of a rate profile: from `from` to `to` primary events per minute over `ms`, linearly, or in `steps`. */
interface Segment {
  from: number;
  to: number;
  ms: number;
  /** A staircase: the rate rises by (to - from) / (steps - 1) every ms / steps (absent: a ramp, or a hold). */
  steps?: number;
}

/**
 * The primary rate over a run's simulated time (ms since its start; at --speed 1
 * the wall clock's): holds, ramps and staircases one after another; the last rate holds
 * after them. Written `1000/s:2m,1000/s+1000/s:1m*8,9000/s..2000/s:5m`.
 */
export interface RateProfile {
  readonly text: string;
  /** Primary events per minute `ms` after the start. */
  rateAt(ms: number): number;
  /** The highest rate the profile reaches, per minute. */
  readonly peak: number;
  /** Where its last stretch ends, ms after the start. */
  readonly length: number;
}

const RATE = /^(\d+(?:\.\d+)?)(k?)\/(s|m)$/;

/** A rate `1000/s`, `2k/s`, `500/m` per minute; undefined when not one. */
export function perMinute(text: string): number | undefined {
  const match = RATE.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * (match[2] === "k" ? 1000 : 1) * (match[3] === "s" ? 60 : 1);
}

/** One stretch of `R:D`, `R1..R2:D` or `R+S:D*N`; a problem text when it is none of them. */
function segmentOf(text: string): Segment | string {
  const stairs = /^([^+:]+)\+([^:]+):([^*]+)\*(\d+)$/.exec(text);
  if (stairs !== null) {
    const [, start, step, each, count] = stairs as unknown as [string, string, string, string, string];
    const from = perMinute(start);
    const by = perMinute(step);
    const ms = spanMs(each);
    const steps = Number(count);
    if (from === undefined || by === undefined || ms === undefined || ms <= 0 || !(steps >= 1))
      return `"${text}" is not RATE+STEP:EVERY*COUNT (e.g. 1000/s+1000/s:1m*8)`;
    return { from, to: from + by * (steps - 1), ms: ms * steps, steps };
  }
  const [rates = "", span = ""] = text.split(":");
  const ms = spanMs(span);
  const [first = "", second] = rates.split("..");
  const from = perMinute(first);
  const to = second === undefined ? from : perMinute(second);
  if (from === undefined || to === undefined || ms === undefined || ms <= 0 || text.split(":").length !== 2)
    return `"${text}" is not RATE:DURATION or RATE..RATE:DURATION (e.g. 1000/s:2m, 1000/s..5000/s:4m)`;
  return { from, to, ms };
}

/** A rate profile from its text; a problem naming the stretch and the accepted forms when it is not one. */
export function parseRateProfile(text: string): RateProfile | string {
  const parts = text.split(",").map((part) => part.trim());
  const segments: Segment[] = [];
  for (const part of parts) {
    const segment = segmentOf(part);
    if (typeof segment === "string") return segment;
    for (const rate of [segment.from, segment.to])
      if (!(rate > 0) || rate > MAX_RATE)
        return `"${part}": a rate must be > 0 and ≤ ${MAX_RATE / 60}/s (${MAX_RATE}/m)`;
    segments.push(segment);
  }
  const starts: number[] = [];
  let length = 0;
  for (const segment of segments) {
    starts.push(length);
    length += segment.ms;
  }
  const last = segments[segments.length - 1] as Segment;
  return {
    text,
    peak: Math.max(...segments.map((s) => Math.max(s.from, s.to))),
    length,
    rateAt(ms: number): number {
      if (ms >= length) return last.to;
      let i = segments.length - 1;
      while (i > 0 && (starts[i] as number) > ms) i -= 1;
      const { from, to, ms: span, steps } = segments[i] as Segment;
      const into = Math.max(0, ms - (starts[i] as number)) / span;
      if (steps === undefined) return from + (to - from) * into;
      return steps === 1 ? from : from + ((to - from) / (steps - 1)) * Math.min(steps - 1, Math.floor(into * steps));
    },
  };
}
