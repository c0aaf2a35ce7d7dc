import { messageTimeoutMs } from "./stallWatch.js";
import type Kafka from "node-rdkafka";
import { ConfigError, SinkError } from "../../errors.js";
import { ERRORS, alreadyExists, kafkaProblem } from "./kafkaErrors.js";
import { AHEAD_LIMIT, readAheadLimits } from "./topicLimits.js";
import type { ProducerLike, SinkLog } from "./producerLike.js";

export interface ProducerSettings {
  brokers: string;
  compression: string;
  /** librdkafka properties that override the defaults (`--kafka-config`, `-X key=value`); the admin client gets them too. */
  properties?: Record<string, string | number | boolean>;
  connectTimeoutMs: number;
  /** Delivery-report poll interval, ms. */
  pollMs?: number;
  /** Where librdkafka's own log lines go (debug level). */
  log?: SinkLog;
  /** Told when the producer hits a fatal error (it can deliver nothing more), with librdkafka's reason. */
  onFatal?: (reason: string) => void;
  /** librdkafka's statistics (its JSON), every `statsIntervalMs`. */
  onStats?: (json: string) => void;
  statsIntervalMs?: number;
}

/** The longest wait for one attempt at reading metadata or creating a topic, ms. */
const ATTEMPT_REQUEST_MS = 5_000;

/** The longest metadata wait of one connection attempt, ms. */
const ATTEMPT_MS = 500;

/** Defaults a careful user would pick: idempotent (so acks=all), batched, compressed. */
function producerConfig(settings: ProducerSettings): Kafka.ProducerGlobalConfig {
  return {
    "bootstrap.servers": settings.brokers,
    "client.id": "retail-stream",
    "enable.idempotence": true,
    dr_cb: true,
    event_cb: true,
    "linger.ms": 10,
    "batch.num.messages": 10_000,
    "batch.size": 1_000_000,
    "queue.buffering.max.messages": 200_000,
    "queue.buffering.max.kbytes": 262_144,
    "compression.codec": settings.compression as Kafka.ProducerGlobalConfig["compression.codec"],
    "socket.keepalive.enable": true,
    // The topics exist (made or checked at start): one not yet in the metadata means the cluster is slow (a
    // stall just after they were made), and its records wait like any other, up to the message timeout,
    // instead of failing after librdkafka's 30 s for a topic to appear.
    "topic.metadata.propagation.max.ms": Math.min(3_600_000, messageTimeoutMs(settings.properties)),
    ...(settings.onStats === undefined ? {} : { "statistics.interval.ms": settings.statsIntervalMs ?? 1000 }),
    ...(settings.properties as Kafka.ProducerGlobalConfig),
  };
}

/** node-rdkafka, loaded on first use: a stdout run or a library user without Kafka never needs librdkafka. */
async function rdkafka(): Promise<typeof Kafka> {
  return (await import("node-rdkafka")).default;
}

/** A client whose settings librdkafka refuses (an unknown property, a bad value) is bad input, named as such. */
function settingsError(error: unknown): ConfigError {
  return new ConfigError([`Kafka client settings (--kafka-config / -X): ${(error as Error).message}`]);
}

/**
 * Connects a producer, waiting at most `connectTimeoutMs` for the brokers'
 * metadata. Authentication and TLS failures, and "all brokers down", end the
 * wait as soon as librdkafka reports them, each with a line that says which.
 */
