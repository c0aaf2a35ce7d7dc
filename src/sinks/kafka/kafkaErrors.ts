// Every Kafka error the tool acts on is classified here, by node-rdkafka's codes (named as its
// `CODES.ERRORS` names them; a unit test holds this table to node-rdkafka's) and its flags.
import type { KafkaError } from "./producerLike.js";

/** librdkafka's and Kafka's error codes the tool acts on, as node-rdkafka names them (kept here so a stdout run never loads the native module). */
export const ERRORS = {
  ERR__TRANSPORT: -195,
  ERR__ALL_BROKERS_DOWN: -187,
  ERR__QUEUE_FULL: -184,
  ERR__SSL: -181,
  ERR__AUTHENTICATION: -169,
  ERR__UNKNOWN_TOPIC: -188,
  ERR__TIMED_OUT: -185,
  ERR__FATAL: -150,
  ERR__FENCED: -144,
  ERR__INVALID_DIFFERENT_RECORD: -138,
  ERR_UNKNOWN_TOPIC_OR_PART: 3,
  ERR_TOPIC_AUTHORIZATION_FAILED: 29,
  ERR_CLUSTER_AUTHORIZATION_FAILED: 31,
  ERR_INVALID_TIMESTAMP: 32,
  ERR_TOPIC_ALREADY_EXISTS: 36,
  ERR_INVALID_REPLICATION_FACTOR: 38,
  ERR_POLICY_VIOLATION: 44,
  ERR_INVALID_PRODUCER_EPOCH: 47,
  ERR_SASL_AUTHENTICATION_FAILED: 58,
  ERR_INVALID_RECORD: 87,
  ERR_PRODUCER_FENCED: 90,
} as const;
const CODES = ERRORS;

/**
 * node-rdkafka's delivery reports carry librdkafka's error text but no code (it reads -1): the codes
 * the tool acts on, by librdkafka's own text for them (rd_kafka_err2str, lowercased as node-rdkafka hands it over).
 */
const BY_TEXT: ReadonlyMap<string, number> = new Map([
  ["invalid timestamp", CODES.ERR_INVALID_TIMESTAMP],
  ["broker failed to validate record", CODES.ERR_INVALID_RECORD],
  ["an invalid record in the same batch caused the failure of this message too", CODES.ERR__INVALID_DIFFERENT_RECORD],
]);

/** An error's code: its own, or (from a delivery report, which has none) the one librdkafka's text names. */
export function codeOf(error: KafkaError): number | undefined {
  if (error.code !== undefined && error.code !== -1) return error.code;
  const text = error.message.replace(/^(broker|local): /i, "").toLowerCase();
  return BY_TEXT.get(text) ?? error.code;
}

/** librdkafka's queue is full: wait for deliveries, then produce again. */
export const isQueueFull = (error: KafkaError): boolean => error.code === CODES.ERR__QUEUE_FULL;
/** The producer can deliver nothing more (node-rdkafka's `isFatal`, or librdkafka's fatal code). */
export const isFatal = (error: KafkaError): boolean => error.isFatal === true || error.code === CODES.ERR__FATAL;
/** The same call may succeed if made again (node-rdkafka's `isRetriable`). */
export const isRetriable = (error: KafkaError): boolean => error.isRetriable === true;
/** The transaction cannot commit: abort it (node-rdkafka's `isTxnRequiresAbort`). */
export const needsAbort = (error: KafkaError): boolean => error.isTxnRequiresAbort === true;
/** The topic is there already (another process created it first). */
export const alreadyExists = (error: KafkaError): boolean => error.code === CODES.ERR_TOPIC_ALREADY_EXISTS;
/** The broker refused a record for its timestamp (beyond the topic's `message.timestamp.after.max.ms`, or before its `before.max.ms`). */
export const isTimestampRefused = (error: KafkaError): boolean => codeOf(error) === CODES.ERR_INVALID_TIMESTAMP;
/** Refused as invalid (librdkafka's code for each of several refused records in one batch, whose own reasons it does not hand over), or for sharing a batch with those. */
const isInvalidRecord = (error: KafkaError): boolean => {
  const code = codeOf(error);
  return code === CODES.ERR_INVALID_RECORD || code === CODES.ERR__INVALID_DIFFERENT_RECORD;
};
/** The broker refused records on checking them, and will refuse every later one like them: for its timestamp (a batch with one such record), or as invalid. */
export const isRefusedRecord = (error: KafkaError): boolean => isTimestampRefused(error) || isInvalidRecord(error);
/** The topic (or its partition) does not exist (yet). */
export const isUnknownTopic = (error: KafkaError): boolean =>
  error.code === CODES.ERR__UNKNOWN_TOPIC || error.code === CODES.ERR_UNKNOWN_TOPIC_OR_PART;
