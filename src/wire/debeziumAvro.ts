// `--format debezium-avro`: Debezium's row changes in Avro through the registry, as Kafka Connect's
// Avro converter writes them (Confluent wire format); keys stay JSON, as the JSON converter writes them.
import avro from "avsc";
import { SinkError } from "../errors.js";
import { DEBEZIUM_TABLES, connectToAvro, debeziumTopic, envelopeSchema, type DebeziumTable } from "./debezium.js";
import type { ChangeRecord, OutRecord } from "./envelope.js";
import { jsonValue } from "./jsonValue.js";
import type { SchemaRegistryApi } from "./registry.js";
import type { ValueEncoder } from "./valueEncoder.js";
import { frame } from "./wireFormat.js";

/** The Avro schema of a table's change topic, as the converter maps Debezium's envelope. */
export const debeziumAvroSchema = (table: DebeziumTable, topic: string): object =>
  connectToAvro(envelopeSchema(table, topic)) as object;

/** Registers (or looks up) each table's envelope under `<topic>-value` and returns the encoder of the changes. */
export async function debeziumAvroEncoder(
  registry: Pick<SchemaRegistryApi, "register" | "latest">,
  options: { prefix: string; register: boolean; tables?: readonly DebeziumTable[] },
): Promise<ValueEncoder> {
  const codecs = new Map<string, (value: unknown) => Buffer>();
  for (const table of options.tables ?? DEBEZIUM_TABLES) {
    const topic = debeziumTopic(table, options.prefix);
    const schema = debeziumAvroSchema(table, topic);
    const text = JSON.stringify(schema);
    const type = avro.Type.forSchema(schema as avro.Schema);
    let id: number;
    if (options.register) id = await registry.register(`${topic}-value`, text, "AVRO");
    else {
      const latest = await registry.latest(`${topic}-value`);
      const fingerprint = (s: string): string =>
        avro.Type.forSchema(JSON.parse(s) as avro.Schema)
          .fingerprint()
          .toString("hex");
      if (fingerprint(latest.schema) !== type.fingerprint().toString("hex"))
        throw new SinkError(
          `the latest schema of subject ${topic}-value (id ${latest.id}) is not Debezium's envelope of ${table}; register it, or run without --no-register`,
        );
      id = latest.id;
    }
    codecs.set(topic, (value) => frame(id, type.toBuffer(value)));
  }
  return (record: OutRecord) => {
    if (record.headers.event_type !== "change") return jsonValue(record);
    const codec = codecs.get(record.topic);
    if (codec === undefined) throw new SinkError(`no Avro schema for ${record.topic}`);
    return codec((record as ChangeRecord).value);
  };
}
