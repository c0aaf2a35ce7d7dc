/** Where a record sits in Kafka. */
export interface Location {
  topic: string;
  partition: number;
  offset: number;
}

/** A record as read back: where it sits, its headers and its value bytes. */
export interface RawRecord extends Location {
  headers: Record<string, string>;
  key?: string | null;
  timestamp?: number;
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

/** A record declared malformed: what is known of it without its value (its type by topic, key and timestamp). */
export interface Unreadable {
  type: string;
  key: string | null;
  timestamp: number;
}

/** Which unreadable records could explain a finding: of these types, this key, in [from, to]. */
export interface Scope {
  types?: readonly string[];
  key?: string;
  from: number;
  to: number;
}

/**
 * Gathers violations per check. A finding that a record declared malformed
 * could explain (one of the scope's types, its key, in its span: the lost
 * value may be the missing one) is counted as explained, not as a violation.
 */
export class Findings {
  readonly violations: Violation[] = [];
  private readonly counts = new Map<CheckName, number>();
  /** Findings explained by records declared malformed, per check. */
  readonly explained = new Map<CheckName, number>();
  readonly unreadable: Unreadable[] = [];

  add(check: CheckName, message: string, at?: Location, scope?: Scope): void {
    if (
      scope !== undefined &&
      this.unreadable.some(
        (u) =>
          (scope.types === undefined || scope.types.includes(u.type)) &&
          (scope.key === undefined || u.key === scope.key) &&
          u.timestamp >= scope.from &&
          u.timestamp <= scope.to,
      )
    ) {
      this.explained.set(check, (this.explained.get(check) ?? 0) + 1);
      return;
    }
    this.violations.push({ check, message, at });
    this.counts.set(check, (this.counts.get(check) ?? 0) + 1);
  }

  count(check: CheckName): number {
    return this.counts.get(check) ?? 0;
  }
}
