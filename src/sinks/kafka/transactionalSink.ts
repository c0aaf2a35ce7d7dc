import { isEvent, type OutRecord } from "../../wire/envelope.js";
import { isPrimary } from "../../model/events.js";
import { isQueueFull, isRetriable, needsAbort } from "./kafkaErrors.js";
import type { KafkaError, ProducerLike, SinkLog } from "./producerLike.js";
import type { CommittedPosition, DeliveryTotals, Sink, SinkTotals, Transactional } from "../sink.js";

/** The transaction calls of a node-rdkafka producer. */
export interface TransactionalProducer extends ProducerLike {
  initTransactions(timeoutMs: number, done: (error: KafkaError | null) => void): void;
  beginTransaction(done: (error: KafkaError | null) => void): void;
  commitTransaction(timeoutMs: number, done: (error: KafkaError | null) => void): void;
  abortTransaction(timeoutMs: number, done: (error: KafkaError | null) => void): void;
}

/**
 * What the transactional sink asks of the sink it writes through (the Kafka sink): to settle its
 * counts when a commit completed, and to stop on a failure the transactions cannot get past.
 */
export interface SettlingSink extends Sink {
  byTopic(): ReadonlyMap<string, DeliveryTotals>;
  /** Everything produced so far was delivered or failed (a commit completed): exact counts. */
  settle(): void;
  /** The producer cannot go on: what is in flight and whatever comes fails with this reason, and the run stops. */
  fatal(reason: string): void;
}

/** Where a run is, as a checkpoint says it: what it is, and how far it got. */
/** A checkpoint: the position of a transactional run, keyed by its id. */
export interface Checkpoint extends CommittedPosition {
  transactional_id: string;
}

export interface TransactionalOptions {
  transactionalId: string;
  /** The compacted topic the checkpoints go to, keyed by transactional id. */
  checkpointTopic: string;
  /** Commit after this much wall time (ms) or this many records, whichever comes first; never inside a tick. */
  commitIntervalMs: number;
  commitRecords: number;
  /** The wall clock (ms), for the commit interval. */
  now: () => number;
  log: SinkLog;
  timeoutMs?: number;
}

/**
 * Exactly once across crashes: records are written in transactions, and each
 * commit carries a checkpoint — how many records and primary events the run had
 * made, and its identity — in the same transaction, so the checkpoint is
 * committed exactly when the records before it are. A commit comes due after
 * an interval or a number of records, and happens only when the driver asks
 * whether it may go on, which is between ticks, so a sale, its decrement, its
 * purchase and an alert always commit together. Records up to `skip` (what an
 * earlier run committed) are regenerated and dropped, so a resumed run goes on
 * from exactly where that one's last commit was.
 */
export class TransactionalSink implements Sink, Transactional {
  /** This sink writes in transactions. */
  readonly transactional: Transactional = this;

  private readonly position = { records: 0, primary: 0, time: 0 };
  private inTransaction = 0;
  private aborted = 0;
  private committing = false;
  private lastCommit: number;
  private readonly waiting: Array<() => void> = [];
  private stopped: string | undefined;
  committed = 0;
  /** Transactions committed and aborted. */
  readonly transactions = { committed: 0, aborted: 0 };
  replayed = 0;
  private identity: Checkpoint["identity"] | undefined;
  private pending: Promise<void> = Promise.resolve();
  private skip = 0;

  constructor(
    private readonly inner: SettlingSink,
    private readonly producer: TransactionalProducer,
    private readonly options: TransactionalOptions,
  ) {
    this.lastCommit = options.now();
    inner.onClosed((reason) => (this.stopped = reason));
  }

  /**
   * Where the run starts: its identity (written in every checkpoint) and the
   * records an earlier run already committed. Set after `start()`, which fences
   * that run, so nothing it commits can be missed.
   */
  resumeAt(identity: Checkpoint["identity"], skip: number): void {
    this.identity = identity;
    this.skip = skip;
  }

  /** Fences any earlier producer of the id and opens the first transaction. */
  async start(): Promise<void> {
    const timeout = this.options.timeoutMs ?? 30_000;
    await this.call((done) => this.producer.initTransactions(timeout, done), "start transactions");
    await this.call((done) => this.producer.beginTransaction(done), "begin a transaction");
  }

  get held(): boolean {
    return this.committing || this.due() || this.inner.held;
  }

  whenReady(resume: () => void): void {
    if (this.committing) {
      this.waiting.push(resume);
      return;
    }
    if (this.due()) {
      this.waiting.push(resume);
      void this.commit(true).then(() => {
        for (const next of this.waiting.splice(0)) this.inner.whenReady(next);
      });
      return;
    }
    this.inner.whenReady(resume);
  }

  write(envelope: OutRecord): void {
    this.position.records += 1;
    if (isEvent(envelope) && isPrimary(envelope.value)) this.position.primary += 1;
    // Where the run is in event time (a wall-clock timestamp carries it in its header).
    this.position.time =
      envelope.headers.event_time === undefined ? envelope.timestamp : Date.parse(envelope.headers.event_time);
    if (this.position.records <= this.skip) {
      this.replayed += 1;
      return;
    }
    this.inTransaction += 1;
    this.inner.write(envelope);
  }