export async function connectProducer(settings: ProducerSettings): Promise<ProducerLike> {
  const { Producer } = await rdkafka();
  let producer: Kafka.Producer;
  try {
    producer = new Producer(producerConfig(settings), {});
  } catch (error) {
    throw settingsError(error);
  }
  // librdkafka's own account of a failed connection (the error events only say "authentication failure").
  let lastFailure = "";
  if (settings.onStats !== undefined) {
    const onStats = settings.onStats;
    producer.on("event.stats", (event: { message: string }) => onStats(event.message));
  }
  const asked = settings.properties?.debug !== undefined;
  producer.on("event.log", (event: { fac?: string; message?: string }) => {
    const text = (event.message ?? "").replace(/^\[thrd:[^\]]*\]: /, "");
    if (event.fac === "FAIL") lastFailure = text;
    // A fatal error (e.g. no permission to produce idempotently) is only logged by librdkafka, not raised.
    if (event.fac === "FATAL") settings.onFatal?.(text);
    // Asked for with -X debug=…: shown at info, beside the run's own lines.
    if (asked) settings.log?.info(`librdkafka ${event.fac ?? ""}: ${event.message ?? ""}`);
    else settings.log?.debug(`librdkafka ${event.fac ?? ""}: ${event.message ?? ""}`);
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    let poller: NodeJS.Timeout | undefined;
    const deadline = performance.now() + settings.connectTimeoutMs;
    // node-rdkafka adds a listener per connect attempt: room for every attempt within the timeout.
    producer.setMaxListeners(Math.ceil(settings.connectTimeoutMs / ATTEMPT_MS) + 20);
    const fail = (error: SinkError): void => {
      if (settled) return;
      settled = true;
      clearInterval(poller);
      producer.removeListener("event.error", onError);
      reject(error);
      // Still connecting: the client is let go in the background (node-rdkafka ends its attempt when the metadata request fails).
      try {
        producer.disconnect(1000, () => undefined);
      } catch {
        // not connected yet: nothing to close
      }
    };
    // A broker not up yet (all brokers down: nothing listens, a container still starting) is waited for up to the
    // connect timeout, said once; anything else (authentication, TLS) ends the wait at once.
    let unreachable: string | undefined;
    const onError = (error: { code?: number; message: string }): void => {
      const problem = kafkaProblem(
        { code: error.code, message: lastFailure === "" ? error.message : `${error.message}: ${lastFailure}` },
        settings.brokers,
      );
      if (problem === undefined) return;
      if (
        (error.code === ERRORS.ERR__ALL_BROKERS_DOWN || /all broker connections are down/i.test(error.message)) &&
        performance.now() < deadline
      ) {
        if (unreachable === undefined && settings.connectTimeoutMs > 5000)
          settings.log?.info(
            `waiting up to ${Math.round(settings.connectTimeoutMs / 1000)} s for Kafka at ${settings.brokers} (not reachable yet)`,
          );
        unreachable = problem;
        return;
      }
      fail(new SinkError(problem));
    };
    producer.on("event.error", onError);
    // Connect in short attempts: a pending metadata request holds the process (even its exit) until it
    // times out, so an early failure must not leave a long one behind.
    const attempt = (): void => {
      producer.connect({ timeout: Math.max(100, Math.min(ATTEMPT_MS, deadline - performance.now())) }, (error) => {
        clearInterval(poller);
        if (settled) return;
        if (error && performance.now() < deadline) return attempt();
        if (error)
          return fail(
            new SinkError(
              unreachable ??
                `cannot reach Kafka at ${settings.brokers} within ${settings.connectTimeoutMs / 1000} s (${lastFailure || error.message})`,
            ),
          );
        settled = true;
        // From here on, a broker that goes away is waited for: librdkafka reconnects and retries.
        producer.removeListener("event.error", onError);
        producer.on("event.error", (e: { message: string }) => settings.log?.debug(`librdkafka error: ${e.message}`));
        producer.setPollInterval(settings.pollMs ?? 50);
        resolve(producer as unknown as ProducerLike);
      });
      // Errors are served by polling, which node-rdkafka starts only once connected: poll while
      // connecting too, so an authentication or TLS failure ends the wait at once.
      poller = setInterval(() => {
        if (!producer.isConnected()) return;
        clearInterval(poller);
        if (!settled) producer.setPollInterval(20);
      }, 10);
    };
    attempt();
  });
}

export interface TopicSettings {
  brokers: string;
  properties?: Record<string, string | number | boolean>;
  timeoutMs: number;
  /** Partitions and replication factor of created topics; -1 for the broker's default. */
  partitions: number;
  replicationFactor: number;
  /** `auto` creates the missing topics, `never` refuses to run without them. */
  create: "auto" | "never";
  /** Topic settings of the created topics (not of the compacted ones). */
  config?: Readonly<Record<string, string>>;
  /** Topics made differently: one partition, compacted (the checkpoints of a transactional run). */
  compacted?: readonly string[];
  /** How far ahead of the wall clock the run stamps records, and what makes it so: existing topics whose limit is lower refuse the run. */
  ahead?: { ms: number; cause: string };
  /** Where a limit that could not be read is told. */
  log?: Pick<SinkLog, "warn">;
}

