/**
 * Avro and Protobuf schemas generated from the event JSON Schemas in
 * `data/schemas/` (the one source of truth). Choices: `event_time` is Avro's
 * `timestamp-millis` and Protobuf's `google.protobuf.Timestamp`; money is a
 * double (every amount is whole cents, which a double holds exactly enough to
 * round back to the cent); integers are 32-bit; a field the JSON Schema does
 * not require is nullable in Avro (default null) and `optional` in Protobuf;
 * JSON enums are Avro enums and Protobuf strings (their values unchanged).
 *
 * A later version is generated against the one before it, so the registry
 * takes it as BACKWARD compatible: a field the earlier version lacks is
 * nullable/optional, and the fields it has keep their names, types and
 * Protobuf numbers. An amount marked `decimal(12,2)` (version 2) keeps its
 * double for the readers of version 1 and gains an exact twin, `<name>_exact`:
 * Avro's `decimal` logical type (bytes, precision 12, scale 2), Protobuf's
 * decimal text ("24.00").
 */
import { EVENT_TYPES, type EventType } from "../model/events.js";

/** The part of a JSON Schema the generators read. */
export interface EventJsonSchema {
  title: string;
  description?: string;
  properties: Record<
    string,
    { type?: string; enum?: string[]; const?: string | number; description?: string; $comment?: string }
  >;
  required: string[];
}

export const SCHEMA_NAMESPACE = "dev.retail_stream.v1";

/** `inventory_update` → `InventoryUpdate`. */
export function messageName(type: EventType): string {
  return type
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

type AvroType = string | Record<string, unknown>;

function avroField(type: EventType, name: string, property: EventJsonSchema["properties"][string]): AvroType {
  if (name === "event_time") return { type: "long", logicalType: "timestamp-millis" };
  if (property.enum !== undefined)
    return { type: "enum", name: `${messageName(type)}${messageName(name as EventType)}`, symbols: property.enum };
  if (property.const !== undefined) return typeof property.const === "number" ? "int" : "string";
  if (property.type === "integer") return "int";
  if (property.type === "number") return "double";
  return "string";
}

/** The marker of an exact amount in a JSON Schema. */
const EXACT = "decimal(12,2)";
/** The exact twin of an amount field. */
export const exactName = (name: string): string => `${name}_exact`;
/** The amounts of a JSON Schema that have an exact twin. */
export const exactAmounts = (json: EventJsonSchema): string[] =>
  Object.entries(json.properties)
    .filter(([, p]) => p.$comment === EXACT)
    .map(([name]) => name);

/** Avro's exact amount: a decimal of 12 digits, 2 after the point. */
export const AVRO_DECIMAL = { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 } as const;

/** The Avro record schema of an event type (`previous`: the version before, which this one must read). */
export function avroSchema(
  type: EventType,
  json: EventJsonSchema,
  previous?: EventJsonSchema,
): Record<string, unknown> {
  const fields = Object.entries(json.properties).map(([name, property]) => {
    const avro = avroField(type, name, property);
    const doc = property.description === undefined ? {} : { doc: property.description };
    const required = json.required.includes(name) && (previous === undefined || previous.required.includes(name));
    return required ? { name, type: avro, ...doc } : { name, type: ["null", avro], default: null, ...doc };
  });
  const exact = exactAmounts(json).map((name) => ({
    name: exactName(name),
    type: ["null", AVRO_DECIMAL],
    default: null,
    doc: `${name}, exact to the cent`,
  }));
  return {
    type: "record",
    name: messageName(type),
    namespace: SCHEMA_NAMESPACE,
    doc: json.description ?? json.title,
    fields: [...fields, ...exact],
  };
}

/** The types of a `.proto` file, in message-index order. */
export function protoTypes(schemas: Partial<Record<EventType, unknown>>): EventType[] {
  return EVENT_TYPES.filter((type) => schemas[type] !== undefined);
}

function protoField(name: string, property: EventJsonSchema["properties"][string]): string {
  if (name === "event_time") return "google.protobuf.Timestamp";
  if (property.const !== undefined) return typeof property.const === "number" ? "int32" : "string";
  if (property.type === "integer") return "int32";
  if (property.type === "number") return "double";
  return "string";
}

/**
 * The `.proto` file of a version's event types, one message each, in `EVENT_TYPES` order (the Confluent message
 * index: a later version's new types come after the ones before); `previous`: the version before.
 */
export function protoFile(
  schemas: Partial<Record<EventType, EventJsonSchema>>,
  previous?: Partial<Record<EventType, EventJsonSchema>>,
  version = 1,
): string {
  const messages = protoTypes(schemas).map((type) => {
    const json = schemas[type] as EventJsonSchema;
    const before = previous?.[type];
    const entries = Object.entries(json.properties);
    const fields = entries.map(([name, property], i) => {
      const required = json.required.includes(name) && (before === undefined || before.required.includes(name));
      return `  ${required ? "" : "optional "}${protoField(name, property)} ${name} = ${i + 1};${property.enum === undefined ? "" : ` // ${property.enum.join(" | ")}`}`;
    });
    const exact = exactAmounts(json).map(
      (name, i) =>
        `  optional string ${exactName(name)} = ${entries.length + i + 1}; // ${name}, exact to the cent ("24.00")`,
    );
    return `// ${json.description ?? json.title}\nmessage ${messageName(type)} {\n${[...fields, ...exact].join("\n")}\n}`;
  });
  return [
    `// Generated from data/schemas/*.v${version}.json by \`retail-stream schemas --format protobuf\`; do not edit.`,
    'syntax = "proto3";',
    "",
    `package ${SCHEMA_NAMESPACE};`,
    "",
    'import "google/protobuf/timestamp.proto";',
    "",
    messages.join("\n\n"),
    "",
  ].join("\n");
}
