import { expect } from "chai";
import avro from "avsc";
import protobuf from "protobufjs";
import { readFileSync } from "node:fs";
import { GENERATED, avroSchemas, protobufSchema, readSchemas, registryJsonSchemas } from "../../src/data/schemas.js";
import { profileOf } from "../../src/model/profiles.js";
import { SCHEMA_VERSIONS, type RetailEvent, type SaleEvent, type SchemaVersion } from "../../src/model/events.js";
import { envelopeOf } from "../../src/wire/envelope.js";
import type { Registered, SchemaType } from "../../src/sinks/kafka/schemaRegistry.js";
import { valueEncoder, type RegistryClient } from "../../src/wire/valueEncoder.js";
import { registryDecoder } from "../../src/wire/valueDecoder.js";
import { avroOptions } from "../../src/wire/avroDecimal.js";
import { jsonText } from "../../src/wire/jsonValue.js";
import { frame, messageIndexBytes, unframe } from "../../src/wire/wireFormat.js";
import { saleEvent } from "../support/events.js";

const sale: SaleEvent = saleEvent({
  event_id: "0b6f1f2e-6d1c-4c59-9a41-2f3b7c1d9e10",
  event_time: "2026-11-27T19:05:00.123Z",
  schema_version: 1,
  transaction_id: "T-ABCDEFGHJKLM",
  quantity: 3,
  unit_price: 19.99,
  customer_id: "C000042",
});
const receipt: RetailEvent = {
  event_id: "1b6f1f2e-6d1c-4c59-9a41-2f3b7c1d9e10",
  event_type: "inventory_update",
  event_time: "2026-11-27T19:05:00.123Z",
  schema_version: 1,
  store_id: "S001",
  product_id: "P0001",
  quantity_change: 12,
  reason: "receipt",
  stock_after: 20,
};

/** A registry that hands out ids 100, 101, … and remembers what was registered. */
class MemoryRegistry implements RegistryClient {
  readonly subjects = new Map<string, Registered>();
  readonly compat = new Map<string, string>();
  async register(subject: string, schema: string, schemaType: SchemaType): Promise<number> {
    const id = 100 + this.subjects.size;
    this.subjects.set(subject, { id, schema, schemaType });
    return id;
  }
  async latest(subject: string): Promise<Registered> {
    const found = this.subjects.get(subject);
    if (found === undefined) throw new Error(`no subject ${subject}`);
    return found;
  }
  async setCompatibility(subject: string, level: string): Promise<void> {
    this.compat.set(subject, level);
  }
}
const TOPICS = {
  sale: "s",
  inventory_update: "i",
  customer_event: "c",
  price_change: "p",
  restock_alert: "r",
  payment: "pa",
  order_status: "o",
  return: "re",
};
const schemas = { json: readSchemas(), avro: avroSchemas(), protobuf: protobufSchema() };

describe("jsonText: amounts in version 2 written to the cent", () => {
  const line = (version: 1 | 2, amounts: Record<string, number>): string =>
    jsonText({ schema_version: version, quantity: 10, stock_after: 20, ...amounts });

  it("should write every amount with two decimals, whatever JSON wrote, and leave other numbers and version 1 alone", () => {
    expect(line(2, { unit_price: 24, total_amount: 9.9, old_price: 13.99, new_price: -5, base_price: 0.1 })).to.equal(
      '{"schema_version":2,"quantity":10,"stock_after":20,"unit_price":24.00,"total_amount":9.90,"old_price":13.99,"new_price":-5.00,"base_price":0.10}',
    );
    expect(line(1, { unit_price: 24, total_amount: 9.9 })).to.equal(
      '{"schema_version":1,"quantity":10,"stock_after":20,"unit_price":24,"total_amount":9.9}',
    );
    expect(jsonText({ schema_version: 2, product_name: "unit_price 24", unit_price: 1234567.8 })).to.equal(
      '{"schema_version":2,"product_name":"unit_price 24","unit_price":1234567.80}',
    );
  });
});

