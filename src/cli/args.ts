/** The options as yargs hands them over: text, untouched, so messages can quote it. */
export interface RawArgs {
  continuous?: boolean;
  duration?: string;
  count?: string;
  minDelta?: string;
  maxDelta?: string;
  weights?: string;
  seed?: string;
  startTime?: string;
  from?: string;
  to?: string;
  speed?: string;
  sink?: string;
  brokers?: string;
  topic?: string[];
  config?: string;
  logLevel?: string;
  compression?: string;
  X?: string[];
  kafkaConfig?: string;
  createTopics?: string;
  partitions?: string;
  replicationFactor?: string;
  flushTimeout?: string;
  connectTimeout?: string;
  statsInterval?: string;
  maxInFlight?: string;
  data?: string;
  shard?: string;
  leadTime?: string;
  arrivals?: string;
  rate?: string;
  scenario?: string;
}
