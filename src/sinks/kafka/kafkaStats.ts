/** What the metrics and readiness use of librdkafka's statistics. */
export interface KafkaStats {
  /** Brokers by name (bootstrap entries left out): connection state and mean round trip, seconds. */
  brokers: Array<{ name: string; up: boolean; rttSeconds: number }>;
  /** Per topic: mean batch size, bytes and messages. */
  topics: Array<{ topic: string; batchBytes: number; batchMessages: number }>;
  /** Requests retried, all brokers. */
  retries: number;
}

interface RawStats {
  brokers?: Record<
    string,
    { name?: string; nodeid?: number; state?: string; rtt?: { avg?: number }; txretries?: number }
  >;
  topics?: Record<string, { topic?: string; batchsize?: { avg?: number }; batchcnt?: { avg?: number } }>;
}

/** librdkafka's statistics JSON (`statistics.interval.ms`) as `KafkaStats`; undefined if it does not parse. */
export function parseKafkaStats(json: string): KafkaStats | undefined {
  let raw: RawStats;
  try {
    raw = JSON.parse(json) as RawStats;
  } catch {
    return undefined;
  }
  const brokers = Object.values(raw.brokers ?? {})
    .filter((b) => (b.nodeid ?? -1) >= 0)
    .map((b) => ({ name: b.name ?? "", up: b.state === "UP", rttSeconds: (b.rtt?.avg ?? 0) / 1e6 }));
  const topics = Object.values(raw.topics ?? {}).map((t) => ({
    topic: t.topic ?? "",
    batchBytes: t.batchsize?.avg ?? 0,
    batchMessages: t.batchcnt?.avg ?? 0,
  }));
  const retries = Object.values(raw.brokers ?? {}).reduce((sum, b) => sum + (b.txretries ?? 0), 0);
  return { brokers, topics, retries };
}
