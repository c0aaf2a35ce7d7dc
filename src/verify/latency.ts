import type { LatencyMatch } from "../model/latencyMatch.js";

export type { LatencyMatch };

/** Latency quantiles over some outputs, ms; `count` 0 when none matched. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const SECOND = 1000;
/** Latencies kept for the run's quantiles at most. */
const KEPT = 1_000_000;

/** A field of a parsed value by its dotted path. */
function fieldOf(value: unknown, path: string): unknown {
  let at = value;
  for (const part of path.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** Epoch ms of a window bound: epoch ms, or ISO 8601 text (without an offset, UTC, as Flink writes it). */
function timeOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") return undefined;
  const text = value.includes("T") ? value : value.replace(" ", "T");
  const time = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  return Number.isFinite(time) ? time : undefined;
}

/** The quantiles of `values` (sorted here), nearest rank. */
export function summarise(values: number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { count: sorted.length, p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: sorted.at(-1) as number };
}

/**
 * End-to-end latency: when each input was produced (wall clock, as its `produced_at` header says),
 * and when its output was seen. Inputs are kept for `keepMs` of wall time (matching an output to an
 * older input is not tried); outputs that match nothing are counted, not guessed.
 */
export class LatencyTracker {
  private readonly produced = new Map<string, number>();
  /** Input ids in the order produced, to forget them after `keepMs`. */
  private readonly order: Array<{ id: string; at: number }> = [];
  private orderHead = 0;
  /** Per second of event time, when its last input was produced. */
  private readonly lastBySecond = new Map<number, number>();
  private recent: number[] = [];
  private windowed: number[] = [];
  /** Every latency, thinned to every other one each time it reaches `KEPT` (the quantiles stay, memory is bounded). */
  private all: number[] = [];
  private allStride = 1;
  private allSkip = 0;
  unmatched = 0;
  matched = 0;

  constructor(
    private readonly match: LatencyMatch,
    private readonly keepMs = 600_000,
  ) {}

  /** An input left at `producedAt` (wall epoch ms). */
  sent(eventId: string, eventTime: number, producedAt: number): void {
    if (this.match.by === "id") {
      this.produced.set(eventId, producedAt);
      this.order.push({ id: eventId, at: producedAt });
      while (
        this.orderHead < this.order.length &&
        (this.order[this.orderHead] as { at: number }).at < producedAt - this.keepMs
      )
        this.produced.delete((this.order[this.orderHead++] as { id: string }).id);
      if (this.orderHead > 65_536) {
        this.order.splice(0, this.orderHead);
        this.orderHead = 0;
      }
      return;
    }
    const second = Math.floor(eventTime / SECOND);
    this.lastBySecond.set(second, Math.max(this.lastBySecond.get(second) ?? 0, producedAt));
    // Event-time seconds are made in order (late records aside): the oldest go first.
    if (this.lastBySecond.size > this.keepMs / SECOND)
      this.lastBySecond.delete(this.lastBySecond.keys().next().value as number);
  }

  /** An output seen at `seenAt` (wall epoch ms): its latency, or undefined when it matches no input kept. */
  seen(value: unknown, seenAt: number): number | undefined {
    const producedAt = this.match.by === "id" ? this.byId(value) : this.byWindow(value);
    if (producedAt === undefined) {
      this.unmatched += 1;
      return undefined;
    }
    const latency = Math.max(0, seenAt - producedAt);
    this.matched += 1;
    this.recent.push(latency);
    this.windowed.push(latency);
    if (++this.allSkip >= this.allStride) {
      this.allSkip = 0;
      this.all.push(latency);
      if (this.all.length >= KEPT) {
        this.all = this.all.filter((_, i) => i % 2 === 0);
        this.allStride *= 2;
      }
    }
    return latency;
  }

  /** Latency of the outputs seen since the last call. */
  takeRecent(): LatencySummary {
    const summary = summarise(this.recent);
    this.recent = [];
    return summary;
  }

  /** Starts a span of outputs to summarise (a capacity search's step). */
  startWindow(): void {
    this.windowed = [];
  }

  /** Latency of the outputs seen since `startWindow`. */
  window(): LatencySummary {
    return summarise(this.windowed);
  }

  /** Latency over every output matched. */
  total(): LatencySummary {
    return { ...summarise(this.all), count: this.matched };
  }

  private byId(value: unknown): number | undefined {
    const id = fieldOf(value, (this.match as { field: string }).field);
    return typeof id === "string" ? this.produced.get(id) : undefined;
  }

  /** When the last input of the output's window was produced. */
  private byWindow(value: unknown): number | undefined {
    const { start, end } = this.match as { start: string; end: string };
    const from = timeOf(fieldOf(value, start));
    const to = timeOf(fieldOf(value, end));
    if (from === undefined || to === undefined || to <= from) return undefined;
    let last: number | undefined;
    for (let second = Math.floor(from / SECOND); second < Math.ceil(to / SECOND); second += 1) {
      const at = this.lastBySecond.get(second);
      if (at !== undefined && (last === undefined || at > last)) last = at;
    }
    return last;
  }
}