  /** Per topic as the producer saw it (records of an aborted transaction count there as delivered; `totals()` says failed). */
  byTopic(): ReadonlyMap<string, DeliveryTotals> {
    return this.inner.byTopic();
  }

  trouble(): string | undefined {
    return this.inner.trouble?.();
  }

  totals(): SinkTotals {
    const inner = this.inner.totals();
    return { ...inner, delivered: inner.delivered - this.aborted, failed: inner.failed + this.aborted };
  }

  onClosed(listener: (reason: string, failed: boolean) => void): void {
    this.inner.onClosed(listener);
  }

  async close(timeoutMs: number): Promise<DeliveryTotals> {
    // A commit under way (one the driver asked for) finishes first: librdkafka takes one at a time.
    await this.pending;
    if (this.stopped === undefined && this.inTransaction > 0) await this.commit(false);
    const inner = await this.inner.close(timeoutMs);
    return { ...inner, delivered: inner.delivered - this.aborted, failed: inner.failed + this.aborted };
  }

  private due(): boolean {
    return (
      this.stopped === undefined &&
      this.inTransaction > 0 &&
      (this.inTransaction >= this.options.commitRecords ||
        this.options.now() - this.lastCommit >= this.options.commitIntervalMs)
    );
  }

  /** Commits after any commit under way, one at a time. */
  private commit(beginNext: boolean): Promise<void> {
    this.pending = this.pending.then(() => this.commitNow(beginNext));
    return this.pending;
  }

  /** Writes the checkpoint and commits; on failure aborts (what was in the transaction counts as failed). */
  private async commitNow(beginNext: boolean): Promise<void> {
    if (this.stopped !== undefined || this.inTransaction === 0) return;
    this.committing = true;
    const records = this.inTransaction;
    try {
      await this.produceCheckpoint();
      // As long as the transaction may live (librdkafka's transaction.timeout.ms, 60 s): a commit under way
      // when a broker restarts waits out its start and librdkafka's reconnect back-off, up to 10 s, rather than failing at 30.
      // A commit that failed in a way node-rdkafka calls retriable is made again (the transaction is still open).
      for (let attempt = 1; ; attempt += 1) {
        const failed = await this.call(
          (done) => this.producer.commitTransaction(this.options.timeoutMs ?? 60_000, done),
          "commit",
        ).then(
          () => undefined,
          (error: CallError) => error,
        );
        if (failed === undefined) break;
        if (!isRetriable(failed.kafka) || needsAbort(failed.kafka) || attempt >= COMMIT_ATTEMPTS) throw failed;
        this.options.log.warn(
          `commit of ${records} records failed (${failed.kafka.message}), retriable: trying again (${attempt} of ${COMMIT_ATTEMPTS - 1})`,
        );
      }
      this.committed += records;
      this.transactions.committed += 1;
      // A commit flushes: everything written so far is delivered.
      this.inner.settle();
      if (beginNext) await this.call((done) => this.producer.beginTransaction(done), "begin a transaction");
    } catch (error) {
      this.options.log.warn(`transaction of ${records} records not committed: ${(error as Error).message}`);
      this.aborted += records;
      this.transactions.aborted += 1;
      await this.call((done) => this.producer.abortTransaction(this.options.timeoutMs ?? 30_000, done), "abort").catch(
        () => undefined,
      );
      // Aborted records are not kept to send again: the run stops, and --resume regenerates them from the last checkpoint.
      const aborted =
        error instanceof CallError && needsAbort(error.kafka)
          ? "; aborted, as the broker asked: --resume goes on from the last checkpoint"
          : "";
      this.inner.fatal(`${(error as Error).message}${aborted}`);
    } finally {
      this.inTransaction = 0;
      this.lastCommit = this.options.now();
      this.committing = false;
    }
  }

  /** Writes the checkpoint into the transaction; while librdkafka's queue is full, waits for deliveries to make room (never spins). */
  private async produceCheckpoint(): Promise<void> {
    if (this.identity === undefined)
      throw new Error("a transactional run writes only once resumeAt() has set where it starts");
    const checkpoint: Checkpoint = {
      transactional_id: this.options.transactionalId,
      identity: this.identity,
      ...this.position,
    };
    const value = Buffer.from(JSON.stringify(checkpoint));
    for (;;) {
      try {
        this.producer.produce(
          this.options.checkpointTopic,
          null,
          value,
          this.options.transactionalId,
          this.position.time,
          undefined,
          [],
        );
        return;
      } catch (error) {
        if (!isQueueFull(error as KafkaError)) throw error;
        // flush() waits on librdkafka's thread, not this one: /readyz and the rest of the event loop go on meanwhile.
        await new Promise<void>((resolve) => this.producer.flush(100, () => resolve()));
      }
    }
  }

  private call(run: (done: (error: KafkaError | null) => void) => void, what: string): Promise<void> {
    return new Promise((resolve, reject) => run((error) => (error ? reject(new CallError(what, error)) : resolve())));
  }
}

/** Commits tried at most when node-rdkafka calls the failure retriable. */
const COMMIT_ATTEMPTS = 5;

/** A transactional call that failed, with node-rdkafka's error (its code and flags) kept. */
class CallError extends Error {
  constructor(
    what: string,
    readonly kafka: KafkaError,
  ) {
    super(`cannot ${what}: ${kafka.message}`);
  }
}
