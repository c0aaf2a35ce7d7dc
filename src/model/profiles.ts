import { SCHEMA_VERSIONS, WEIGHTED_TYPES, EVENT_TYPES, type EventType, type SchemaVersion } from "./events.js";

/**
 * What a schema version means, facet by facet. Code asks the profile, never the version number: a new
 * version is a new profile here, and its schemas in `data/schemas/`.
 */
export interface SchemaProfile {
  readonly version: SchemaVersion;
  /** The version its schemas extend (BACKWARD: a registry must accept it after that one); none for the first. */
  readonly previous?: SchemaVersion;
  /** A sale tick is a checkout of several lines sharing a `transaction_id` (`line_number`, `line_count`); else one line. */
  readonly baskets: boolean;
  /** Amounts come with their store's `currency`. */
  readonly currency: boolean;
  /** A sale's purchase step names its `transaction_id`. */
  readonly purchaseNamesTransaction: boolean;
  /** Record keys: by store (price changes by product), or by the state each topic describes (transaction, customer, store × product). */
  readonly keys: "store" | "state";
  /** Amounts in JSON: as numbers are written (`24`), or the exact amount with two decimals (`24.00`). */
  readonly moneyText: "plain" | "exact";
  /** The chain's stores and products go to compacted reference topics before the first event. */
  readonly referenceTopics: boolean;
  /** The truth has rows per category too. */
  readonly categoryTruth: boolean;
  /**
   * A checkout pays (payments, some declined), an online checkout is an order with a life of
   * status changes, lines come back (returns, refunds); the truth adds refunds, returns and orders.
   */
  readonly lifecycle: boolean;
  /** The event types this version writes, in the order of its schemas (Protobuf's message index). */
  readonly eventTypes: readonly EventType[];
}

/** Checkouts, exact money with a currency, keys by state, reference topics. */
const VERSION_2: SchemaProfile = {
  version: 2,
  previous: 1,
  baskets: true,
  currency: true,
  purchaseNamesTransaction: true,
  keys: "state",
  moneyText: "exact",
  referenceTopics: true,
  categoryTruth: true,
  lifecycle: false,
  eventTypes: WEIGHTED_TYPES,
};

const PROFILES: Readonly<Record<SchemaVersion, SchemaProfile>> = {
  1: {
    version: 1,
    baskets: false,
    currency: false,
    purchaseNamesTransaction: false,
    keys: "store",
    moneyText: "plain",
    referenceTopics: false,
    categoryTruth: false,
    lifecycle: false,
    eventTypes: WEIGHTED_TYPES,
  },
  2: VERSION_2,
  // Version 2 with each checkout's life after the till.
  3: { ...VERSION_2, version: 3, previous: 2, lifecycle: true, eventTypes: EVENT_TYPES },
};

/** The latest version: what a run writes unless told otherwise. */
export const LATEST_VERSION: SchemaVersion = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1] as SchemaVersion;

/** Whether `version` is one this build writes. */
export function isSchemaVersion(version: unknown): version is SchemaVersion {
  return (SCHEMA_VERSIONS as readonly unknown[]).includes(version);
}

/** The profile of a version this build writes. */
export function profileOf(version: SchemaVersion): SchemaProfile {
  return PROFILES[version];
}

/** The profile of an event's `schema_version` as read (any number): a version this build does not know is read as the first. */
export function profileOfValue(version: number | undefined): SchemaProfile {
  return isSchemaVersion(version) ? PROFILES[version] : PROFILES[1];
}
