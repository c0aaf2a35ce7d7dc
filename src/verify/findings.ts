import { cellKey } from "../wire/envelope.js";
import { isSchemaVersion, profileOf } from "../model/profiles.js";
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
export const CHECKS = [
  "schema",
  "event ids",
  "decrements",
  "ledger",
  "restocks",
  "prices",
  "aftercare",
  "truth",
] as const;
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
  /** Its `schema_version` header, which says how it was keyed. */
  version: number;
}

/**
 * Which unreadable records could explain a finding: of these types, in [from, to], with this key, or with a
 * key that may be a record's of this store (and product): a store's key (version 1), the store × product's
 * (version 2), or a key that names no store (a transaction's, a customer's).
 */
export interface Scope {
  types?: readonly string[];
  key?: string;
  store?: string;
  product?: string;
  from: number;
  to: number;
}

/** Whether an unreadable record may be one of `store`'s (and `product`'s), by the key its version gives its type. */
function mayBeOf(u: Unreadable, store: string | undefined, product: string | undefined): boolean {
  if (u.key === null) return true;
  const version = isSchemaVersion(u.version) ? profileOf(u.version) : undefined;
  // A version this verify does not know: its keys cannot tell.
  if (version === undefined) return true;
  if (version.keys === "store") return u.type === "price_change" ? u.key === product : u.key === store;
  // Keyed by the state: a sale's by its transaction and a visit's by its customer name no store.
  if (["sale", "customer_event", "payment", "order_status", "return"].includes(u.type)) return true;
  // A price is the chain's, whichever store's row its change is keyed by.
  if (u.type === "price_change" && product !== undefined)
    return u.key.endsWith(`"product_id":${JSON.stringify(product)}}`);
  if (store === undefined) return true;
  return product === undefined
    ? u.key.startsWith(`{"store_id":${JSON.stringify(store)},`)
    : u.key === cellKey(store, product);
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
  /** The events the run's anomaly labels name (event id → the anomaly's kind): what they show is meant. */
  readonly labelled = new Map<string, string>();
  /** Findings about labelled events, per check: anomalies on purpose, not violations. */
  readonly anomalies = new Map<CheckName, number>();

  /** A finding; `about`, the event it is about: one an anomaly's label names is counted as meant. */
  add(check: CheckName, message: string, at?: Location, scope?: Scope, about?: string): void {
    if (about !== undefined && this.labelled.has(about)) {
      this.anomalies.set(check, (this.anomalies.get(check) ?? 0) + 1);
      return;
    }
    if (
      scope !== undefined &&
      this.unreadable.some(
        (u) =>
          (scope.types === undefined || scope.types.includes(u.type)) &&
          (scope.key === undefined || u.key === scope.key) &&
          (scope.store === undefined && scope.product === undefined ? true : mayBeOf(u, scope.store, scope.product)) &&
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
