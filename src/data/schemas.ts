import { profileOf } from "../model/profiles.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EVENT_TYPES, SCHEMA_VERSION, type EventType, type SchemaVersion } from "../model/events.js";
import { avroSchema, protoFile, type EventJsonSchema } from "../wire/schemaFormats.js";
import { SAMPLE_DATA_DIR } from "./chainFiles.js";

/** The JSON Schema (draft 2020-12) of each event type, as shipped in `data/schemas/`: the one source of truth. */
export function readSchemas(version = SCHEMA_VERSION): Record<EventType, object> {
  const entries = EVENT_TYPES.map((type) => [type, JSON.parse(readFileSync(join(SAMPLE_DATA_DIR, "schemas", `${type}.v${version}.json`), "utf8")) as object] as const);
  return Object.fromEntries(entries) as Record<EventType, object>;
}

/**
 * The JSON Schema of each type as a registry takes it after the version before
 * (BACKWARD: it must accept that version's values): the fields that version
 * lacks are optional, and `schema_version` is any version up to this one. The
 * shipped schema (`readSchemas`) stays the strict one `verify` checks with.
 * Each says draft-07 (the keywords the schemas use are all in it): a registry's
 * compatibility checker (Apicurio 3's) cannot place draft 2020-12.
 */
export function registryJsonSchemas(version: SchemaVersion = SCHEMA_VERSION): Record<EventType, object> {
  const strict = readSchemas(version) as Record<EventType, EventJsonSchema & { if?: unknown; then?: unknown }>;
  const draft7 = (schema: object): object => ({ ...schema, $schema: "http://json-schema.org/draft-07/schema#" });
  const before = profileOf(version).previous;
  if (before === undefined) return Object.fromEntries(EVENT_TYPES.map((type) => [type, draft7(strict[type])])) as Record<EventType, object>;
  const previous = readSchemas(before) as Record<EventType, EventJsonSchema>;
  return Object.fromEntries(EVENT_TYPES.map((type) => {
    const { if: _if, then: _then, ...schema } = strict[type];
    const versions = Array.from({ length: version }, (_, i) => i + 1);
    return [type, draft7({
      ...schema, required: schema.required.filter((name) => previous[type].required.includes(name)),
      properties: { ...schema.properties, schema_version: { enum: versions } },
    })];
  })) as Record<EventType, object>;
}

/** The Avro schema of each event type, generated from its JSON Schema. */
export function avroSchemas(version: SchemaVersion = SCHEMA_VERSION): Record<EventType, Record<string, unknown>> {
  const json = readSchemas(version) as Record<EventType, EventJsonSchema>;
  const before = profileOf(version).previous;
  const previous = before === undefined ? undefined : readSchemas(before) as Record<EventType, EventJsonSchema>;
  return Object.fromEntries(EVENT_TYPES.map((type) => [type, avroSchema(type, json[type], previous?.[type])])) as Record<EventType, Record<string, unknown>>;
}

/** The `.proto` file of every event type, generated from the JSON Schemas. */
export function protobufSchema(version: SchemaVersion = SCHEMA_VERSION): string {
  const before = profileOf(version).previous;
  const previous = before === undefined ? undefined : readSchemas(before) as Record<EventType, EventJsonSchema>;
  return protoFile(readSchemas(version) as Record<EventType, EventJsonSchema>, previous, version);
}

/** Where the generated schemas are committed (a test keeps them equal to what the generators make). */
export const GENERATED = {
  avro: (type: EventType, version = SCHEMA_VERSION): string => join(SAMPLE_DATA_DIR, "schemas", "avro", `${type}.v${version}.avsc`),
  protobuf: (version = SCHEMA_VERSION): string => join(SAMPLE_DATA_DIR, "schemas", `retail.v${version}.proto`),
};
