import type Kafka from "node-rdkafka";
import { SinkError } from "../../errors.js";
import { kafkaProblem } from "./kafkaErrors.js";

/** A node-rdkafka callback call as a promise; its error becomes a `SinkError` saying `what` failed. */
export const call = <T>(
  what: string,
  run: (done: (error: Kafka.LibrdKafkaError | null | undefined, value: T) => void) => void,
): Promise<T> =>
  new Promise((resolve, reject) =>
    run((error, value) => (error ? reject(new SinkError(`${what}: ${error.message}`)) : resolve(value))),
  );

/** Where a consumer of the project's connects: the brokers, the user's librdkafka properties, the connect timeout. */
export interface ConsumerSettings {
  brokers: string;
  properties?: Record<string, string | number | boolean>;
  timeoutMs: number;
}

/**
 * Creates a consumer (the user's properties, then `config`) and connects it. librdkafka says why it
 * cannot connect (authentication, TLS) in an error event, the connect callback only that it timed
 * out: an error that will not pass ends the wait at once, named.
 */
export async function connectConsumer(
  settings: ConsumerSettings,
  config: Kafka.ConsumerGlobalConfig,
  topicConfig: Kafka.ConsumerTopicConfig = {},
): Promise<Kafka.KafkaConsumer> {
  const { KafkaConsumer } = (await import("node-rdkafka")).default;
  const consumer: Kafka.KafkaConsumer = new KafkaConsumer(
    {
      ...(settings.properties as Kafka.ConsumerGlobalConfig),
      "bootstrap.servers": settings.brokers,
      event_cb: true,
      ...config,
    },
    topicConfig,
  );
  await new Promise<void>((resolve, reject) => {
    consumer.on("event.error", (error) => {
      const problem = kafkaProblem(error, settings.brokers);
      if (problem !== undefined && !consumer.isConnected()) reject(new SinkError(problem));
    });
    consumer.connect({ timeout: settings.timeoutMs }, (error) =>
      error
        ? reject(
            new SinkError(
              kafkaProblem(error, settings.brokers) ?? `cannot reach Kafka at ${settings.brokers}: ${error.message}`,
            ),
          )
        : resolve(),
    );
  });
  return consumer;
}
