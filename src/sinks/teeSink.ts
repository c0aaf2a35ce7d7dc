import type { OutRecord } from "../wire/envelope.js";
import type { DeliveryTotals, Sink, SinkTotals } from "./sink.js";

/** One side of a tee: a sink, its name for the summary, and which records it takes (default all). */
export interface TeeSide {
  name: string;
  sink: Sink;
  takes?: (record: OutRecord) => boolean;
}

/**
 * Two sinks fed by one run (Kafka and a database): each record goes to each side
 * that takes it; the run holds while either holds; it breaks when either breaks.
 * Its totals count a record once: delivered when every side that took it could
 * have delivered it (the smaller side's count), failed when any side failed it
 * (the larger); each side's own totals are told at close.
 */
export class TeeSink implements Sink {
  private produced = 0;

  constructor(
    private readonly sides: readonly TeeSide[],
    private readonly tell: (line: string) => void,
  ) {}

  get held(): boolean {
    return this.sides.some((side) => side.sink.held);
  }

  whenReady(resume: () => void): void {
    const waiting = this.sides.filter((side) => side.sink.held);
    if (waiting.length === 0) return resume();
    let left = waiting.length;
    for (const side of waiting)
      side.sink.whenReady(() => {
        left -= 1;
        if (left === 0) this.whenReady(resume);
      });
  }

  write(record: OutRecord): void {
    this.produced += 1;
    for (const side of this.sides) if (side.takes === undefined || side.takes(record)) side.sink.write(record);
  }

  totals(): SinkTotals {
    const all = this.sides.map((side) => side.sink.totals());
    const delivered = Math.min(...all.map((t) => t.delivered + (this.produced - t.produced)));
    const failed = Math.max(...all.map((t) => t.failed));
    const inFlight = Math.max(0, this.produced - delivered - failed);
    return {
      produced: this.produced,
      delivered,
      failed,
      inFlight,
      peakInFlight: Math.max(...all.map((t) => t.peakInFlight)),
    };
  }

  async close(timeoutMs: number): Promise<DeliveryTotals> {
    const closed = await Promise.all(this.sides.map((side) => side.sink.close(timeoutMs)));
    closed.forEach((t, i) =>
      this.tell(`${this.sides[i]?.name}: produced ${t.produced}, delivered ${t.delivered}, failed ${t.failed}`),
    );
    const { produced, delivered, failed } = this.totals();
    return { produced, delivered, failed };
  }

  onClosed(listener: (reason: string, failed: boolean) => void): void {
    for (const side of this.sides) side.sink.onClosed((reason, failed) => listener(`${side.name}: ${reason}`, failed));
  }

  trouble(): string | undefined {
    const troubles = this.sides.flatMap((side) => {
      const trouble = side.sink.trouble?.();
      return trouble === undefined ? [] : [`${side.name}: ${trouble}`];
    });
    return troubles.length === 0 ? undefined : troubles.join("; ");
  }
}
