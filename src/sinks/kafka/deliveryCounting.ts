import type { DeliveryLedger } from "./deliveryLedger.js";

/** What librdkafka still holds (queued, being sent, awaiting the broker's acknowledgement), in all and per topic, from its statistics. */
export function heldByLibrdkafka(json: string): { total: number; byTopic: Map<string, number> } | undefined {
  let stats: {
    msg_cnt?: number;
    topics?: Record<
      string,
      { partitions?: Record<string, { msgq_cnt?: number; xmit_msgq_cnt?: number; msgs_inflight?: number }> }
    >;
  };
  try {
    stats = JSON.parse(json) as typeof stats;
  } catch {
    return undefined;
  }
  if (typeof stats.msg_cnt !== "number") return undefined;
  const byTopic = new Map<string, number>();
  for (const [topic, { partitions = {} }] of Object.entries(stats.topics ?? {})) {
    byTopic.set(
      topic,
      Object.values(partitions).reduce(
        (sum, p) => sum + (p.msgq_cnt ?? 0) + (p.xmit_msgq_cnt ?? 0) + (p.msgs_inflight ?? 0),
        0,
      ),
    );
  }
  return { total: stats.msg_cnt, byTopic };
}

/** What a close needs of the sink: its parked records, librdkafka's flush and poll, and where to say what failed. */
export interface Closing {
  /** Produces what is parked, as far as librdkafka takes it. */
  unpark(): void;
  parked(): number;
  /** Gives up what is still parked: how many of each topic. */
  dropParked(): Map<string, number>;
  /** librdkafka's flush of at most `ms`: whether everything went out. */
  flush(ms: number): Promise<boolean>;
  poll(): void;
  /** Delivery reports served so far (to tell when no more are coming). */
  reports(): number;
  wait(ms: number): Promise<void>;
  warn(message: string): void;
}

/**
 * How a Kafka sink learns what was delivered, and so when it holds the
 * driver: from a report per record, or from librdkafka's statistics and its
 * reports of failures only. Each keeps the ledger's counts its own way.
 */
export interface DeliveryCounting {
  /** Whether the driver must hold, given the records parked. */
  held(parked: number): boolean;
  /** Below the low-water marks: the held driver may go on. */
  roomy(parked: number): boolean;
  /** librdkafka took a record of `bytes`. */
  taken(bytes: number): void;
  /** A delivery report came (of `bytes`), after the ledger counted it. */
  reported(bytes: number, parked: number): void;
  /** A record was written (counted produced, and taken or parked). */
  wrote(parked: number): void;
  /** The highest number of records in flight so far. */
  peak(): number;
  /** librdkafka's statistics (their JSON). */
  observeStats(json: string, parked: number): void;
  /** A flush or a commit completed: everything produced was delivered or failed. */
  settle(): void;
  /** Waits for outstanding deliveries (at most `timeoutMs`); what is left counts failed. */
  close(closing: Closing, timeoutMs: number): Promise<void>;
}

/**
 * A report per record: in flight is produced minus reported, exact at every
 * moment; the driver holds at `maxInFlight` records or `maxBytes` of values,
 * and goes on below 75% of both.
 */
export class EveryReport implements DeliveryCounting {
  private bytesInFlight = 0;
  private highest = 0;
  private readonly resumeBelow: number;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly maxInFlight: number,
    private readonly maxBytes: number,
  ) {
    this.resumeBelow = Math.max(1, Math.floor(maxInFlight * 0.75));
  }

  held(parked: number): boolean {
    return parked > 0 || this.ledger.inFlight() >= this.maxInFlight || this.bytesInFlight >= this.maxBytes;
  }

  roomy(): boolean {
    return this.ledger.inFlight() < this.resumeBelow && this.bytesInFlight < this.maxBytes * 0.75;
  }

  taken(bytes: number): void {
    this.bytesInFlight += bytes;
  }

  reported(bytes: number): void {
    this.bytesInFlight -= bytes;
  }

  wrote(): void {
    this.highest = Math.max(this.highest, this.ledger.inFlight());
  }

  peak(): number {
    return this.highest;
  }

  observeStats(): void {}

  settle(): void {}

  async close(closing: Closing, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    // Flush in short rounds: each frees room for parked messages, whose reports the next round collects.
    while (this.ledger.inFlight() > 0 && performance.now() < deadline) {
      closing.unpark();
      await closing.flush(Math.max(0, Math.min(250, deadline - performance.now())));
      closing.poll();
      if (this.ledger.inFlight() > 0) await closing.wait(5);
    }
    if (this.ledger.inFlight() > 0) {
      const undelivered = this.ledger.failInFlight();
      closing.warn(
        `${undelivered} messages had no delivery report within the flush timeout (${timeoutMs / 1000} s): counted as failed`,
      );
    }
  }
}

