/** Where a record sits in Kafka. */
export interface Location {
  topic: string;
  partition: number;
  offset: number;
}

/** A record as read back: where it sits, its headers and its value bytes. */
export interface RawRecord extends Location {
  headers: Record<string, string>;
  value: Buffer | null;
  /** Why the value could not be read back (a registry-framed value that does not decode), if so. */
  problem?: string;
}

/** `topic/partition@offset`. */
export const where = (at: Location): string => `${at.topic}/${at.partition}@${at.offset}`;

/** The checks `verify` runs, in the order it reports them. */
export const CHECKS = ["schema", "event ids", "decrements", "ledger", "restocks", "prices", "truth"] as const;
export type CheckName = (typeof CHECKS)[number];

/** Something that should not be: which check found it, what, and where. */
export interface Violation {
  check: CheckName;
  message: string;
  at?: Location;
}

/** What one check looked at, and a line saying so. */
export interface CheckSummary {
  check: CheckName;
  /** What was checked, e.g. "4,012 sales, each with one decrement". */
  covered: string;
  violations: number;
}

/** Gathers violations per check. */
export class Findings {
  readonly violations: Violation[] = [];
  private readonly counts = new Map<CheckName, number>();

  add(check: CheckName, message: string, at?: Location): void {
    this.violations.push({ check, message, at });
    this.counts.set(check, (this.counts.get(check) ?? 0) + 1);
  }

  count(check: CheckName): number {
    return this.counts.get(check) ?? 0;
  }
}
