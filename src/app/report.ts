import type winston from "winston";
import { isPrimary, type EventType, type RetailEvent, type SaleEvent } from "../model/events.js";
import type { DeliveryTotals, Sink } from "../sinks/sink.js";
import { describe, describeCheckout } from "./describe.js";
import { faultsOf } from "../model/faults.js";

/** Counts what a run emits and logs it: one line per primary event, stats, a summary. */
export class RunReport {
  primary = 0;
  /** Rows of ground truth written. */
  truthRows = 0;
  /** Anomaly labels written. */
  labelRows = 0;
  private readonly perType = new Map<EventType, number>();
  private lastPrimaryTime: number | undefined;
  private statsMark = { at: 0, produced: 0 };
  firstTime: number | undefined;
  lastTime: number | undefined;

  /** The logger's levels, asked once: asking winston on every event cost 2% of a full-speed run. */
  private readonly debug: boolean;
  private readonly info: boolean;
  /** The level of a live event's line. */
  private readonly liveLevel: "info" | "debug";

  /**
   * `quietEvents`: live events' lines go to debug too (a capacity search sends thousands a second; its
   * steps and the stats lines say what happens, and a line per event would take the CPU it measures).
   */
  constructor(
    private readonly log: winston.Logger,
    private readonly wallStart: number,
    quietEvents = false,
  ) {
    this.statsMark.at = wallStart;
    this.debug = log.isDebugEnabled();
    this.info = quietEvents ? this.debug : log.isInfoEnabled();
    this.liveLevel = quietEvents ? "debug" : "info";
  }

  /**
   * Counts a primary tick that landed in this process's stores, before its events pass: what `--count` counts (a
   * checkout declined outright among them, whose payments are all it makes).
   */
  tick(): void {
    this.primary += 1;
  }

  /** Counts an event; its line goes to info when live, to debug during a backfill (the progress bar covers that). */
  event(event: RetailEvent, time: number, backfilling = false): void {
    this.perType.set(event.event_type, (this.perType.get(event.event_type) ?? 0) + 1);
    this.firstTime ??= time;
    this.lastTime = time;
    const { debug } = this;
    if (!isPrimary(event)) {
      if (debug) this.log.debug(`  ${describe(event)}`);
      this.checkoutLine(event);
      return;
    }
    if (debug && this.lastPrimaryTime !== undefined)
      this.log.debug(`waited ${((time - this.lastPrimaryTime) / 1000).toFixed(3)} s (simulated)`);
    this.lastPrimaryTime = time;
    // Formatting every line costs more than the event itself in a fast run: only when shown.
    if (!(backfilling ? debug : this.info)) return;
    // A checkout of several lines is said whole, once its last line is counted.
    if (event.event_type === "sale" && (event.line_count ?? 1) > 1)
      this.checkout = { number: this.primary, level: backfilling ? "debug" : this.liveLevel, lines: [event] };
    else this.log.log(backfilling ? "debug" : this.liveLevel, `Event #${this.primary}: ${describe(event)}`);
  }

  /** The lines of the checkout being counted, when its first line was to be shown. */
  private checkout: { number: number; level: string; lines: SaleEvent[] } | undefined;

  private checkoutLine(event: RetailEvent): void {
    const checkout = this.checkout;
    if (
      checkout === undefined ||
      event.event_type !== "sale" ||
      event.transaction_id !== checkout.lines[0]?.transaction_id
    )
      return;
    checkout.lines.push(event);
    if (checkout.lines.length < (event.line_count ?? 1)) return;
    this.checkout = undefined;
    this.log.log(checkout.level, `Event #${checkout.number}: ${describeCheckout(checkout.lines)}`);
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

  /** Counts an anomaly's label. */
  label(): void {
    this.labelRows += 1;
  }

  stats(sink: Sink, wallNow: number, lagMs: number, load = ""): void {
    const totals = sink.totals();
    const rate = ((totals.produced - this.statsMark.produced) * 1000) / Math.max(1, wallNow - this.statsMark.at);
    this.statsMark = { at: wallNow, produced: totals.produced };
    const lag = lagMs > 0 ? `, catching up ${(lagMs / 1000).toFixed(1)} s behind` : "";
    const trouble = sink.trouble?.();
    this.log.info(
      `stats: ${rate.toFixed(1)} events/s, produced ${totals.produced}, delivered ${totals.delivered}, failed ${totals.failed}, in flight ${totals.inFlight}${lag}${load}${this.faultText()}${trouble === undefined ? "" : `; ${trouble}`}`,
    );
  }

  private faultText(): string {
    return faultText(this.faults);
  }

  summary(totals: DeliveryTotals, peakInFlight: number, wallNow: number, peakRssMb: number): string {
    return summaryLine({
      primary: this.primary,
      byType: this.byType(),
      truthRows: this.truthRows,
      labelRows: this.labelRows,
      faults: Object.fromEntries(this.faults),
      ...totals,
      peakInFlight,
      peakRssMb,
      elapsedMs: wallNow - this.wallStart,
      firstTime: this.firstTime,
      lastTime: this.lastTime,
    });
  }
}

const faultText = (faults: ReadonlyMap<string, number>): string =>
  faults.size === 0 ? "" : `; faults ${[...faults].map(([kind, n]) => `${kind} ${n}`).join(", ")}`;

/** Counts by name added up (counts by type or fault kind of several workers); a missing record counts nothing. */
export function sumCounts(
  records: ReadonlyArray<Readonly<Record<string, number>> | undefined>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const record of records) for (const [k, n] of Object.entries(record ?? {})) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** What the summary line says, of one run or of the workers of one run together. */
export interface SummaryParts extends DeliveryTotals {
  primary: number;
  byType: Record<string, number>;
  truthRows: number;
  labelRows?: number;
  faults: Record<string, number>;
  peakInFlight: number;
  peakRssMb: number;
  elapsedMs: number;
  firstTime?: number;
  lastTime?: number;
}

/** The summary line: counts by type, delivery totals, peaks, time. */
export function summaryLine(p: SummaryParts): string {
  const types =
    Object.entries(p.byType)
      .map(([type, n]) => `${type} ${n}`)
      .join(", ") || "none";
  const span =
    p.firstTime === undefined || p.lastTime === undefined
      ? ""
      : `, simulated ${new Date(p.firstTime).toISOString()} → ${new Date(p.lastTime).toISOString()}`;
  const extra =
    (p.truthRows > 0 ? `; truth rows ${p.truthRows}` : "") +
    ((p.labelRows ?? 0) > 0 ? `; anomaly labels ${p.labelRows}` : "") +
    faultText(new Map(Object.entries(p.faults)));
  return (
    `summary: ${p.primary} primary events; by type ${types}${extra}; produced ${p.produced}, delivered ${p.delivered}, failed ${p.failed}; ` +
    `peak in flight ${p.peakInFlight}, peak RSS ${p.peakRssMb.toFixed(0)} MB; elapsed ${(p.elapsedMs / 1000).toFixed(2)} s${span}`
  );
}
