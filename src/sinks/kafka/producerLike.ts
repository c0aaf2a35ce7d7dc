/** The few node-rdkafka `Producer` calls the Kafka sink makes: a fake can stand in for tests. */
export interface ProducerLike {
  /** Throws (code −184, QUEUE_FULL) when librdkafka's queue is full. */
  produce(topic: string, partition: null, value: Buffer, key: string, timestamp: number, opaque: undefined, headers: Array<Record<string, string>>): unknown;
  poll(): unknown;
  flush(timeoutMs: number, done: (error?: Error | null) => void): unknown;
  disconnect(timeoutMs: number, done: () => void): unknown;
  on(event: "delivery-report", listener: (error: KafkaError | null, report: { topic: string; key?: unknown; size?: number }) => void): unknown;
}

/** The shape of a librdkafka error as node-rdkafka hands it over. */
export interface KafkaError {
  message: string;
  code?: number;
}

/** librdkafka's "local queue full". */
export const ERR_QUEUE_FULL = -184;

/** librdkafka's "fatal error": the producer can deliver nothing more. */
export const ERR_FATAL = -150;

/** Where the sink reports failures (and what it set up). */
export interface SinkLog {
  info(message: string): unknown;
  warn(message: string): unknown;
  debug(message: string): unknown;
}