/** Kafka's default `message.timestamp.after.max.ms`: an hour. */
const DEFAULT_AHEAD_LIMIT_MS = 3_600_000;

/** Refuses the run, before anything is produced, when an existing topic would refuse records stamped as far ahead as the run goes. */
async function checkAheadLimits(
  topics: readonly string[],
  ahead: { ms: number; cause: string },
  settings: TopicSettings,
): Promise<void> {
  if (topics.length === 0 || ahead.ms <= 0) return;
  const read = await readAheadLimits(settings.brokers, settings.properties ?? {}, topics, settings.timeoutMs);
  if ("unreadable" in read) {
    settings.log?.warn(
      `cannot read ${AHEAD_LIMIT} of the existing topics (${read.unreadable}); this run stamps records ${reach(ahead.ms)} (${ahead.cause}), and stops at the first record a broker refuses for it`,
    );
    return;
  }
  const short = shortTopics(topics, read.limits, ahead.ms);
  if (short.length === 0) return;
  const limit = read.limits.get(short[0] as string) ?? DEFAULT_AHEAD_LIMIT_MS;
  throw new SinkError(
    `${short.length > 1 ? "topics" : "topic"} ${short.join(", ")} ${short.length > 1 ? "refuse" : "refuses"} records stamped more than ${duration(limit)} ahead of the broker's clock (${AHEAD_LIMIT}=${limit}), and this run stamps them ${reach(ahead.ms)} (${ahead.cause}): raise the limit (kafka-configs --alter --entity-type topics --entity-name ${short[0]} --add-config ${AHEAD_LIMIT}=9223372036854775807), run slower (--speed), or stamp records with the wall clock (--record-timestamp wall, the event time stays in the value and an event_time header)`,
  );
}

/**
 * The topics whose limit (their own, or Kafka's default of an hour) is short of `aheadMs`. Kafka's largest limit
 * (2^63 - 1 ms, what a run that gets ahead sets on the topics it creates, read back as a float) is no limit: a
 * continuous run ahead of the clock writes to it, whichever of its workers created the topic.
 */
export function shortTopics(topics: readonly string[], limits: ReadonlyMap<string, number>, aheadMs: number): string[] {
  return topics.filter((t) => {
    const limit = limits.get(t) ?? DEFAULT_AHEAD_LIMIT_MS;
    return limit < Number.MAX_SAFE_INTEGER && limit < aheadMs;
  });
}

/** How far ahead a run gets, in words. */
function reach(ms: number): string {
  return Number.isFinite(ms) ? `up to ${duration(ms)} ahead` : "ever further ahead";
}

/** A span in the largest unit that says it: "10 hours", "90 minutes". */
function duration(ms: number): string {
  if (ms >= Number.MAX_SAFE_INTEGER) return "any time";
  if (ms >= 2 * 3_600_000) return `${Math.round(ms / 3_600_000)} hours`;
  if (ms === 3_600_000) return "1 hour";
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${Math.round(ms / 1000)} seconds`;
}

/** The timestamp limit among topic settings: compacted topics take it too (a run ahead of the clock writes them as well). */
function aheadLimitOf(config: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const limit = config?.[AHEAD_LIMIT];
  return limit === undefined ? {} : { [AHEAD_LIMIT]: limit };
}

/**
 * Makes a request in attempts of a few seconds until `deadline` (`performance.now()` ms): a request sent into a
 * broker's freeze may never be answered, and is made again. The first answer that is not a timeout, else the last.
 */
export async function inAttempts<T>(
  deadline: number,
  request: (attemptMs: number) => Promise<{ error?: Kafka.LibrdKafkaError; value?: T }>,
  passing: (error: Kafka.LibrdKafkaError) => boolean = () => false,
): Promise<{ error?: Kafka.LibrdKafkaError; value?: T }> {
  for (;;) {
    const answer = await request(Math.max(100, Math.min(ATTEMPT_REQUEST_MS, deadline - performance.now())));
    if (answer.error === undefined || performance.now() >= deadline) return answer;
    if (answer.error.code === ERRORS.ERR__TIMED_OUT) continue;
    if (!passing(answer.error)) return answer;
    // A condition that passes (the broker fenced just after a pause): asked again shortly.
    await new Promise((resolve) => setTimeout(resolve, PASSING_RETRY_MS));
  }
}

/** How long to wait before asking again after an answer that passes, ms. */
const PASSING_RETRY_MS = 500;

/**
 * KRaft answers "All brokers are currently fenced" (as an invalid replication factor) for a moment after a
 * broker's pause, until it registers again: not the topic's settings, and asked again.
 */
export const fencedForNow = (error: Kafka.LibrdKafkaError): boolean =>
  error.code === ERRORS.ERR_INVALID_REPLICATION_FACTOR && /fenced/i.test(error.message);

/**
 * The connection dropped under a request (a broker frozen past the socket timeout, or restarting): librdkafka
 * reconnects by itself, and the request is made again until the deadline (the connect timeout).
 */
export const disconnectedForNow = (error: Kafka.LibrdKafkaError): boolean =>
  error.code === ERRORS.ERR__TRANSPORT || error.code === ERRORS.ERR__ALL_BROKERS_DOWN;

/** The topics that exist among `topics`, from a metadata request of the connected producer. */
export async function existingTopics(
  producer: ProducerLike,
  topics: readonly string[],
  timeoutMs: number,
): Promise<Set<string>> {
  const read = await inAttempts<Kafka.Metadata>(
    performance.now() + timeoutMs,
    (attemptMs) =>
      new Promise((resolve) => {
        (producer as unknown as Kafka.Producer).getMetadata({ timeout: attemptMs }, (error, data) =>
          resolve(error ? { error } : { value: data }),
        );
      }),
    disconnectedForNow,
  );
  if (read.error !== undefined) throw new SinkError(`cannot read the cluster's topics: ${read.error.message}`);
  const metadata = read.value as Kafka.Metadata;
  const known = new Set(metadata.topics.map((t) => t.name));
  return new Set(topics.filter((t) => known.has(t)));
}

