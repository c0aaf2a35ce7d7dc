import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { ROOT, jsonLines, requireBuild, runCli } from "../support/cli.js";

const OPEN = "2026-11-02T18:30:00Z";
/** The v1 fixture: written by the build before version 2 existed (seed 3, 150 primary events at once, truth in 1-minute windows). */
const V1_ARGS = [
  "--sink",
  "stdout",
  "--seed",
  "3",
  "--count",
  "150",
  "--min-delta",
  "0",
  "--max-delta",
  "0",
  "--start-time",
  OPEN,
  "--truth",
  "--truth-window",
  "1",
];

interface Line {
  topic: string;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  value: Record<string, unknown>;
}

const lines = (stdout: string): Line[] => jsonLines(stdout) as Line[];
const cents = (amount: unknown): number => Math.round(Number(amount) * 100);

describe("schema version 2 (CLI)", function () {
  this.timeout(120_000);
  before(requireBuild);

  it("should keep version 1 byte for byte as stream generation 3 writes it (test/fixtures/v1-seed3.jsonl), by flag or by environment", () => {
    const fixture = readFileSync(`${ROOT}/test/fixtures/v1-seed3.jsonl`, "utf8");
    const noSetting = { RETAIL_STREAM_SCHEMA_VERSION: undefined };
    expect(runCli([...V1_ARGS, "--schema-version", "1"], { env: noSetting }).stdout).to.equal(fixture);
    expect(runCli(V1_ARGS, { env: { RETAIL_STREAM_SCHEMA_VERSION: "1" } }).stdout).to.equal(fixture);
  });

  it("should keep version 2 byte for byte as stream generation 3 writes it (test/fixtures/v2-seed3.jsonl)", () => {
    const fixture = readFileSync(`${ROOT}/test/fixtures/v2-seed3.jsonl`, "utf8");
    const noSetting = { RETAIL_STREAM_SCHEMA_VERSION: undefined };
    expect(runCli([...V1_ARGS, "--schema-version", "2"], { env: noSetting }).stdout).to.equal(fixture);
    expect(runCli(V1_ARGS, { env: { RETAIL_STREAM_SCHEMA_VERSION: "2" } }).stdout).to.equal(fixture);
  });

  it("should write version 3 when nothing names a version (the default): checkouts with their payments", () => {
    const noSetting = { RETAIL_STREAM_SCHEMA_VERSION: undefined };
    const byDefault = runCli(V1_ARGS, { env: noSetting });
    expect(byDefault.status, byDefault.stderr).to.equal(0);
    expect(byDefault.stdout).to.equal(runCli([...V1_ARGS, "--schema-version", "3"], { env: noSetting }).stdout);
    const all = lines(byDefault.stdout);
    const values = all.filter((l) => l.topic === "retail-sales-transactions").map((l) => l.value);
    expect(values.length).to.be.greaterThan(0);
    expect(values.every((v) => v.schema_version === 3 && typeof v.line_count === "number")).to.equal(true);
    const paid = new Set(
      all
        .filter((l) => l.topic === "retail-payments" && l.value.status === "approved")
        .map((l) => l.value.transaction_id),
    );
    expect([...new Set(values.map((v) => v.transaction_id))].every((tx) => paid.has(tx))).to.equal(true);
  });

  it("should write every amount of version 3 with two decimals: payments, order totals and refunds too", () => {
    const week = runCli([
      "--sink",
      "stdout",
      "--seed",
      "4",
      "--from",
      "2026-11-02T00:00:00Z",
      "--to",
      "2026-11-09T00:00:00Z",
    ]);
    expect(week.status, week.stderr).to.equal(0);
    const amounts = (field: string): string[] =>
      [...week.stdout.matchAll(new RegExp(`"${field}":([^,}]+)`, "g"))].map((m) => m[1] as string);
    for (const field of [
      "unit_price",
      "total_amount",
      "old_price",
      "new_price",
      "amount",
      "order_total",
      "refund_amount",
    ]) {
      const texts = amounts(field);
      expect(texts.length, field).to.be.above(50);
      expect(
        texts.filter((text) => !/^\d+\.\d{2}$/.test(text)),
        field,
      ).to.deep.equal([]);
    }
  });

  it("should let the other commands pass over a run's variables in the environment, and still refuse a name no command has", () => {
    const schemas = runCli(["schemas"], { env: { RETAIL_STREAM_SCHEMA_VERSION: "2", RETAIL_STREAM_SEED: "7" } });
    expect(schemas.status, schemas.stderr).to.equal(0);
    const verifyHelp = runCli(["verify", "--help"], { env: { RETAIL_STREAM_MIN_DELTA: "0" } });
    expect(verifyHelp.status, verifyHelp.stderr).to.equal(0);
    const typo = runCli(["schemas"], { env: { RETAIL_STREAM_SCHEMA_VERSON: "2" } });
    expect(typo.status).to.equal(2);
    expect(typo.stderr).to.match(/RETAIL_STREAM_SCHEMA_VERSON/);
  });

  describe("a run in version 2", () => {
    let out: Line[];
    let raw: string;
    before(() => {
      const result = runCli([
        "--sink",
        "stdout",
        "--schema-version",
        "2",
        "--seed",
        "5",
        "--count",
        "400",
        "--min-delta",
        "0",
        "--max-delta",
        "0",
        "--start-time",
        OPEN,
        "--reference-records",
      ]);
      expect(result.status, result.stderr).to.equal(0);
      raw = result.stdout;
      out = lines(raw);
    });

    it("should write the chain's stores and products first, keyed by id, stamped no later than the first event", () => {
      const stores = out.filter((l) => l.topic === "retail-stores");
      const products = out.filter((l) => l.topic === "retail-products");
      const chainStores = JSON.parse(readFileSync(`${ROOT}/data/stores.json`, "utf8")) as Array<{ store_id: string }>;
      const chainProducts = JSON.parse(readFileSync(`${ROOT}/data/products.json`, "utf8")) as Array<{
        sku: string;
        category: string;
        base_price: number;
      }>;
      expect(stores.map((l) => l.key)).to.deep.equal(chainStores.map((s) => s.store_id));
      expect(products.map((l) => l.key)).to.deep.equal(chainProducts.map((p) => p.sku));
      expect(products[0]?.value).to.include({
        product_id: chainProducts[0]?.sku,
        category: chainProducts[0]?.category,
        currency: "USD",
      });
      expect(stores.every((l) => l.value.currency === "USD")).to.equal(true);
      const firstEvent = out.find((l) => !["retail-stores", "retail-products"].includes(l.topic)) as Line;
      expect(out.indexOf(firstEvent)).to.equal(stores.length + products.length);
      expect(Math.max(...[...stores, ...products].map((l) => l.timestamp))).to.be.at.most(firstEvent.timestamp);
    });

    it("should make checkouts of several lines that share the transaction, each line with its decrement, one purchase after the last", () => {
      const sales = out.filter((l) => l.topic === "retail-sales-transactions").map((l) => l.value);
      const byTransaction = new Map<string, Array<Record<string, unknown>>>();
      for (const sale of sales)
        byTransaction.set(sale.transaction_id as string, [
          ...(byTransaction.get(sale.transaction_id as string) ?? []),
          sale,
        ]);
      const sizes = [...byTransaction.values()].map((basket) => basket.length);
      expect(Math.max(...sizes)).to.be.above(3);
      expect(sizes.filter((n) => n === 1).length).to.be.above(0);
      for (const basket of byTransaction.values()) {
        expect(basket.map((s) => s.line_number)).to.deep.equal(basket.map((_, i) => i + 1));
        expect(new Set(basket.map((s) => s.line_count))).to.deep.equal(new Set([basket.length]));
        for (const field of ["store_id", "event_time", "customer_id", "payment_method", "currency"])
          expect(new Set(basket.map((s) => s[field])).size, field).to.equal(1);
        expect(new Set(basket.map((s) => s.product_id)).size).to.equal(basket.length);
      }
      const decremented = new Set(out.filter((l) => l.value.reason === "sale").map((l) => l.value.source_event_id));
      expect(sales.every((s) => decremented.has(s.event_id))).to.equal(true);
      const purchases = out.filter((l) => l.value.action === "purchase").map((l) => l.value.transaction_id as string);
      expect(purchases.length).to.be.above(0);
      expect(purchases.every((t) => byTransaction.has(t))).to.equal(true);
      expect(new Set(purchases).size).to.equal(purchases.length);
      // --count counts checkouts, not lines: 400 primary events, each checkout once.
      const primary = out.filter(
        (l) =>
          l.value.event_type !== undefined &&
          l.value.event_type !== "restock_alert" &&
          l.value.source_event_id === undefined &&
          l.value.action !== "purchase" &&
          !(l.value.event_type === "sale" && l.value.line_number !== 1),
      );
      expect(primary).to.have.length(400);
    });

    it("should write every amount's JSON text as the exact amount with two decimals, and total = quantity × unit price to the cent", () => {
      const amounts = [...raw.matchAll(/"(unit_price|total_amount|old_price|new_price|base_price)":([^,}]+)/g)].map(
        (m) => m[2] as string,
      );
      expect(amounts.length).to.be.above(1000);
      expect(amounts.filter((text) => !/^\d+\.\d{2}$/.test(text))).to.deep.equal([]);
      expect(amounts.some((text) => text.endsWith(".00") || text.endsWith("0"))).to.equal(true);
      for (const sale of out.filter((l) => l.topic === "retail-sales-transactions").map((l) => l.value)) {
        expect(cents(sale.total_amount)).to.equal((sale.quantity as number) * cents(sale.unit_price));
      }
    });

    it("should key a checkout's lines by transaction, visits by customer, and stock, prices and alerts by store × product", () => {
      for (const line of out) {
        const v = line.value;
        if (line.topic === "retail-sales-transactions") expect(line.key).to.equal(v.transaction_id);
        else if (line.topic === "retail-customer-events") expect(line.key).to.equal(v.customer_id);
        else if (["retail-inventory-updates", "retail-price-changes", "retail-restock-alerts"].includes(line.topic)) {
          expect(JSON.parse(line.key)).to.deep.equal({ store_id: v.store_id, product_id: v.product_id });
        }
      }
    });

    it("should pass verify, each event checked against its own version's schema", () => {
      const file = join(mkdtempSync(join(tmpdir(), "rs-v2-")), "run.jsonl");
      writeFileSync(file, raw);
      const result = runCli(["verify", "--input", file]);
      expect(result.status, result.stdout + result.stderr).to.equal(0);
      expect(result.stdout)
        .to.match(/ok {3}schema {5}\d+ values valid/)
        .and.match(/verify: OK/);
    });
  });

  it("should spread the busy topics of a default day over 6 partitions within 1.5× the fair share, with no key over a partition's share of any topic's day or busy hour, where version 1's store keys do not", () => {
    // librdkafka's default partitioner: CRC32 of the key. What makes a hot partition is a hot key, so every topic is held to
    // no key over a sixth of its day (and of each hour with 60 records or more: a visit writes up to seven records under its
    // customer's key — enter, four steps, purchase, exit — so a quiet hour's 30 hold one visitor's sixth by chance). The 1.5×
    // bound is held where it measures the keys rather than chance: topics of 1,000 records or more a day. The sparse ones
    // (about 125 restock alerts a day, visits in clusters of a customer's steps) stray past 1.5× on 6 partitions by chance
    // whatever their keys.
    // A topic of fewer than 60 records a day (version 3's returns on a run's first day: they come back days after the
    // purchase, each under its own id) has no day share to speak of, as no hour of fewer than 60 has.
    // The defaults: no version named anywhere (version 3), against version 1 by flag.
    const spread = (version: string[]): { partitions: number; busy: number; dayKey: number; hourKey: number } => {
      const result = runCli(
        [
          "--sink",
          "stdout",
          ...version,
          "--seed",
          "1",
          "--from",
          "2026-11-02T00:00:00Z",
          "--to",
          "2026-11-03T00:00:00Z",
        ],
        { timeout: 300_000, env: { RETAIL_STREAM_SCHEMA_VERSION: undefined } },
      );
      expect(result.status, result.stderr).to.equal(0);
      const day = new Map<string, number[]>();
      const dayKeys = new Map<string, Map<string, number>>();
      const hours = new Map<string, Map<string, number>>();
      const count = (map: Map<string, Map<string, number>>, at: string, key: string): void => {
        const keys = map.get(at) ?? new Map<string, number>();
        keys.set(key, (keys.get(key) ?? 0) + 1);
        map.set(at, keys);
      };
      for (const line of lines(result.stdout)) {
        if (line.topic === "retail-stores" || line.topic === "retail-products") continue;
        const partitions = day.get(line.topic) ?? new Array<number>(6).fill(0);
        const partition = crc32(line.key) % 6;
        partitions[partition] = (partitions[partition] ?? 0) + 1;
        day.set(line.topic, partitions);
        count(dayKeys, line.topic, line.key);
        count(hours, `${line.topic} ${Math.floor(line.timestamp / 3_600_000)}`, line.key);
      }
      const busyTopics = [...day.values()].filter((p) => p.reduce((a, b) => a + b, 0) >= 1000);
      const topShare = (keys: Map<string, number>, least: number): number => {
        const total = [...keys.values()].reduce((a, b) => a + b, 0);
        return total < least ? 0 : Math.max(...keys.values()) / total;
      };
      return {
        partitions: Math.max(...busyTopics.map((p) => Math.max(...p) / (p.reduce((a, b) => a + b, 0) / 6))),
        busy: busyTopics.length,
        dayKey: Math.max(...[...dayKeys.values()].map((keys) => topShare(keys, 60))),
        hourKey: Math.max(...[...hours.values()].map((keys) => topShare(keys, 60))),
      };
    };
    const latest = spread([]);
    expect(latest.busy).to.be.at.least(2);
    expect(latest.partitions).to.be.at.most(1.5);
    expect(latest.dayKey).to.be.below(1 / 6);
    expect(latest.hourKey).to.be.below(1 / 6);
    const v1 = spread(["--schema-version", "1"]);
    expect(v1.partitions).to.be.above(1.5);
    expect(v1.hourKey).to.be.above(1 / 6);
  });

  it("should print the SQL that declares every topic: Flink tables with watermarks and upsert keys, ksqlDB streams and tables", () => {
    const flink = runCli([
      "schemas",
      "--format",
      "flink-sql",
      "--topic-prefix",
      "dev.",
      "--watermark",
      "10m",
      "-b",
      "kafka:9092",
    ]).stdout;
    for (const table of [
      "sales",
      "inventory_updates",
      "price_changes",
      "customer_events",
      "restock_alerts",
      "stock",
      "prices",
      "stores",
      "products",
      "truth",
    ]) {
      expect(flink, table).to.match(new RegExp(`CREATE TABLE \`${table}\``));
    }
    expect(flink)
      .to.include("'topic' = 'dev.retail-sales-transactions'")
      .and.include("'properties.bootstrap.servers' = 'kafka:9092'");
    // Flink refuses a unit of more than two digits ('600' SECOND): ten minutes are '10' MINUTE.
    expect(flink).to.include("WATERMARK FOR `event_time` AS `event_time` - INTERVAL '10' MINUTE");
    expect(flink)
      .to.include("`total_amount` DECIMAL(12, 2)")
      .and.include("PRIMARY KEY (`store_id`, `product_id`) NOT ENFORCED")
      .and.not.include("scan.bounded.mode");
    const ksql = runCli(["schemas", "--format", "ksql"]).stdout;
    expect(ksql)
      .to.match(/CREATE STREAM `SALES`/)
      .and.match(/CREATE TABLE `STOCK`/)
      .and.include("`STORE_ID` VARCHAR PRIMARY KEY")
      .and.include("KEY_FORMAT = 'JSON'");
    // Registry formats: Flink reads Avro through avro-confluent, each amount from its exact twin; ksqlDB infers the value columns.
    const avro = runCli([
      "schemas",
      "--format",
      "flink-sql",
      "--value-format",
      "avro",
      "--schema-registry",
      "http://registry:8081",
    ]).stdout;
    expect(avro)
      .to.include("`total_amount_exact` DECIMAL(12, 2),\n  `total_amount` AS `total_amount_exact`")
      .and.include("'format' = 'avro-confluent'")
      .and.include("'avro-confluent.url' = 'http://registry:8081'")
      .and.include("'value.format' = 'avro-confluent'");
    expect(avro.split("CREATE TABLE `products`")[1]).to.include("'value.format' = 'json'");
    const ksqlAvro = runCli(["schemas", "--format", "ksql", "--value-format", "protobuf"]).stdout;
    expect(ksqlAvro).to.match(
      /CREATE STREAM `SALES` WITH \(\n {2}KAFKA_TOPIC = 'retail-sales-transactions',\n {2}VALUE_FORMAT = 'PROTOBUF'/,
    );
  });

  it("should switch from version 1 to 2 at a scenario's time, the way a producer rolls a schema out", () => {
    const dir = mkdtempSync(join(tmpdir(), "rs-rollout-"));
    const scenario = join(dir, "rollout.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        rate: 30,
        curve: { daily: new Array(24).fill(1), weekly: new Array(7).fill(1) },
        schemaVersions: [{ at: "day+0T19:00Z", version: 2 }],
      }),
    );
    const result = runCli([
      "--sink",
      "stdout",
      "--seed",
      "4",
      "--scenario",
      scenario,
      "--from",
      "2026-11-02T18:00:00Z",
      "--to",
      "2026-11-02T20:00:00Z",
      "--reference-records",
      // The run starts in version 1 and the scenario rolls version 2 out.
      "--schema-version",
      "1",
    ]);
    expect(result.status, result.stderr).to.equal(0);
    const events = lines(result.stdout).filter((l) => l.value.event_type !== undefined);
    const switchAt = Date.parse("2026-11-02T19:00:00Z");
    const before = events.filter((l) => l.timestamp < switchAt);
    const after = events.filter((l) => l.timestamp >= switchAt + 60_000);
    expect(before.length).to.be.above(100);
    expect(after.length).to.be.above(100);
    expect(before.every((l) => l.value.schema_version === 1 && l.headers.schema_version === "1")).to.equal(true);
    expect(after.every((l) => l.value.schema_version === 2 && l.headers.schema_version === "2")).to.equal(true);
    expect(after.some((l) => l.value.line_count !== undefined)).to.equal(true);
    // The reference topics come with the switch: every store and product, just before the first event of version 2.
    const all = lines(result.stdout);
    const firstV2 = all.findIndex((l) => l.value.schema_version === 2 && l.value.event_type !== undefined);
    const reference = all.filter((l) => l.topic === "retail-stores" || l.topic === "retail-products");
    const chainSize = (file: string): number =>
      (JSON.parse(readFileSync(`${ROOT}/data/${file}`, "utf8")) as unknown[]).length;
    expect(reference).to.have.length(chainSize("stores.json") + chainSize("products.json"));
    expect(all.slice(firstV2 - reference.length, firstV2)).to.deep.equal(reference);
    expect(reference.every((l) => l.timestamp === all[firstV2]?.timestamp)).to.equal(true);
  });
});
