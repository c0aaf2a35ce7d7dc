import type winston from "winston";
import { profileOf } from "../model/profiles.js";
import type { Chain } from "../model/chain.js";
import type { RunConfig } from "../config/runConfig.js";
import { TeeSink } from "../sinks/teeSink.js";
import { stdoutSink } from "../sinks/stdoutSink.js";
import type { CommittedPosition, Sink } from "../sinks/sink.js";
import { parseKafkaStats, type KafkaStats } from "../sinks/kafka/kafkaStats.js";
import { isReference, labelsTopicOf } from "../wire/envelope.js";
import type { EventOptions } from "./eventOptions.js";
import { resumePoint, type ResumePoint } from "./resume.js";
import type { Writable } from "node:stream";

/** Opens the Kafka sink (loaded only by a run that writes to Kafka: a stdout run never loads node-rdkafka). */
export type OpenKafka = (
  config: RunConfig,
  log: winston.Logger,
  hooks: { onStats?: (json: string) => void; now: number; labelsTopic?: string },
) => Promise<Sink>;

/** Opens the PostgreSQL sink (loaded only by a run that writes to a database). */
export type OpenPostgres = (config: RunConfig, log: winston.Logger) => Promise<Sink>;

/** The sinks' openers: the real ones unless a test hands in its own. */
export interface SinkOpeners {
  openKafka?: OpenKafka;
  openPostgres?: OpenPostgres;
}

const openKafka: OpenKafka = async (config, log, hooks) =>
  (await import("./openKafka.js")).openKafka(config, log, hooks);

const openPostgres: OpenPostgres = async (config, log) => {
  const { PostgresSink } = await import("../sinks/postgres/postgresSink.js");
  const target = config.postgres as NonNullable<RunConfig["postgres"]>;
  return PostgresSink.open({
    url: target.url,
    createTables: target.createTables,
    log,
    runId: config.transactions?.id,
    duplicates: config.faults?.duplicate !== undefined,
  });
};

/**
 * Where a transactional run's last commit is kept, read: a database run's in the database, committed with its
 * records; a Kafka run's in its checkpoint topic.
 */
export async function committedPosition(config: RunConfig, runId: string): Promise<CommittedPosition | undefined> {
  if (config.sink === "files") return (await import("./openFiles.js")).filesPosition(config);
  if (config.sink === "postgres" && config.postgres !== undefined) {
    const { readPosition } = await import("../sinks/postgres/position.js");
    return readPosition(config.postgres.url, runId);
  }
  const { CHECKPOINT_TOPIC, readCheckpoint } = await import("../sinks/kafka/checkpoints.js");
  return readCheckpoint({
    brokers: config.kafka.brokers,
    properties: config.kafka.properties,
    topic: CHECKPOINT_TOPIC,
    transactionalId: runId,
    timeoutMs: config.kafka.connectTimeoutMs,
  });
}

/** What `openRunSink` opened: the sink, the configuration the run goes on with, where it resumes, librdkafka's latest statistics. */
export interface OpenedSink {
  sink: Sink;
  config: RunConfig;
  point?: ResumePoint;
  kafkaStats: { latest?: KafkaStats };
}

/**
 * Opens the run's sink — stdout, files, Kafka, PostgreSQL, or Kafka and PostgreSQL as one — first (bad client settings
 * or an unreachable cluster are then the only line printed) and, for a transactional run, once it has fenced any
 * earlier one, finds where it starts: fresh, or the last committed position, whose seed and start it takes.
 */
export async function openRunSink(
  given: RunConfig,
  chain: Chain,
  options: EventOptions,
  io: SinkOpeners & { stdout: Writable; log: winston.Logger; epochNow(): number },
): Promise<OpenedSink> {
  const { log } = io;
  // librdkafka's statistics, for the live endpoints' metrics and readiness.
  const kafkaStats: { latest?: KafkaStats } = {};
  const hooks =
    given.http === undefined
      ? {}
      : { onStats: (json: string) => (kafkaStats.latest = parseKafkaStats(json) ?? kafkaStats.latest) };
  const database = (): Promise<Sink> => (io.openPostgres ?? openPostgres)(given, log);
  // A scenario's anomalies write their labels to a topic of their own, created with the others.
  const labels = (options.anomalies?.length ?? 0) > 0 ? { labelsTopic: labelsTopicOf(given.topicPrefix) } : {};
  const kafka = (): Promise<Sink> =>
    (io.openKafka ?? openKafka)(given, log, { ...hooks, ...labels, now: io.epochNow() });
  let sink: Sink;
  if (given.sink === "stdout") sink = stdoutSink(io.stdout);
  else if (given.sink === "files") sink = await (await import("./openFiles.js")).openFiles(given, log);
  else if (given.sink === "postgres") sink = await database();
  else if (given.postgres === undefined) sink = await kafka();
  else sink = await kafkaAndDatabase(given, log, database, kafka);
  const { config, point } =
    given.transactions === undefined
      ? { config: given, point: undefined }
      : await resumePoint(given, chain, log, options.scenarioData, committedPosition).catch(async (error: unknown) => {
          // The sink is open (it fenced any earlier run): closed before the failure is said.
          await sink.close(1000);
          throw error;
        });
  if (point !== undefined) sink.transactional?.resumeAt(point.identity, point.skip);
  return { sink, config, point, kafkaStats };
}

/** Kafka and the database in one run: the database first (its checks refuse before anything is written), then Kafka. */
async function kafkaAndDatabase(
  config: RunConfig,
  log: winston.Logger,
  database: () => Promise<Sink>,
  kafka: () => Promise<Sink>,
): Promise<Sink> {
  const db = await database();
  const topics = await kafka().catch(async (error: unknown) => {
    await db.close(1000);
    throw error;
  });
  // Kafka takes the reference rows only where its topics are (a version with reference topics).
  const kafkaTakesReference = profileOf(config.schemaVersion).referenceTopics;
  return new TeeSink(
    [
      { name: "kafka", sink: topics, takes: (record) => kafkaTakesReference || !isReference(record) },
      {
        name: "postgres",
        sink: db,
        takes: (record) => record.headers.event_type !== "truth" && record.headers.event_type !== "label",
      },
    ],
    (text) => log.info(text),
  );
}
