import avro from "avsc";
import protobuf from "protobufjs";
import { SinkError } from "../errors.js";
import { isEvent, type OutRecord } from "./envelope.js";
import { EVENT_TYPES, type EventType, type RetailEvent } from "../model/events.js";
import { SCHEMA_NAMESPACE, messageName, protoTypes } from "./schemaFormats.js";
import { jsonText, jsonValue } from "./jsonValue.js";
import { avroOptions } from "./avroDecimal.js";
import type { SchemaRegistryApi, SchemaType } from "./registry.js";
import { frame } from "./wireFormat.js";

/** How record values are written. */
export type ValueFormat = "json" | "avro" | "protobuf" | "json-schema";
export const VALUE_FORMATS: readonly ValueFormat[] = ["json", "avro", "protobuf", "json-schema"];

/** The schemas of a version's event types in each format (`src/data/schemas.ts` reads and generates them). */
export interface FormatSchemas {
  json: Partial<Record<EventType, object>>;
  avro: Partial<Record<EventType, Record<string, unknown>>>;
  protobuf: string;
}

/** Each type's codec, for the types one version writes. */
type Codecs = Partial<Record<EventType, (event: RetailEvent) => Buffer>>;

/** What the encoder needs of a registry (a `SchemaRegistry`, or a stand-in in a test). */
export type RegistryClient = Pick<SchemaRegistryApi, "register" | "latest" | "setCompatibility">;

export interface RegistryOptions {
  registry: RegistryClient;
  /** The version of `schemas` (default 1). */
  version?: number;
  schemas: FormatSchemas;
  /** The topic of each event type: subjects are `<topic>-value`. */
  topics: Readonly<Record<EventType, string>>;
  /** Register the schemas (default), or only use the latest registered versions, which must match. */
  register: boolean;
  /** Compatibility set on each subject when registering (default BACKWARD). */
  compatibility?: string;
  /** The schemas of later versions the run may write (schema version 2), by number: registered after version 1's, so the registry checks them against it. */
  later?: Readonly<Record<number, FormatSchemas>>;
}

/** Turns an envelope into its record value. */
export type ValueEncoder = (record: OutRecord) => Buffer;

/** The amount an exact twin (`total_amount_exact`) carries, from its base field. */
const exactBase = (name: string): string | undefined =>
  name.endsWith("_exact") ? name.slice(0, -"_exact".length) : undefined;

/** Avro's record of an event: the time as epoch ms, absent optional fields as null, exact twins from their amounts. */
function avroRecord(event: RetailEvent, fields: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const name of fields) {
    const value: unknown = Reflect.get(event, exactBase(name) ?? name);
    record[name] = name === "event_time" ? Date.parse(value as string) : (value ?? null);
  }
  return record;
}

/** Protobuf's message of an event: the time as a Timestamp, exact twins as decimal text. */
function protoMessage(event: RetailEvent, exact: readonly string[]): Record<string, unknown> {
  const ms = Date.parse(event.event_time);
  // An optional amount the event does not have (a refund of an order not refunded) has no twin either.
  const twins = Object.fromEntries(
    exact.flatMap((name) => {
      const amount = Reflect.get(event, exactBase(name) as string) as number | undefined;
      return amount === undefined ? [] : [[name, amount.toFixed(2)]];
    }),
  );
  return { ...event, ...twins, event_time: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 } };
}

/** The schema text of each type in a format, and whether a registered one equals it. */
function schemasOf(
  format: Exclude<ValueFormat, "json">,
  all: FormatSchemas,
): { type: SchemaType; text: Partial<Record<EventType, string>>; same: (a: string, b: string) => boolean } {
  const types = typesOf(all);
  if (format === "avro") {
    const schemas = all.avro;
    const text = Object.fromEntries(types.map((t) => [t, JSON.stringify(schemas[t])]));
    const fingerprint = (s: string): string =>
      avro.Type.forSchema(JSON.parse(s) as avro.Schema)
        .fingerprint()
        .toString("hex");
    return { type: "AVRO", text, same: (a, b) => fingerprint(a) === fingerprint(b) };
  }
  if (format === "protobuf") {
    const proto = all.protobuf;
    const bare = (s: string): string =>
      s
        .replace(/\/\/.*$/gm, "")
        .replace(/\s+/g, " ")
        .trim();
    return {
      type: "PROTOBUF",
      text: Object.fromEntries(types.map((t) => [t, proto])),
      same: (a, b) => bare(a) === bare(b),
    };
  }
  const json = all.json;
  const text = Object.fromEntries(types.map((t) => [t, JSON.stringify(json[t])]));
  return { type: "JSON", text, same: (a, b) => JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b)) };
}

