/**
 * Avro and Protobuf schemas generated from the event JSON Schemas in
 * `data/schemas/` (the one source of truth). Choices: `event_time` is Avro's
 * `timestamp-millis` and Protobuf's `google.protobuf.Timestamp`; money is a
 * double (every amount is whole cents, which a double holds exactly enough to
 * round back to the cent); integers are 32-bit; a field the JSON Schema does
 * not require is nullable in Avro (default null) and `optional` in Protobuf;
 * JSON enums are Avro enums and Protobuf strings (their values unchanged).
 */
import { EVENT_TYPES, type EventType } from "../model/events.js";

/** The part of a JSON Schema the generators read. */
export interface EventJsonSchema {
  title: string;
  description?: string;
  properties: Record<string, { type?: string; enum?: string[]; const?: string | number; description?: string }>;
  required: string[];
}

export const SCHEMA_NAMESPACE = "dev.retail_stream.v1";

/** `inventory_update` → `InventoryUpdate`. */
export function messageName(type: EventType): string {
  return type.split("_").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

type AvroType = string | Record<string, unknown>;

function avroField(type: EventType, name: string, property: EventJsonSchema["properties"][string]): AvroType {
  if (name === "event_time") return { type: "long", logicalType: "timestamp-millis" };
  if (property.enum !== undefined) return { type: "enum", name: `${messageName(type)}${messageName(name as EventType)}`, symbols: property.enum };
  if (property.const !== undefined) return typeof property.const === "number" ? "int" : "string";
  if (property.type === "integer") return "int";
  if (property.type === "number") return "double";
  return "string";
}

/** The Avro record schema of an event type. */
export function avroSchema(type: EventType, json: EventJsonSchema): Record<string, unknown> {
  const fields = Object.entries(json.properties).map(([name, property]) => {
    const avro = avroField(type, name, property);
    const doc = property.description === undefined ? {} : { doc: property.description };
    return json.required.includes(name) ? { name, type: avro, ...doc } : { name, type: ["null", avro], default: null, ...doc };
  });
  return { type: "record", name: messageName(type), namespace: SCHEMA_NAMESPACE, doc: json.description ?? json.title, fields };
}

function protoField(name: string, property: EventJsonSchema["properties"][string]): string {
  if (name === "event_time") return "google.protobuf.Timestamp";
  if (property.const !== undefined) return typeof property.const === "number" ? "int32" : "string";
  if (property.type === "integer") return "int32";
  if (property.type === "number") return "double";
  return "string";
}

/** The `.proto` file of all event types, one message each, in `EVENT_TYPES` order (the Confluent message index). */
export function protoFile(schemas: Record<EventType, EventJsonSchema>): string {
  const messages = EVENT_TYPES.map((type) => {
    const json = schemas[type];
    const fields = Object.entries(json.properties).map(([name, property], i) =>
      `  ${json.required.includes(name) ? "" : "optional "}${protoField(name, property)} ${name} = ${i + 1};${property.enum === undefined ? "" : ` // ${property.enum.join(" | ")}`}`);
    return `// ${json.description ?? json.title}\nmessage ${messageName(type)} {\n${fields.join("\n")}\n}`;
  });
  return [
    "// Generated from data/schemas/*.v1.json by `retail-stream schemas --format protobuf`; do not edit.",
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
