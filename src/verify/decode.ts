import { EVENT_TYPES, type EventType, type RetailEvent } from "../model/events.js";
import type { AnomalyLabel } from "../model/anomalies.js";
import type { TruthRow } from "../model/truth.js";
import { faultsOf } from "../model/faults.js";
import { schemaProblems } from "../model/validation.js";
import { isoTimeProblem } from "../model/isoTime.js";
import { where, type Findings, type Location, type RawRecord } from "./findings.js";

/** An event read back: the event, where it sat, its order of arrival and the fault its header declares. */
export interface ReadEvent {
  event: RetailEvent;
  at: Location;
  arrival: number;
  fault?: string;
}

/** Records sorted into events, truth rows and declared faults; what breaks its schema is a violation (or, declared malformed, a fault). */
export class Decoder {
  readonly events: ReadEvent[] = [];
  readonly truth: TruthRow[] = [];
  /** Faults declared by the records' `fault` headers, by kind. */
  readonly faults = new Map<string, number>();
  /** Declared malformed records, listed. */
  readonly malformed: string[] = [];
  values = 0;
  private readonly typeOf: Map<string, EventType>;

  /**
   * @param schemas the JSON Schemas of version 1, and of each later version by number (an event is checked against its own version's)
   */
  constructor(
    topics: Record<EventType, string>,
    private readonly truthTopic: string,
    private readonly schemas: Partial<Record<EventType, object>>,
    private readonly findings: Findings,
    private readonly later: Readonly<Record<number, Partial<Record<EventType, object>>>> = {},
  ) {
    this.typeOf = new Map(EVENT_TYPES.map((type) => [topics[type], type]));
  }

  add(record: RawRecord): void {
    const fault = record.headers.fault;
    const faults = faultsOf(fault);
    for (const kind of faults) this.faults.set(kind, (this.faults.get(kind) ?? 0) + 1);
    if (record.headers.event_type === "label") {
      const label = labelOf(record.value);
      if (label === undefined) this.findings.add("schema", "label: not a label with its event_ids", record);
      else for (const id of label.event_ids) this.findings.labelled.set(id, String(label.kind));
      return;
    }
    if (record.topic === this.truthTopic) {
      if (record.value === null) return;
      const row = truthRow(record.value);
      if (typeof row === "string") this.findings.add("schema", `truth: ${row}`, record);
      else this.truth.push(row);
      return;
    }
    const type = this.typeOf.get(record.topic);
    if (type === undefined) return;
    this.values += 1;
    // Fields a producer left out on purpose (`fault: null`) are read as absent.
    const nulled = faults.includes("null") ? (record.headers.fault_detail ?? "").split(",") : [];
    const value =
      nulled.length > 0 && record.value !== null && record.problem === undefined
        ? withoutNulls(record.value, nulled)
        : record.value;
    const problems = record.problem !== undefined ? [`${type}: ${record.problem}`] : this.problems(value, type);
    if (problems.length > 0) {
      // A record that says it was broken on purpose is listed, not blamed; what it may have carried explains what is missing.
      if (faults.includes("malformed")) {
        this.malformed.push(`${where(record)}: ${problems[0]}`);
        this.findings.unreadable.push({
          type,
          key: record.key ?? null,
          timestamp: record.timestamp ?? Number.NaN,
          version: Number(record.headers.schema_version),
        });
      } else {
        this.findings.add("schema", problems.slice(0, 3).join("; "), record);
      }
      return;
    }
    const event = JSON.parse((value as Buffer).toString()) as RetailEvent;
    this.events.push({
      event,
      at: { topic: record.topic, partition: record.partition, offset: record.offset },
      arrival: this.events.length,
      fault,
    });
  }

  /** Whether a read event was declared a duplicate copy. */
  static isDuplicate(read: ReadEvent): boolean {
    return faultsOf(read.fault).includes("duplicate");
  }

  private problems(value: Buffer | null, type: EventType): string[] {
    if (value === null) return ["no value (a tombstone)"];
    let data: unknown;
    try {
      data = JSON.parse(value.toString());
    } catch {
      return [`not valid JSON: ${JSON.stringify(value.toString().slice(0, 40))}`];
    }
    if (typeof data !== "object" || data === null || Array.isArray(data))
      return [`${type}: not a JSON object: ${JSON.stringify(value.toString().slice(0, 40))}`];
    const version = (data as { schema_version?: unknown }).schema_version;
    // Without a version, an event is of the first.
    const schemas =
      version === undefined
        ? this.schemas
        : ({ 1: this.schemas, ...this.later } as Readonly<Record<number, Partial<Record<EventType, object>>>>)[
            version as number
          ];
    if (schemas === undefined)
      return [
        `${type}: /schema_version: ${JSON.stringify(version)} is not a version this verify knows (1–${Math.max(1, ...Object.keys(this.later).map(Number))})`,
      ];
    const schema = schemas[type];
    if (schema === undefined) return [`${type}: schema version ${String(version)} has no ${type} events`];
    const problems = schemaProblems(schema, data, type);
    if (problems.length === 0 && (data as { event_type?: string }).event_type !== type)
      return [`a ${(data as { event_type?: string }).event_type} on the topic of ${type}`];
    return problems;
  }
}

/** A value with the named fields that are null left out. */
function withoutNulls(value: Buffer, fields: readonly string[]): Buffer {
  try {
    const data = JSON.parse(value.toString()) as Record<string, unknown>;
    for (const field of fields) if (data[field] === null) delete data[field];
    return Buffer.from(JSON.stringify(data));
  } catch {
    return value;
  }
}

/** A truth record's row, or what is wrong with it: a bad record is a finding, never a crash. */
function truthRow(value: Buffer): TruthRow | string {
  let data: unknown;
  try {
    data = JSON.parse(value.toString());
  } catch {
    return `not valid JSON: ${JSON.stringify(value.toString().slice(0, 40))}`;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return "not a JSON object";
  for (const field of ["window_start", "window_end"]) {
    const time = (data as Record<string, unknown>)[field];
    if (typeof time !== "string" || isoTimeProblem(time) !== undefined)
      return `/${field}: not an ISO 8601 time, got ${JSON.stringify(time)}`;
  }
  return data as TruthRow;
}

/** An anomaly's label as read back, if it is one (its kind and the ids of its events). */
function labelOf(value: Buffer | null): Pick<AnomalyLabel, "kind" | "event_ids"> | undefined {
  try {
    const label = JSON.parse(value?.toString() ?? "null") as Partial<AnomalyLabel> | null;
    return Array.isArray(label?.event_ids) && label.event_ids.every((id) => typeof id === "string")
      ? (label as AnomalyLabel)
      : undefined;
  } catch {
    return undefined;
  }
}