/**
 * Reports of failures only (`delivery.report.only.error`, with `maxInFlight`
 * as librdkafka's `queue.buffering.max.messages`): librdkafka's own queue holds
 * the driver (QUEUE_FULL parks); what it no longer holds by its statistics, or
 * cannot be holding (more than its queue), and did not fail, was delivered;
 * exact again at every flush or commit, and so at close.
 */
export class ErrorReports implements DeliveryCounting {
  private highest = 0;
  private holds: ReturnType<typeof heldByLibrdkafka>;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly maxInFlight: number,
  ) {}

  held(parked: number): boolean {
    return parked > 0;
  }

  roomy(parked: number): boolean {
    return parked === 0;
  }

  taken(): void {}

  reported(_bytes: number, parked: number): void {
    this.wrote(parked);
  }

  wrote(parked: number): void {
    // librdkafka never holds more than its queue: beyond that and what waits parked, a record was delivered
    // (a failed one stays counted by librdkafka until its report is served). Statistics can come late.
    this.ledger.deliveredUnlessHeld(parked + this.maxInFlight);
  }

  peak(): number {
    return this.highest;
  }

  observeStats(json: string, parked: number): void {
    const holds = heldByLibrdkafka(json);
    if (holds === undefined) return;
    this.holds = holds;
    this.highest = Math.max(this.highest, holds.total + parked);
    this.ledger.deliveredUnlessHeld(holds.total, holds.byTopic);
  }

  settle(): void {
    this.ledger.settle();
  }

  async close(closing: Closing, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let flushed = false;
    while (!flushed && performance.now() < deadline) {
      closing.unpark();
      const round =
        closing.parked() === 0
          ? Math.max(0, deadline - performance.now())
          : Math.max(0, Math.min(250, deadline - performance.now()));
      flushed = (await closing.flush(round)) && closing.parked() === 0;
      if (!flushed) await closing.wait(5);
    }
    // The error reports librdkafka has queued reach JavaScript on the next turns of the loop, 100 a turn
    // (node-rdkafka's dispatcher): served until three turns bring none. After a flush nothing more is
    // coming, so however long tens of thousands take on a loaded machine, each is counted failed before
    // the counts settle (a cap on the wait would count the rest delivered); after a flush that timed
    // out, librdkafka may go on reporting for as long as it holds records, so a second at most.
    const until = flushed ? Infinity : performance.now() + 1000;
    for (let quiet = 0, seen = closing.reports(); quiet < 3 && performance.now() < until;) {
      closing.poll();
      await closing.wait(20);
      const now = closing.reports();
      quiet = now === seen ? quiet + 1 : 0;
      seen = now;
    }
    if (!flushed) {
      const held = this.holds;
      const parked = closing.parked();
      const undelivered = parked + (held?.total ?? this.ledger.inFlight() - parked);
      closing.warn(
        `${undelivered} messages were still held by librdkafka after the flush timeout (${timeoutMs / 1000} s): counted as failed`,
      );
      const byTopic = closing.dropParked();
      for (const [topic, n] of held?.byTopic ?? []) byTopic.set(topic, (byTopic.get(topic) ?? 0) + n);
      this.ledger.failUpTo(undelivered, byTopic);
    }
    this.ledger.settle();
  }
}
