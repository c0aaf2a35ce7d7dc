import { profileOf, profileOfValue } from "../model/profiles.js";
import {
  concat,
  defer,
  filter,
  from,
  identity,
  map,
  startWith,
  tap,
  type Observable,
  type OperatorFunction,
} from "rxjs";
import { spread } from "../operators/spread.js";
import { DebeziumChanges } from "../wire/debezium.js";
import { referenceRecords } from "../wire/reference.js";
import type { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import { writesRowChanges, type RunConfig } from "../config/runConfig.js";
import type { Chain } from "../model/chain.js";
import { isPrimary } from "../model/events.js";
import { faultsOf } from "../model/faults.js";
import type { TruthRow } from "../model/truth.js";
import { retailEvents$ } from "../streams/retailEvents.js";
import { withFaults } from "../streams/withFaults.js";
import { withTruth } from "../streams/withTruth.js";
import {
  isEvent,
  isReference,
  isTruth,
  labelRecord,
  labelsTopicOf,
  type LabelRecord,
  type OutRecord,
} from "../wire/envelope.js";
import type { EventOptions } from "./eventOptions.js";
import type { LiveSide } from "./liveSide.js";
import type { RunReport } from "./report.js";

/** What the records of a run are made with besides its options: its clock, chain, report, live side and truth. */
export interface RecordsParts {
  scheduler: SimulatedScheduler;
  chain: Chain;
  report: RunReport;
  live?: LiveSide;
  /** Records stamped before this simulated time are backfilled (their report lines go to debug). */
  fastUntil?: number;
  truth?: RunConfig["truth"] & { write?: (row: TruthRow) => void };
  /** Where each faulted record is listed (`--fault-manifest`). */
  manifest?: (row: ManifestRow) => void;
  epochNow: () => number;
  /** A load test's watch: every record is stamped with when it was produced, and kept to match its output. */
  load?: { sent(record: OutRecord): OutRecord };
}

/** One faulted record, as the fault manifest lists it. */
export interface ManifestRow {
  /** The record's place among everything the run wrote (1 is the first). */
  position: number;
  topic: string;
  key: string;
  event_type: string;
  /** Null for a record the fault made unreadable whose id is lost with it. */
  event_id: string | null;
  /** Its event time (a garbled record's from its timestamp). */
  event_time: string;
  faults: string[];
  /** What the fault did, as the record's `fault_detail` header says it (the fields nulled, how it was garbled). */
  detail: string | null;
  /** The simulated time it was written at, and how long after its event time (late, replayed, duplicated). */
  written_at: string;
  delay_ms: number;
}

/** The manifest row of a faulted record written at `now`, the `position`th record of the run. */
function manifestRow(record: OutRecord, position: number, now: number): ManifestRow {
  const value = record.value as { event_id?: unknown; event_time?: unknown } | null;
  const id = typeof value?.event_id === "string" ? value.event_id : null;
  const eventTime = typeof value?.event_time === "string" ? value.event_time : null;
  return {
    position,
    topic: record.topic,
    key: record.key,
    event_type: record.headers.event_type,
    event_id: id,
    event_time: eventTime ?? new Date(record.timestamp).toISOString(),
    faults: faultsOf(record.headers.fault),
    detail: record.headers.fault_detail ?? null,
    written_at: new Date(now).toISOString(),
    delay_ms: Math.floor(now) - record.timestamp,
  };
}

/**
 * The records a run writes: its events with their truth and faults, counted by
 * the report as they go (a duplicate is a copy, not another event), then
 * shaped for the wire as the options say (fault headers, wall-clock timestamps).
 */
export function recordsOf(options: EventOptions, config: RunConfig, parts: RecordsParts): Observable<OutRecord> {
  const { scheduler, report, live, fastUntil } = parts;
  const faults = options.faults;
  // Version 2 writes the chain's reference data first, stamped with the start; a run that switches to it, just before its first
  // event of version 2 (one shard writes it for all).
  const writesReference = config.shard === undefined || config.shard.index === 0;
  // The row changes of --format debezium and the database begin with the stores and products, in any version.
  const reference =
    (profileOf(config.schemaVersion).referenceTopics || writesRowChanges(config) || config.postgres !== undefined) &&
    writesReference
      ? referenceRecords(parts.chain, config.start, config.referenceTopics)
      : [];
  let referenceWritten = reference.length > 0 || !writesReference;
  // When the run switched to a version with reference topics: the same tick in every shard, so shard 0 stamps them alike.
  let switchedAt: number | undefined;
  let written = 0;
  // An anomaly's label is written once its episode ends, after the events that show it, to its own topic. Neither faulted
  // nor turned into row changes; a database alone has no table for it.
  const labels: LabelRecord[] = [];
  const writesLabels = (options.anomalies?.length ?? 0) > 0 && config.sink !== "postgres";
  const labelsTopic = labelsTopicOf(config.topicPrefix);
  return retailEvents$({
    ...options,
    scheduler,
    ...(writesLabels ? { onLabel: (label) => labels.push(labelRecord(label, labelsTopic)) } : {}),
    onLanded: () => report.tick(),
    onVersion: (version, time) => {
      if (switchedAt === undefined && profileOf(version).referenceTopics) switchedAt = time;
    },
  })
    .pipe(
      withTruth(config.topics, parts.truth, { chain: parts.chain, shard: config.shard, scheduler }),
      startWith(...reference),
      spread((record): OutRecord[] => {
        if (referenceWritten || !isEvent(record) || !profileOfValue(record.value.schema_version).referenceTopics)
          return [record];
        referenceWritten = true;
        return [...referenceRecords(parts.chain, switchedAt ?? record.timestamp, config.referenceTopics), record];
      }),
      faults === undefined ? identity : withFaults(faults, config.seed, scheduler),
      // Counted before the fault headers may go.
      tap((record) => {
        report.fault(record.headers.fault);
        if (isTruth(record)) report.truth();
        else if (isEvent(record) && !faultsOf(record.headers.fault).includes("duplicate")) {
          report.event(record.value, record.timestamp, record.timestamp < (fastUntil ?? -Infinity));
          if (live !== undefined && isPrimary(record.value)) live.observeLag();
        }
      }),
      config.writeReference || writesRowChanges(config)
        ? identity
        : filter((record: OutRecord) => !isReference(record)),
      // Listed in the manifest as written, before the fault headers may go.
      parts.manifest === undefined && config.faultHeaders
        ? identity
        : map((record: OutRecord) => {
            written += 1;
            if (parts.manifest !== undefined && record.headers.fault !== undefined)
              parts.manifest(manifestRow(record, written, scheduler.now()));
            return config.faultHeaders ? record : withoutFaultHeaders(record);
          }),
      writesRowChanges(config) ? debeziumOf(config, parts.chain) : identity,
    )
    .pipe(writesLabels ? withLabels(labels, report) : identity, onTheWire(config, parts));
}

/** The labels `labels` gathers, each put before the record that follows its episode's end, the last ones at completion. */
function withLabels(labels: LabelRecord[], report: RunReport): OperatorFunction<OutRecord, OutRecord> {
  const taken = (): LabelRecord[] => {
    for (let i = 0; i < labels.length; i += 1) report.label();
    return labels.splice(0);
  };
  return (records) =>
    concat(
      records.pipe(spread((record: OutRecord): OutRecord[] => (labels.length === 0 ? [record] : [...taken(), record]))),
      defer(() => from(taken())),
    );
}

/** What the wall clock adds as a record leaves: its timestamp (`--record-timestamp wall`), when it was produced (a load test). */
function onTheWire(config: RunConfig, parts: RecordsParts): OperatorFunction<OutRecord, OutRecord> {
  const { load, epochNow } = parts;
  const wall = config.recordTimestamp === "wall";
  if (!wall && load === undefined) return identity;
  return map((record: OutRecord) => {
    const stamped = wall ? stampedNow(record, epochNow()) : record;
    return load === undefined ? stamped : load.sent(stamped);
  });
}

/** The row changes `--format debezium` writes in place of the events (stores and products among them, whatever the schema version). */
function debeziumOf(config: RunConfig, chain: Chain): OperatorFunction<OutRecord, OutRecord> {
  const output = config.output;
  if (output.kind !== "row changes") return identity;
  return (records) =>
    defer(() => {
      // The stores and products the run begins with are what the connector's initial snapshot reads.
      const snapshot =
        config.shard === undefined || config.shard.index === 0
          ? { stores: chain.stores.length, products: chain.products.length }
          : { stores: 0, products: 0 };
      const changes = new DebeziumChanges(databaseOf(config), config.topicPrefix ?? "", snapshot, output.encoding);
      return records.pipe(spread((record: OutRecord) => changes.of(record)));
    });
}

/** The database the changes say they come from: --postgres's, else retail. */
function databaseOf(config: RunConfig): string {
  return config.postgres?.database ?? "retail";
}

/** A record as `--fault-headers off` writes it: nothing says it was faulted. */
function withoutFaultHeaders(record: OutRecord): OutRecord {
  if (record.headers.fault === undefined) return record;
  const { fault: _fault, fault_detail: _detail, ...headers } = record.headers;
  return { ...record, headers } as OutRecord;
}

/** A record as `--record-timestamp wall` writes it: the wall clock's timestamp, its event time in a header. */
function stampedNow(record: OutRecord, now: number): OutRecord {
  return {
    ...record,
    timestamp: now,
    headers: { ...record.headers, event_time: new Date(record.timestamp).toISOString() },
  } as OutRecord;
}
