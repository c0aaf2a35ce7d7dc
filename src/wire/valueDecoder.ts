import avro from "avsc";
import protobuf from "protobufjs";
import type { SchemaRegistryApi } from "./registry.js";
import { unframe } from "./wireFormat.js";
import { avroOptions } from "./avroDecimal.js";
import { jsonText } from "./jsonValue.js";

/** A registry-framed value back as the event's JSON, or why it cannot be read. */
export type ValueDecoder = (value: Buffer) => Promise<{ json: Buffer } | { problem: string }>;

type Decode = (value: Buffer) => Record<string, unknown>;

/** Epoch ms, or a Timestamp's seconds and nanos, as `event_time` text. */
const isoOf = (time: unknown): string =>
  new Date(
    typeof time === "number"
      ? time
      : Number((time as { seconds: number }).seconds) * 1000 + ((time as { nanos?: number }).nanos ?? 0) / 1e6,
  ).toISOString();

/** What the registry holds for `id`, made into a decoder of framed values. */
function decoderOf(schemaType: string, schema: string): Decode {
  if (schemaType === "PROTOBUF") {
    const root = new protobuf.Root();
    root.addJSON(protobuf.common.get("google/protobuf/timestamp.proto")?.nested ?? {});
    const parsed = protobuf.parse(schema, root, { keepCase: true });
    root.resolveAll();
    const messages = (root.lookup(parsed.package ?? "") as protobuf.Namespace).nestedArray.filter(
      (n): n is protobuf.Type => n instanceof protobuf.Type,
    );
    return (value) => {
      const { indexes, payload } = unframe(value, true);
      const type = messages[indexes[0] ?? 0];
      if (type === undefined) throw new RangeError(`message index ${indexes.join(",")} is not in the schema`);
      // Proto3 leaves zeros off the wire: they come back as the defaults they are (optional fields stay absent).
      return type.toObject(type.decode(payload), { longs: Number, defaults: true }) as Record<string, unknown>;
    };
  }
  if (schemaType === "JSON") return (value) => JSON.parse(unframe(value).payload.toString()) as Record<string, unknown>;
  const type = avro.Type.forSchema(JSON.parse(schema) as avro.Schema, avroOptions());
  return (value) => ({ ...(type.fromBuffer(unframe(value).payload) as Record<string, unknown>) });
}

/**
 * Reads values in the Confluent wire format by the schema the registry holds
 * for each id (fetched once), back into the events' JSON: the time as text,
 * absent optional fields left out. What does not decode is a problem, named.
 */
export function registryDecoder(registry: Pick<SchemaRegistryApi, "byId">): ValueDecoder {
  const decoders = new Map<number, Promise<Decode>>();
  return async (value) => {
    if (value.length < 5 || value[0] !== 0) return { problem: "not a registry-framed value (no magic byte 0)" };
    const id = value.readUInt32BE(1);
    let decoder = decoders.get(id);
    if (decoder === undefined)
      decoders.set(id, (decoder = registry.byId(id).then((r) => decoderOf(r.schemaType, r.schema))));
    let fields: Record<string, unknown>;
    try {
      fields = (await decoder)(value);
    } catch (error) {
      return { problem: `does not decode with schema ${id}: ${(error as Error).message}` };
    }
    const event = Object.fromEntries(
      Object.entries(fields)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, k === "event_time" && typeof v !== "string" ? isoOf(v) : v]),
    );
    // An exact twin (version 2) is the amount itself: it stands in for the double and leaves.
    for (const [name, value] of Object.entries(event)) {
      if (!name.endsWith("_exact")) continue;
      event[name.slice(0, -"_exact".length)] = Number(value);
      delete event[name];
    }
    return { json: Buffer.from(jsonText(event)) };
  };
}