/**
 * Prepares the value encoder of a format: for the registry formats, registers
 * (or looks up) each type's schema under `<topic>-value`, sets the subject's
 * compatibility, and frames every value in the Confluent wire format with its
 * schema id. Never lets a serializer make a schema up from a value: the schemas
 * are the ones generated from `data/schemas/`.
 */
export async function valueEncoder(format: ValueFormat, options?: RegistryOptions): Promise<ValueEncoder> {
  if (format === "json") return jsonValue;
  if (options === undefined) throw new SinkError(`--format ${format} needs a schema registry (--schema-registry URL)`);
  const later = Object.entries(options.later ?? {})
    .map(([version, schemas]) => [Number(version), schemas] as const)
    .sort(([a], [b]) => a - b);
  if (later.length > 0 && !options.register)
    throw new SinkError(
      `--no-register writes one registered version; schema version ${later.map(([v]) => v).join(", ")} needs its schemas registered (drop --no-register)`,
    );
  const codecs = new Map<number, Codecs>();
  for (const [version, schemas] of [[options.version ?? 1, options.schemas] as const, ...later])
    codecs.set(version, await versionCodecs(format, { ...options, schemas }));
  return eventsBy((event) => {
    const codec = codecs.get(event.schema_version);
    if (codec === undefined)
      throw new SinkError(`no ${format} schema of version ${event.schema_version} was registered for this run`);
    const encode = codec[event.event_type];
    if (encode === undefined)
      throw new SinkError(`schema version ${event.schema_version} has no ${event.event_type} events`);
    return encode(event);
  });
}

/** Registers (or looks up) one version's schemas and returns its encoder of each type. */
async function versionCodecs(format: Exclude<ValueFormat, "json">, options: RegistryOptions): Promise<Codecs> {
  const { registry, topics } = options;
  const schemas = schemasOf(format, options.schemas);
  const types = typesOf(options.schemas);
  const ids = {} as Record<EventType, number>;
  for (const type of types) {
    const subject = `${topics[type]}-value`;
    const text = schemas.text[type] as string;
    if (options.register) {
      ids[type] = await registry.register(subject, text, schemas.type);
      await registry.setCompatibility(subject, options.compatibility ?? "BACKWARD");
    } else {
      const latest = await registry.latest(subject);
      if (latest.schemaType !== schemas.type || !schemas.same(latest.schema, text)) {
        throw new SinkError(
          `the latest schema of subject ${subject} (id ${latest.id}) is not this version's ${format} schema of ${type}; register it, or run without --no-register`,
        );
      }
      ids[type] = latest.id;
    }
  }
  if (format === "avro") {
    const avroOf = options.schemas.avro;
    return Object.fromEntries(
      types.map((t) => {
        const schema = avroOf[t] as Record<string, unknown>;
        const type = avro.Type.forSchema(schema as avro.Schema, avroOptions());
        const fields = (schema.fields as Array<{ name: string }>).map((f) => f.name);
        return [t, (event: RetailEvent) => frame(ids[t], type.toBuffer(avroRecord(event, fields)))];
      }),
    );
  }
  if (format === "protobuf") {
    const root = new protobuf.Root();
    root.addJSON(protobuf.common.get("google/protobuf/timestamp.proto")?.nested ?? {});
    protobuf.parse(options.schemas.protobuf, root, { keepCase: true });
    root.resolveAll();
    return Object.fromEntries(
      protoTypes(options.schemas.json).map((t, index) => {
        const type = root.lookupType(`${SCHEMA_NAMESPACE}.${messageName(t)}`);
        const exact = type.fieldsArray.map((f) => f.name).filter((name) => exactBase(name) !== undefined);
        return [
          t,
          (event: RetailEvent) =>
            frame(ids[t], type.encode(type.fromObject(protoMessage(event, exact))).finish(), [index]),
        ];
      }),
    );
  }
  return Object.fromEntries(types.map((t) => [t, (event: RetailEvent) => frame(ids[t], Buffer.from(jsonText(event)))]));
}

/** The types of a version's schemas, in `EVENT_TYPES` order. */
function typesOf(schemas: FormatSchemas): EventType[] {
  return EVENT_TYPES.filter((type) => schemas.json[type] !== undefined || schemas.avro[type] !== undefined);
}

/**
 * Events in the registry format; rows of ground truth stay plain JSON (no
 * subject is registered for them); a record malformed on purpose is framed
 * with its schema's id but its bytes cut short and ended with an unfinished
 * varint, so no reader decodes it.
 */
function eventsBy(codec: (event: RetailEvent) => Buffer): ValueEncoder {
  return (record) => {
    if (!isEvent(record)) return jsonValue(record);
    const value = codec(record.value);
    if (record.headers.fault !== "malformed") return value;
    return Buffer.concat([
      value.subarray(0, Math.max(8, Math.ceil(value.length / 2))),
      Buffer.from([0xff, 0xff, 0xff, 0xff]),
    ]);
  };
}
