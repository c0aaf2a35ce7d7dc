import { expect } from "chai";
import { Ajv } from "ajv";
import avro from "avsc";
import protobuf from "protobufjs";
import Kafka from "node-rdkafka";
import { randomUUID } from "node:crypto";
import { EVENT_TYPES } from "../../src/model/events.js";
import type { Envelope } from "../../src/wire/envelope.js";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";
import { BROKERS, freshTopics, produceRecords, totalsOf, referenceRecords } from "../support/kafka.js";

// The local registry (make registry-up): Apicurio's Confluent-compatible API.
const REGISTRY = process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081/apis/ccompat/v7";
const RUN = [
  "--count",
  "5000",
  "--min-delta",
  "0",
  "--max-delta",
  "0",
  "--seed",
  "13",
  "--start-time",
  "2026-11-27T09:00:00Z",
  "--log-level",
  "warn",
  // The start is in the past: the topics keep it past Kafka's default retention of 7 days (by record time).
  "--topic-config",
  "retention.ms=-1",
];

async function registry(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(`${REGISTRY}${path}`, {
    ...init,
    headers: { "Content-Type": "application/vnd.schemaregistry.v1+json" },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`registry ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Every raw value of `topics`, from the start, until `expected` arrived or nothing came for a while. */
function consumeRaw(topics: string[], expected: number): Promise<Buffer[]> {
  const consumer = new Kafka.KafkaConsumer(
    { "bootstrap.servers": BROKERS, "group.id": `e2e-${randomUUID()}`, "enable.auto.commit": false },
    { "auto.offset.reset": "earliest" },
  );
  const values: Buffer[] = [];
  return new Promise((resolve, reject) => {
    let last = Date.now();
    const pump = (): void =>
      consumer.consume(5000, (error, messages) => {
        if (error && (error as { isFatal?: boolean }).isFatal) return reject(error);
        for (const m of messages ?? []) if (m.value) values.push(m.value);
        if ((messages ?? []).length > 0) last = Date.now();
        if (values.length >= expected || Date.now() - last > 8000) consumer.disconnect(() => resolve(values));
        else setImmediate(pump);
      });
    consumer.connect({ timeout: 10_000 }, (error) => (error ? reject(error) : (consumer.subscribe(topics), pump())));
  });
}

/** Decodes a framed value with the schema the registry holds for its id, by the test's own reading of the wire format. */
async function decoder(): Promise<
  (value: Buffer) => Promise<{ id: number; index?: number; event: Record<string, unknown> }>
> {
  const schemas = new Map<number, { schemaType?: string; schema: string }>();
  const ajv = new Ajv({ allErrors: true }); // the registered schemas say draft-07;
  const validators = new Map<number, ReturnType<Ajv["compile"]>>();
  return async (value) => {
    expect(value[0]).to.equal(0);
    const id = value.readUInt32BE(1);
    if (!schemas.has(id))
      schemas.set(id, (await registry(`/schemas/ids/${id}`)) as { schemaType?: string; schema: string });
    const { schemaType, schema } = schemas.get(id) as { schemaType?: string; schema: string };
    if (schemaType === "PROTOBUF") {
      // One zig-zag varint count, then the indexes; a lone 0 is the first message.
      const count = (value[5] as number) >> 1;
      const index = count === 0 ? 0 : (value[6] as number) >> 1;
      const root = new protobuf.Root();
      root.addJSON(protobuf.common.get("google/protobuf/timestamp.proto")?.nested ?? {});
      const parsed = protobuf.parse(schema, root, { keepCase: true });
      root.resolveAll();
      const messages = (root.lookup(parsed.package ?? "") as protobuf.Namespace).nestedArray.filter(
        (n): n is protobuf.Type => n instanceof protobuf.Type,
      );
      const type = messages[index] as protobuf.Type;
      // Proto3 leaves zeros off the wire: read them back as the defaults they are (optional fields stay absent).
      const event = type.toObject(type.decode(value.subarray(count === 0 ? 6 : 7)), {
        longs: Number,
        defaults: true,
      }) as Record<string, unknown>;
      const time = event.event_time as { seconds: number; nanos?: number };
      return { id, index, event: { ...event, event_time: time.seconds * 1000 + (time.nanos ?? 0) / 1e6 } };
    }
    if (schemaType === "JSON") {
      const event = JSON.parse(value.subarray(5).toString()) as Record<string, unknown>;
      let validate = validators.get(id);
      if (validate === undefined) {
        const parsed = JSON.parse(schema) as { $id?: string };
        validate = (parsed.$id === undefined ? undefined : ajv.getSchema(parsed.$id)) ?? ajv.compile(parsed);
        validators.set(id, validate);
      }
      expect(validate(event), ajv.errorsText(validate.errors)).to.equal(true);
      return { id, event: { ...event, event_time: Date.parse(event.event_time as string) } };
    }
    const event = {
      ...(avro.Type.forSchema(JSON.parse(schema) as avro.Schema).fromBuffer(value.subarray(5)) as Record<
        string,
        unknown
      >),
    };
    return { id, event };
  };
}

/** The stdout reference of the same run: each event with its time in epoch ms and absent optional fields left out. */
function reference(): Map<string, Record<string, unknown>> {
  const lines = jsonLines<Envelope>(runCli(["--sink", "stdout", ...RUN]).stdout);
  return new Map(
    lines.map((l) => [
      l.value.event_id,
      { ...l.value, event_time: Date.parse(l.value.event_time) } as Record<string, unknown>,
    ]),
  );
}

describe("Schema Registry formats (Apicurio, Confluent wire format)", function () {
  this.timeout(180_000);
  let expected: Map<string, Record<string, unknown>>;
  before(async () => {
    requireBuild();
    await registry("/subjects").catch((error: unknown) => {
      throw new Error(
        `no schema registry at ${REGISTRY}: start it with make registry-up (${(error as Error).message})`,
      );
    });
    expected = reference();
  });

  for (const format of ["avro", "protobuf", "json-schema"]) {
    it(`should write ${format} values that decode, by the registered schema of their id, to the stdout stream of the same seed`, async () => {
      const { args, names } = freshTopics(`e2e-${format}`);
      const result = runCli(["--format", format, "--schema-registry", REGISTRY, "--brokers", BROKERS, ...RUN, ...args]);
      expect(result.status, result.stderr).to.equal(0);
      const totals = totalsOf(result.stderr);
      expect(totals.primary).to.equal(5000);
      expect(totals.failed).to.equal(0);
      // The events, and the chain's reference rows before them.
      expect(totals.produced).to.equal(expected.size + referenceRecords());
      const decode = await decoder();
      const values = await consumeRaw(Object.values(names), totals.delivered - referenceRecords());
      expect(values).to.have.length(totals.delivered - referenceRecords());
      const ids = new Set<number>();
      const indexes = new Set<number>();
      for (const value of values) {
        const { id, index, event } = await decode(value);
        ids.add(id);
        if (index !== undefined) indexes.add(index);
        const want = expected.get(event.event_id as string);
        expect(want, `event ${String(event.event_id)}`).to.not.equal(undefined);
        for (const [field, wanted] of Object.entries(want as Record<string, unknown>))
          expect(event[field], `${String(event.event_type)}.${field}`).to.equal(wanted);
        for (const [field, got] of Object.entries(event)) {
          if (field in (want as object)) continue;
          // Version 2's exact twin of an amount (Avro decimal bytes, Protobuf decimal text) holds the same amount.
          const base = field.endsWith("_exact") ? field.slice(0, -"_exact".length) : undefined;
          if (base !== undefined && base in (want as object)) {
            const cents = Buffer.isBuffer(got)
              ? Number(BigInt.asIntN(got.length * 8, BigInt(`0x${got.toString("hex") || "0"}`)))
              : Math.round(Number(got) * 100);
            expect(cents, `${String(event.event_type)}.${field}`).to.equal(
              Math.round(Number((want as Record<string, unknown>)[base]) * 100),
            );
          } else expect(got, `${String(event.event_type)}.${field}`).to.equal(null);
        }
      }
      // Protobuf registers one file (every message) under each subject: one id, and the message index tells the type.
      // One subject per type the run wrote (a short run has no returns yet: they come back days later).
      const written = new Set([...expected.values()].map((e) => e.event_type as string));
      expect(written.size).to.be.at.least(7);
      expect(ids.size).to.equal(format === "protobuf" ? 1 : written.size);
      if (format === "protobuf")
        expect([...indexes].sort()).to.deep.equal(
          EVENT_TYPES.flatMap((type, i) => (written.has(type) ? [i] : [])).sort(),
        );
      const compatibility = await registry(`/config/${names.sale}-value`);
      expect(compatibility.compatibilityLevel ?? compatibility.compatibility).to.equal("BACKWARD");
      if (format === "avro") {
        const again = runCli([
          "--format",
          "avro",
          "--schema-registry",
          REGISTRY,
          "--no-register",
          "--brokers",
          BROKERS,
          "--count",
          "10",
          "--min-delta",
          "0",
          "--max-delta",
          "0",
          ...args,
        ]);
        expect(again.status, again.stderr).to.equal(0);
      }
    });
  }

  it("should have verify read every format back by the registry's schemas, every check passing, list values malformed on purpose, and name one malformed otherwise", async () => {
    for (const format of ["avro", "protobuf", "json-schema"]) {
      const { args, names } = freshTopics(`e2e-verify-${format}`);
      // Some values malformed on purpose: in a registry format, bytes that do not decode.
      const truth = ["--truth", "--truth-topic", `${names.sale}-truth`, "--faults", "malformed=0.01"];
      const run = runCli([
        "--format",
        format,
        "--schema-registry",
        REGISTRY,
        "--brokers",
        BROKERS,
        ...RUN,
        ...args,
        ...truth,
      ]);
      expect(run.status, run.stderr).to.equal(0);
      const verify = [
        "verify",
        "--format",
        format,
        "--schema-registry",
        REGISTRY,
        "--brokers",
        BROKERS,
        ...args,
        "--truth-topic",
        `${names.sale}-truth`,
      ];
      const clean = runCli(verify, { timeout: 120_000 });
      expect(clean.status, `${format}: ${clean.stdout}${clean.stderr}`).to.equal(0);
      expect(clean.stdout).to.include(`verify: OK — ${totalsOf(run.stderr).delivered - referenceRecords()} records`);
      expect(clean.stdout).to.match(/ {4}malformed \S+\/\d@\d+: \w+: does not decode with schema \d+/);
      if (format !== "avro") continue;
      // A value framed with a real schema id whose bytes are not an Avro sale.
      const id = (await registry(`/subjects/${names.sale}-value/versions/latest`)).id as number;
      const frame = Buffer.concat([
        Buffer.from([0]),
        Buffer.from([id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]),
        Buffer.from([0xff, 0xff, 0xff, 0x01]),
      ]);
      await produceRecords([
        { topic: names.sale, key: "S001", timestamp: Date.parse("2026-11-27T09:00:00Z"), headers: {}, value: frame },
      ]);
      const broken = runCli(verify, { timeout: 120_000 });
      expect(broken.status, broken.stdout).to.equal(1);
      expect(broken.stdout).to.match(
        new RegExp(`schema: sale: does not decode with schema ${id}: .* at ${names.sale}/\\d@\\d+`),
      );
    }
  });

  it("should register schema version 2 after version 1 under BACKWARD in every format, and have verify read a version 2 run back with exact amounts", async () => {
    for (const format of ["avro", "protobuf", "json-schema"]) {
      const { args, names } = freshTopics(`e2e-v2-${format}`);
      const run = runCli([
        "--format",
        format,
        "--schema-version",
        "2",
        "--schema-registry",
        REGISTRY,
        "--brokers",
        BROKERS,
        ...RUN,
        ...args,
        "--topic-prefix",
        `${names.sale}.`,
      ]);
      expect(run.status, `${format}: ${run.stderr}`).to.equal(0);
      expect(totalsOf(run.stderr).failed).to.equal(0);
      // Both versions under the subject: the registry took version 2 as BACKWARD compatible with version 1.
      const versions = (await (await fetch(`${REGISTRY}/subjects/${names.sale}-value/versions`)).json()) as number[];
      expect(versions, format).to.have.length(2);
      const verify = runCli(
        ["verify", "--format", format, "--schema-registry", REGISTRY, "--brokers", BROKERS, ...args],
        { timeout: 120_000 },
      );
      expect(verify.status, `${format}: ${verify.stdout}${verify.stderr}`).to.equal(0);
      expect(verify.stdout)
        .to.match(/ok {3}schema/)
        .and.match(/ok {3}prices/);
    }
  });

  it("should write --format debezium-avro: each table's changes in Avro by Debezium's envelope registered under its topic, decoding to the changes --format debezium writes", async () => {
    const prefix = `e2e-dbz-${randomUUID().slice(0, 8)}.`;
    const run = [
      "--topic-prefix",
      prefix,
      "--count",
      "2000",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "13",
      "--start-time",
      "2026-11-27T09:00:00Z",
      "--log-level",
      "warn",
    ];
    const result = runCli([
      "--brokers",
      BROKERS,
      "--topic-config",
      "retention.ms=-1",
      "--format",
      "debezium-avro",
      "--schema-registry",
      REGISTRY,
      ...run,
    ]);
    expect(result.status, result.stderr).to.equal(0);
    const expected = jsonLines<{ topic: string; value: Record<string, unknown> }>(
      runCli(["--sink", "stdout", "--format", "debezium", ...run]).stdout,
    );
    const topics = [...new Set(expected.map((l) => l.topic))].sort();
    expect(topics).to.deep.equal(
      ["stores", "products", "stock", "prices", "orders"].map((t) => `${prefix}retail.retail.${t}`).sort(),
    );
    const raw = await consumeRaw(topics, expected.length);
    expect(raw.length).to.equal(expected.length);
    // The test's own reading: magic byte, schema id, Avro by the schema the registry holds for that id.
    const types = new Map<number, avro.Type>();
    const decoded: string[] = [];
    for (const value of raw) {
      expect(value[0]).to.equal(0);
      const id = value.readUInt32BE(1);
      if (!types.has(id))
        types.set(
          id,
          avro.Type.forSchema(JSON.parse((await registry(`/schemas/ids/${id}`)).schema as string) as avro.Schema),
        );
      decoded.push(JSON.stringify((types.get(id) as avro.Type).fromBuffer(value.subarray(5))));
    }
    // Stock, prices, stores, products and (version 3) orders: one envelope schema each.
    expect(types.size).to.equal(5);
    const canonical = (v: unknown): string =>
      JSON.stringify(JSON.parse(JSON.stringify(v)), (_k, x: unknown) =>
        x !== null && typeof x === "object" && !Array.isArray(x)
          ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
          : x,
      );
    expect(decoded.map((d) => canonical(JSON.parse(d))).sort()).to.deep.equal(
      expected.map((l) => canonical(l.value)).sort(),
    );
    expect(expected.filter((l) => l.value.op === "r").length).to.be.above(500);
    // The registered schema is the converter's mapping of the envelope: a record named by the topic, the row optional.
    const stock = JSON.parse(
      (await registry(`/subjects/${prefix}retail.retail.stock-value/versions/latest`)).schema as string,
    ) as { name: string; namespace: string; fields: Array<{ name: string; type: unknown }> };
    expect([stock.namespace, stock.name]).to.deep.equal([
      `${prefix.replace(/-/g, "_")}retail.retail.stock`,
      "Envelope",
    ]);
    expect(stock.fields.map((f) => f.name)).to.deep.equal([
      "before",
      "after",
      "source",
      "transaction",
      "op",
      "ts_ms",
      "ts_us",
      "ts_ns",
    ]);
    expect((stock.fields[0]?.type as unknown[])[0]).to.equal("null");
    expect(((stock.fields[0]?.type as unknown[])[1] as { name: string }).name).to.equal("Value");
  });

  it("should refuse --no-register when a subject has no schema yet, before producing anything", () => {
    const { args } = freshTopics("e2e-unregistered");
    const result = runCli([
      "--format",
      "avro",
      "--schema-registry",
      REGISTRY,
      "--no-register",
      "--brokers",
      BROKERS,
      ...RUN,
      ...args,
    ]);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(/^retail-stream: the schema registry has no e2e-unregistered-\w+-sales-value/m);
  });

  it("should report a schema the registry refuses as incompatible (BACKWARD), before producing anything", async () => {
    const { args, names } = freshTopics("e2e-incompatible");
    const ours = JSON.parse(runCli(["schemas", "--format", "avro"]).stdout) as Record<
      string,
      { fields: Array<{ name: string }> }
    >;
    const older = { ...ours.sale, fields: ours.sale?.fields.filter((f) => f.name !== "customer_id") };
    const subject = `${names.sale}-value`;
    await registry(`/subjects/${subject}/versions`, {
      method: "POST",
      body: JSON.stringify({ schema: JSON.stringify(older) }),
    });
    await registry(`/config/${subject}`, { method: "PUT", body: JSON.stringify({ compatibility: "BACKWARD" }) });
    const result = runCli(["--format", "avro", "--schema-registry", REGISTRY, "--brokers", BROKERS, ...RUN, ...args]);
    expect(result.status).to.equal(1);
    expect(result.stderr.trim().split("\n"), result.stderr).to.have.length(1);
    expect(result.stderr).to.match(
      new RegExp(`^retail-stream: the schema registry refused the schema of ${subject} as incompatible`),
    );
  });

  it("should end at once, naming it, when the registry cannot be reached", () => {
    const started = Date.now();
    const result = runCli([
      "--format",
      "protobuf",
      "--schema-registry",
      "http://127.0.0.1:59999/apis/ccompat/v7",
      "--brokers",
      BROKERS,
      ...RUN,
    ]);
    expect(result.status).to.equal(1);
    expect(Date.now() - started).to.be.below(10_000);
    expect(result.stderr).to.match(
      /^retail-stream: cannot reach the schema registry at http:\/\/127\.0\.0\.1:59999\/apis\/ccompat\/v7 \(ECONNREFUSED\)/m,
    );
  });
});