describe("value formats (Avro, Protobuf, JSON Schema; Confluent wire format)", () => {
  it("should keep the committed .avsc and .proto files of every version equal to what the generators make from the JSON Schemas", () => {
    for (const version of SCHEMA_VERSIONS) {
      const avroOf = avroSchemas(version);
      for (const type of profileOf(version).eventTypes)
        expect(readFileSync(GENERATED.avro(type, version), "utf8"), `${type} v${version}`).to.equal(
          JSON.stringify(avroOf[type], null, 2) + "\n",
        );
      expect(readFileSync(GENERATED.protobuf(version), "utf8")).to.equal(protobufSchema(version));
    }
  });

  describe("schema version 2 in the registry formats", () => {
    /** A registry that keeps every version: ids 1, 2, … and the schema of each. */
    class VersionedRegistry implements RegistryClient {
      readonly byIds = new Map<number, Registered>();
      async register(_subject: string, schema: string, schemaType: SchemaType): Promise<number> {
        const id = this.byIds.size + 1;
        this.byIds.set(id, { id, schema, schemaType });
        return id;
      }
      async latest(): Promise<Registered> {
        throw new Error("not used");
      }
      async setCompatibility(): Promise<void> {}
      async byId(id: number): Promise<Registered> {
        return this.byIds.get(id) as Registered;
      }
    }
    const v2: SaleEvent = {
      ...sale,
      schema_version: 2,
      unit_price: 24,
      total_amount: 1234567.8,
      quantity: 1,
      line_number: 1,
      line_count: 2,
      currency: "USD",
    };
    const later = { 2: { json: registryJsonSchemas(2), avro: avroSchemas(2), protobuf: protobufSchema(2) } };

    it("should let each version read the one before (BACKWARD): the fields it lacks are optional, its own unchanged", () => {
      for (const version of SCHEMA_VERSIONS.slice(1))
        for (const type of profileOf((version - 1) as SchemaVersion).eventTypes) {
          const before = avro.Type.forSchema(
            avroSchemas((version - 1) as SchemaVersion)[type] as avro.Schema,
            avroOptions(),
          );
          const after = avro.Type.forSchema(avroSchemas(version)[type] as avro.Schema, avroOptions());
          expect(() => after.createResolver(before), `${type} v${version}`).to.not.throw();
        }
      const resolver = avro.Type.forSchema(avroSchemas(2).sale as avro.Schema, avroOptions());
      const old = avro.Type.forSchema(avroSchemas(1).sale as avro.Schema);
      const read = resolver.fromBuffer(
        old.toBuffer({ ...sale, event_time: 0 }),
        resolver.createResolver(old),
      ) as Record<string, unknown>;
      expect(read).to.include({ total_amount: 59.97, line_number: null, total_amount_exact: null });
    });

    for (const format of ["avro", "protobuf", "json-schema"] as const) {
      it(`should write ${format} values of both versions that read back to each event's JSON, amounts exact`, async () => {
        const registry = new VersionedRegistry();
        const encode = await valueEncoder(format, { registry, schemas, later, topics: TOPICS, register: true });
        const decode = registryDecoder(registry);
        for (const event of [sale, v2]) {
          const bytes = encode(envelopeOf(event));
          const back = await decode(bytes);
          expect("json" in back, JSON.stringify(back)).to.equal(true);
          expect((back as { json: Buffer }).json.toString()).to.equal(jsonText(event));
        }
        expect(registry.byIds.size).to.equal(10);
      });
    }

    it("should carry Avro's exact twin as a decimal (bytes, scale 2): the unscaled cents in two's complement", async () => {
      const registry = new VersionedRegistry();
      const encode = await valueEncoder("avro", { registry, schemas, later, topics: TOPICS, register: true });
      const { schemaId, payload } = unframe(encode(envelopeOf(v2)));
      const plain = avro.Type.forSchema(JSON.parse((registry.byIds.get(schemaId) as Registered).schema) as avro.Schema);
      const record = plain.fromBuffer(payload) as Record<string, Buffer | number>;
      expect([...(record.total_amount_exact as Buffer)]).to.deep.equal([0x07, 0x5b, 0xcd, 0x0c]); // 123456780 cents
      expect([...(record.unit_price_exact as Buffer)]).to.deep.equal([0x09, 0x60]);
      expect(record.total_amount).to.equal(1234567.8);
    });
  });

  it("should frame a value as Confluent does: magic 0, the id big-endian, then the payload", () => {
    expect([...frame(0x01020304, Uint8Array.from([9, 8]))]).to.deep.equal([0, 1, 2, 3, 4, 9, 8]);
  });

  it("should write Protobuf message indexes as Confluent does: [0] for the first message, else count and indexes as zig-zag varints", () => {
    expect(messageIndexBytes([0])).to.deep.equal([0]);
    expect(messageIndexBytes([3])).to.deep.equal([2, 6]);
    expect(messageIndexBytes([1, 70])).to.deep.equal([4, 2, 140, 1]);
    expect([...frame(7, Uint8Array.from([0xaa]), [3])]).to.deep.equal([0, 0, 0, 0, 7, 2, 6, 0xaa]);
    expect(unframe(frame(7, Uint8Array.from([0xaa]), [1, 70]), true)).to.deep.include({
      schemaId: 7,
      indexes: [1, 70],
    });
  });

  it("should register every subject <topic>-value with BACKWARD compatibility and write Avro a plain decoder reads back", async () => {
    const registry = new MemoryRegistry();
    const encode = await valueEncoder("avro", { registry, schemas, topics: TOPICS, register: true });
    expect([...registry.subjects.keys()].sort()).to.deep.equal(["c-value", "i-value", "p-value", "r-value", "s-value"]);
    expect([...registry.compat.values()]).to.deep.equal(["BACKWARD", "BACKWARD", "BACKWARD", "BACKWARD", "BACKWARD"]);
    const bytes = encode(envelopeOf(receipt));
    const { schemaId, payload } = unframe(bytes);
    const registered = [...registry.subjects.values()].find((r) => r.id === schemaId) as Registered;
    const decoded = avro.Type.forSchema(JSON.parse(registered.schema) as avro.Schema).fromBuffer(payload) as Record<
      string,
      unknown
    >;
    expect({ ...decoded }).to.deep.equal({
      ...receipt,
      event_time: Date.UTC(2026, 10, 27, 19, 5, 0, 123),
      source_event_id: null,
    });
  });

  it("should write Protobuf with the message index of its type that a parser of the registered file decodes", async () => {
    const registry = new MemoryRegistry();
    const encode = await valueEncoder("protobuf", { registry, schemas, topics: TOPICS, register: true });
    const { schemaId, indexes, payload } = unframe(encode(envelopeOf(sale)), true);
    expect(indexes).to.deep.equal([0]);
    expect(unframe(encode(envelopeOf(receipt)), true).indexes).to.deep.equal([1]);
    const root = new protobuf.Root();
    root.addJSON(protobuf.common.get("google/protobuf/timestamp.proto")?.nested ?? {});
    protobuf.parse((registry.subjects.get("s-value") as Registered).schema, root, { keepCase: true });
    root.resolveAll();
    expect(registry.subjects.get("s-value")?.id).to.equal(schemaId);
    const type = root.lookupType("dev.retail_stream.v1.Sale");
    const decoded = type.toObject(type.decode(payload), { longs: Number });
    expect(decoded).to.deep.equal({ ...sale, event_time: { seconds: 1795806300, nanos: 123_000_000 } });
  });

  it("should refuse, with --no-register, a subject whose latest schema is not ours", async () => {
    const registry = new MemoryRegistry();
    await valueEncoder("json-schema", { registry, schemas, topics: TOPICS, register: true });
    await valueEncoder("json-schema", { registry, schemas, topics: TOPICS, register: false });
    registry.subjects.set("p-value", { id: 5, schema: '{"type":"object"}', schemaType: "JSON" });
    let error: unknown;
    await valueEncoder("json-schema", { registry, schemas, topics: TOPICS, register: false }).catch(
      (e: unknown) => (error = e),
    );
    expect((error as Error).message).to.match(
      /^the latest schema of subject p-value \(id 5\) is not this version's json-schema schema of price_change/,
    );
  });
});
