import type { DeliveryTotals } from "../sink.js";

/**
 * The counts of a Kafka sink, in all and per topic: every record produced ends
 * delivered or failed. Counts only grow; the delivery strategies decide when a
 * record counts delivered (its report, or librdkafka no longer holding it).
 */
export class DeliveryLedger {
  readonly total: DeliveryTotals = { produced: 0, delivered: 0, failed: 0 };
  private readonly topics = new Map<string, DeliveryTotals>();

  produced(topic: string): void {
    this.total.produced += 1;
    this.topic(topic).produced += 1;
  }

  delivered(topic: string): void {
    this.total.delivered += 1;
    this.topic(topic).delivered += 1;
  }

  /** Records of `topic` failed; any of them counted delivered before (an estimate from librdkafka's statistics, or a settle their late report contradicts) is not. */
  failed(topic: string, n = 1): void {
    const totals = this.topic(topic);
    this.total.failed += n;
    totals.failed += n;
    this.total.delivered = Math.min(this.total.delivered, this.total.produced - this.total.failed);
    totals.delivered = Math.min(totals.delivered, totals.produced - totals.failed);
  }

  /** Produced, with neither a delivery nor a failure counted yet. */
  inFlight(): number {
    return this.total.produced - this.total.delivered - this.total.failed;
  }

  byTopic(): ReadonlyMap<string, DeliveryTotals> {
    return this.topics;
  }

  /**
   * What is not held any more and did not fail was delivered: raises the
   * delivered counts to `produced − failed − held` (never lowers them).
   */
  deliveredUnlessHeld(held: number, heldByTopic?: ReadonlyMap<string, number>): void {
    this.total.delivered = Math.max(this.total.delivered, this.total.produced - this.total.failed - held);
    if (heldByTopic === undefined) return;
    for (const [topic, totals] of this.topics)
      totals.delivered = Math.max(totals.delivered, totals.produced - totals.failed - (heldByTopic.get(topic) ?? 0));
  }

  /** Everything produced so far was delivered or has failed (a flush or a commit completed): exact counts. */
  settle(): void {
    this.total.delivered = this.total.produced - this.total.failed;
    for (const totals of this.topics.values()) totals.delivered = totals.produced - totals.failed;
  }

  /** What is still in flight failed (no report came in time). */
  failInFlight(): number {
    const undelivered = this.inFlight();
    this.total.failed += undelivered;
    for (const totals of this.topics.values()) totals.failed = totals.produced - totals.delivered;
    return undelivered;
  }

  /** `undelivered` records failed, `byTopic` of them per topic; never more than were produced. */
  failUpTo(undelivered: number, byTopic: ReadonlyMap<string, number>): void {
    for (const [topic, totals] of this.topics)
      totals.failed = Math.min(totals.produced, totals.failed + (byTopic.get(topic) ?? 0));
    this.total.failed = Math.min(this.total.produced, this.total.failed + undelivered);
  }

  private topic(name: string): DeliveryTotals {
    let totals = this.topics.get(name);
    if (totals === undefined) this.topics.set(name, (totals = { produced: 0, delivered: 0, failed: 0 }));
    return totals;
  }
}
