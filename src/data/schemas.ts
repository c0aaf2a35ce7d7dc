import { profileOf } from "../model/profiles.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_VERSION, type EventType, type SchemaVersion } from "../model/events.js";
import { avroSchema, protoFile, type EventJsonSchema } from "../wire/schemaFormats.js";
import { SAMPLE_DATA_DIR } from "./chainFiles.js";

/** Schemas of the types a version writes (`profileOf(version).eventTypes`), by type. */
export type VersionSchemas<S> = Partial<Record<EventType, S>>;

/** `build` for each type `version` writes, by type. */
function byType<S>(version: SchemaVersion, build: (type: EventType) => S): VersionSchemas<S> {
  return Object.fromEntries(profileOf(version).eventTypes.map((type) => [type, build(type)])) as VersionSchemas<S>;
}

/** The JSON Schema (draft 2020-12) of each type a version writes, as shipped in `data/schemas/`: the one source of truth. */
export function readSchemas(version: SchemaVersion = SCHEMA_VERSION): VersionSchemas<object> {
  return byType(
    version,
    (type) => JSON.parse(readFileSync(join(SAMPLE_DATA_DIR, "schemas", `${type}.v${version}.json`), "utf8")) as object,
  );
}

/**
 * What the generators compare a version with: for each type an earlier version has, the fields every
 * version from the type's first up to the one before required (so a field once optional stays so in the
 * registry formats, and each version reads every one before it); none for the first version.
 */
function previousOf(version: SchemaVersion): VersionSchemas<EventJsonSchema> | undefined {
  const before = profileOf(version).previous;
  if (before === undefined) return undefined;
  const schemas = readSchemas(before) as VersionSchemas<EventJsonSchema>;
  const earlier = previousOf(before);
  return Object.fromEntries(
    Object.entries(schemas).map(([type, schema]) => {
      const older = earlier?.[type as EventType];
      return [
        type,
        older === undefined ? schema : { ...schema, required: schema.required.filter((n) => older.required.includes(n)) },
      ];
    }),
  ) as VersionSchemas<EventJsonSchema>;
}

/**
 * The JSON Schema of each type as a registry takes it after the version before
 * (BACKWARD: it must accept that version's values): the fields that version
 * lacks are optional, and `schema_version` is any version up to this one. A type
 * new in this version is registered as shipped. The shipped schema
 * (`readSchemas`) stays the strict one `verify` checks with. Each says draft-07
 * (the keywords the schemas use are all in it): a registry's compatibility
 * checker (Apicurio 3's) cannot place draft 2020-12.
 */
export function registryJsonSchemas(version: SchemaVersion = SCHEMA_VERSION): VersionSchemas<object> {
  const strict = readSchemas(version) as VersionSchemas<EventJsonSchema & { if?: unknown; then?: unknown }>;
  const draft7 = (schema: object): object => ({ ...schema, $schema: "http://json-schema.org/draft-07/schema#" });
  const previous = previousOf(version);
  return byType(version, (type) => {
    const shipped = strict[type] as EventJsonSchema & { if?: unknown; then?: unknown };
    const before = previous?.[type];
    if (before === undefined) return draft7(shipped);
    const { if: _if, then: _then, ...schema } = shipped as typeof shipped & { allOf?: unknown[] };
    // Rules the version before did not have (version 3's on returns and cancels) stay with the strict schema:
    // a registry takes a new rule on old fields as incompatible.
    const rules = (before as { allOf?: unknown[] }).allOf ?? [];
    const kept = (schema.allOf ?? []).filter((rule) => rules.some((r) => JSON.stringify(r) === JSON.stringify(rule)));
    if (schema.allOf !== undefined) schema.allOf = kept;
    const versions = Array.from({ length: version }, (_, i) => i + 1);
    return draft7({
      ...schema,
      required: schema.required.filter((name) => before.required.includes(name)),
      properties: { ...schema.properties, schema_version: { enum: versions } },
    });
  });
}

/** The Avro schema of each type a version writes, generated from its JSON Schema. */
export function avroSchemas(version: SchemaVersion = SCHEMA_VERSION): VersionSchemas<Record<string, unknown>> {
  const json = readSchemas(version) as VersionSchemas<EventJsonSchema>;
  const previous = previousOf(version);
  return byType(version, (type) => avroSchema(type, json[type] as EventJsonSchema, previous?.[type]));
}

/** The `.proto` file of every type a version writes, generated from the JSON Schemas. */
export function protobufSchema(version: SchemaVersion = SCHEMA_VERSION): string {
  return protoFile(readSchemas(version) as VersionSchemas<EventJsonSchema>, previousOf(version), version);
}

/** Where the generated schemas are committed (a test keeps them equal to what the generators make). */
export const GENERATED = {
  avro: (type: EventType, version = SCHEMA_VERSION): string =>
    join(SAMPLE_DATA_DIR, "schemas", "avro", `${type}.v${version}.avsc`),
  protobuf: (version = SCHEMA_VERSION): string => join(SAMPLE_DATA_DIR, "schemas", `retail.v${version}.proto`),
};
