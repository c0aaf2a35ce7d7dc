/** The few node-rdkafka `Producer` calls the Kafka sink makes: a fake can stand in for tests. */
export interface ProducerLike {
  /** Throws (code −184, QUEUE_FULL) when librdkafka's queue is full. */
  produce(
    topic: string,
    partition: null,
    value: Buffer,
    key: string | Buffer,
    timestamp: number,
    opaque: undefined,
    headers: Array<Record<string, string>>,
  ): unknown;
  poll(): unknown;
  flush(timeoutMs: number, done: (error?: Error | null) => void): unknown;
  disconnect(timeoutMs: number, done: () => void): unknown;
  on(
    event: "delivery-report",
    listener: (error: KafkaError | null, report: { topic: string; key?: unknown; size?: number }) => void,
  ): unknown;
}

/** The shape of a librdkafka error as node-rdkafka hands it over. */
export interface KafkaError {
  message: string;
  code?: number;
  /** node-rdkafka's flags: the producer is done; the call may be made again; the transaction must be aborted. */
  isFatal?: boolean;
  isRetriable?: boolean;
  isTxnRequiresAbort?: boolean;
}

/** Where the sink reports failures (and what it set up). */
export interface SinkLog {
  info(message: string): unknown;
  warn(message: string): unknown;
  debug(message: string): unknown;
}