/**
 * Makes sure `topics` exist: looks them up first and creates only the missing
 * ones (never relying on broker auto-creation), so a principal without CREATE
 * runs on existing topics. Refusals name the topic and the missing permission.
 *
 * @returns the topics created
 */
export async function ensureTopics(
  producer: ProducerLike,
  topics: readonly string[],
  settings: TopicSettings,
): Promise<string[]> {
  const present = await existingTopics(producer, topics, settings.timeoutMs);
  if (settings.ahead !== undefined)
    await checkAheadLimits(
      [...present].filter((t) => settings.compacted?.includes(t) !== true),
      settings.ahead,
      settings,
    );
  const missing = [...new Set(topics)].filter((t) => !present.has(t));
  if (missing.length === 0) return [];
  if (settings.create === "never")
    throw new SinkError(
      `topic ${missing.join(", ")} does not exist, and --create-topics never: create ${missing.length > 1 ? "them" : "it"} first`,
    );
  let admin: Kafka.IAdminClient;
  try {
    admin = (await rdkafka()).AdminClient.create({
      ...(settings.properties as Kafka.GlobalConfig),
      "bootstrap.servers": settings.brokers,
      "client.id": "retail-stream-admin",
    });
  } catch (error) {
    throw settingsError(error);
  }
  const created: string[] = [];
  const deadline = performance.now() + settings.timeoutMs;
  try {
    for (const topic of missing) {
      const compact = settings.compacted?.includes(topic) === true;
      const spec = compact
        ? {
            topic,
            num_partitions: 1,
            replication_factor: settings.replicationFactor,
            config: { "cleanup.policy": "compact", ...aheadLimitOf(settings.config) },
          }
        : {
            topic,
            num_partitions: settings.partitions,
            replication_factor: settings.replicationFactor,
            config: { ...settings.config },
          };
      // Creating a topic twice only says it exists: an attempt lost in a freeze is made again.
      const { error } = await inAttempts<true>(
        deadline,
        (attemptMs) =>
          new Promise((resolve) =>
            admin.createTopic(spec, attemptMs, (e) => resolve(e ? { error: e } : { value: true })),
          ),
        (error) => fencedForNow(error) || disconnectedForNow(error),
      );
      if (error === undefined) created.push(topic);
      // Another process (or an earlier attempt) was quicker.
      else if (!alreadyExists(error)) {
        throw new SinkError(
          `cannot create topic ${topic}: ${kafkaProblem(error, settings.brokers, "create") ?? error.message}`,
        );
      }
    }
  } finally {
    admin.disconnect();
  }
  return created;
}