/** Another producer with the same transactional id took over. */
export const isFenced = (error: KafkaError): boolean =>
  error.code === CODES.ERR__FENCED ||
  error.code === CODES.ERR_PRODUCER_FENCED ||
  error.code === CODES.ERR_INVALID_PRODUCER_EPOCH ||
  /fenced/i.test(error.message);

/** The topic settings that bound a record's timestamp, as the refusals name them. */
const TIMESTAMP_LIMITS =
  "message.timestamp.after.max.ms (Kafka's default: 1 hour ahead of the broker's clock) or message.timestamp.before.max.ms";

/**
 * What an error from the Kafka client means, in a line that says what to do;
 * `undefined` when it is one to wait out (a broker that may come back).
 *
 * @param error the error (`code`, `message`)
 * @param brokers the bootstrap servers, to name them
 * @param doing `create` for topic creation (names the permission it needs), `write` for a delivery
 */
export function kafkaProblem(
  error: KafkaError,
  brokers: string,
  doing: "connect" | "create" | "write" = "connect",
): string | undefined {
  const message = error.message;
  // During connect librdkafka reports SASL and TLS failures as transport errors (-195) whose text says
  // which, and a fatal error's reason arrives as a log line: for those the text picks the advice.
  if (
    error.code === CODES.ERR__AUTHENTICATION ||
    error.code === CODES.ERR_SASL_AUTHENTICATION_FAILED ||
    /authenticat/i.test(message)
  ) {
    return `authentication failed at ${brokers}: check the user, password and SASL mechanism (${message})`;
  }
  if (error.code === CODES.ERR__SSL || /SSL handshake|certificate verify|ssl error/i.test(message)) {
    return `TLS failed at ${brokers}: check the CA (ssl.ca.location) and the broker's host name (${message})`;
  }
  if (
    error.code === CODES.ERR_TOPIC_AUTHORIZATION_FAILED ||
    error.code === CODES.ERR_CLUSTER_AUTHORIZATION_FAILED ||
    /authorization failed/i.test(message)
  ) {
    const needs =
      doing === "create"
        ? "CREATE on the topic or the cluster; create the topics beforehand (--create-topics never) or grant it"
        : doing === "write"
          ? "WRITE on the topic"
          : "DESCRIBE on the topics";
    return `not authorized: the principal needs ${needs} (${message})`;
  }
  if (isTimestampRefused(error)) {
    return `the broker refused a record for its timestamp: it is outside the topic's ${TIMESTAMP_LIMITS} (default: any age); raise them on the topic (kafka-configs --alter --add-config message.timestamp.after.max.ms=...), run slower (--speed), or stamp records with the wall clock (--record-timestamp wall) (${message})`;
  }
  if (isInvalidRecord(error)) {
    return `the broker refused records on checking them (several in one batch: the delivery report does not say why): a timestamp outside the topic's ${TIMESTAMP_LIMITS} is the usual cause (raise them on the topic, run slower with --speed, or stamp records with the wall clock, --record-timestamp wall), a record without a key on a compacted topic another; the broker's log names the reason (${message})`;
  }
  if (error.code === CODES.ERR_POLICY_VIOLATION) return `refused by the cluster's topic policy (${message})`;
  if (error.code === CODES.ERR_INVALID_REPLICATION_FACTOR)
    return `the replication factor is more than the cluster's brokers, or not allowed (${message}); --replication-factor -1 takes the broker's default`;
  if (isFenced(error))
    return `fenced: another process started with the same --transactional-id and took over; this one stops (${message})`;
  if (/incorrect security\.protocol/i.test(message))
    return `the listener at ${brokers} speaks another protocol: set security.protocol (and its SASL/TLS settings) to match it (${message})`;
  if (
    doing === "connect" &&
    (error.code === CODES.ERR__ALL_BROKERS_DOWN || /all broker connections are down/i.test(message))
  )
    return `cannot reach Kafka at ${brokers}: all brokers down (${message})`;
  return undefined;
}

/** librdkafka's "local queue full", thrown by `produce()`. */
export const ERR_QUEUE_FULL = ERRORS.ERR__QUEUE_FULL;
