/** librdkafka's and Kafka's error codes that a person can act on, as node-rdkafka reports them. */
const CODES = {
  ALL_BROKERS_DOWN: -187, AUTHENTICATION: -169, SSL: -181, TRANSPORT: -195,
  TOPIC_AUTHORIZATION_FAILED: 29, CLUSTER_AUTHORIZATION_FAILED: 31, POLICY_VIOLATION: 44, INVALID_REPLICATION_FACTOR: 38,
  SASL_AUTHENTICATION_FAILED: 58,
} as const;

/**
 * What an error from the Kafka client means, in a line that says what to do;
 * `undefined` when it is one to wait out (a broker that may come back).
 *
 * @param error the error (`code`, `message`)
 * @param brokers the bootstrap servers, to name them
 * @param doing `create` for topic creation (names the permission it needs), `write` for a delivery
 */
export function kafkaProblem(error: { code?: number; message: string }, brokers: string, doing: "connect" | "create" | "write" = "connect"): string | undefined {
  const message = error.message;
  if (error.code === CODES.AUTHENTICATION || error.code === CODES.SASL_AUTHENTICATION_FAILED || /authenticat/i.test(message)) {
    return `authentication failed at ${brokers}: check the user, password and SASL mechanism (${message})`;
  }
  if (error.code === CODES.SSL || /SSL handshake|certificate verify|ssl error/i.test(message)) {
    return `TLS failed at ${brokers}: check the CA (ssl.ca.location) and the broker's host name (${message})`;
  }
  if (error.code === CODES.TOPIC_AUTHORIZATION_FAILED || error.code === CODES.CLUSTER_AUTHORIZATION_FAILED || /authorization failed/i.test(message)) {
    const needs = doing === "create" ? "CREATE on the topic or the cluster; create the topics beforehand (--create-topics never) or grant it" : doing === "write" ? "WRITE on the topic" : "DESCRIBE on the topics";
    return `not authorized: the principal needs ${needs} (${message})`;
  }
  if (error.code === CODES.POLICY_VIOLATION) return `refused by the cluster's topic policy (${message})`;
  if (error.code === CODES.INVALID_REPLICATION_FACTOR) return `the replication factor is more than the cluster's brokers, or not allowed (${message}); --replication-factor -1 takes the broker's default`;
  if (/fenced/i.test(message)) return `fenced: another process started with the same --transactional-id and took over; this one stops (${message})`;
  if (/incorrect security\.protocol/i.test(message)) return `the listener at ${brokers} speaks another protocol: set security.protocol (and its SASL/TLS settings) to match it (${message})`;
  if (doing === "connect" && (error.code === CODES.ALL_BROKERS_DOWN || /all broker connections are down/i.test(message))) return `cannot reach Kafka at ${brokers}: all brokers down (${message})`;
  return undefined;
}
