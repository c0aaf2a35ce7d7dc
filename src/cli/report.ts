import type winston from "winston";
import { isCaused, type EventType, type RetailEvent } from "../model/events.js";
import type { DeliveryTotals, Sink } from "../sinks/sink.js";
import { describe } from "./describe.js";
import { faultsOf } from "../model/faults.js";

/** Counts what a run emits and logs it: one line per primary event, stats, a summary. */
export class RunReport {
  primary = 0;
  /** Rows of ground truth written. */
  truthRows = 0;
  private readonly perType = new Map<EventType, number>();
  private lastPrimaryTime: number | undefined;
  private statsMark = { at: 0, produced: 0 };
  firstTime: number | undefined;
  lastTime: number | undefined;

  constructor(private readonly log: winston.Logger, private readonly wallStart: number) {
    this.statsMark.at = wallStart;
  }

  /** Counts an event; its line goes to info when live, to debug during a backfill (the progress bar covers that). */
  event(event: RetailEvent, time: number, backfilling = false): void {
    this.perType.set(event.event_type, (this.perType.get(event.event_type) ?? 0) + 1);
    this.firstTime ??= time;
    this.lastTime = time;
    const debug = this.log.isDebugEnabled();
    if (isCaused(event)) {
      if (debug) this.log.debug(`  ${describe(event)}`);
      return;
    }
    this.primary += 1;
    if (debug && this.lastPrimaryTime !== undefined) this.log.debug(`waited ${((time - this.lastPrimaryTime) / 1000).toFixed(3)} s (simulated)`);
    this.lastPrimaryTime = time;
    // Formatting every line costs more than the event itself in a fast run: only when shown.
    if (backfilling ? debug : this.log.isInfoEnabled()) this.log.log(backfilling ? "debug" : "info", `Event #${this.primary}: ${describe(event)}`);
  }

  /** Records faulted on purpose, by kind. */
  readonly faults = new Map<string, number>();

  /** Counts a record's fault, if it has one. */
  fault(kind: string | undefined): void {
    for (const one of faultsOf(kind)) this.faults.set(one, (this.faults.get(one) ?? 0) + 1);
  }

  /** Events so far by type. */
  byType(): Record<string, number> {
    return Object.fromEntries(this.perType);
  }

  /** Counts a row of ground truth. */
  truth(): void {
    this.truthRows += 1;
  }

  stats(sink: Sink, wallNow: number, lagMs: number): void {
    const totals = sink.totals();
    const rate = ((totals.produced - this.statsMark.produced) * 1000) / Math.max(1, wallNow - this.statsMark.at);
    this.statsMark = { at: wallNow, produced: totals.produced };
    const lag = lagMs > 0 ? `, catching up ${(lagMs / 1000).toFixed(1)} s behind` : "";
    this.log.info(`stats: ${rate.toFixed(1)} events/s, produced ${totals.produced}, delivered ${totals.delivered}, failed ${totals.failed}, in flight ${totals.inFlight}${lag}${this.faultText()}`);
  }

  private faultText(): string {
    return this.faults.size === 0 ? "" : `; faults ${[...this.faults].map(([kind, n]) => `${kind} ${n}`).join(", ")}`;
  }

  summary(totals: DeliveryTotals, peakInFlight: number, wallNow: number, peakRssMb: number): string {
    const types = [...this.perType].map(([type, n]) => `${type} ${n}`).join(", ") || "none";
    const span = this.firstTime === undefined || this.lastTime === undefined ? ""
      : `, simulated ${new Date(this.firstTime).toISOString()} → ${new Date(this.lastTime).toISOString()}`;
    const truth = (this.truthRows > 0 ? `; truth rows ${this.truthRows}` : "") + this.faultText();
    return `summary: ${this.primary} primary events; by type ${types}${truth}; produced ${totals.produced}, delivered ${totals.delivered}, failed ${totals.failed}; ` +
      `peak in flight ${peakInFlight}, peak RSS ${peakRssMb.toFixed(0)} MB; elapsed ${((wallNow - this.wallStart) / 1000).toFixed(2)} s${span}`;
  }
}
