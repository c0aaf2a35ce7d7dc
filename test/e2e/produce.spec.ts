import { expect } from "chai";
import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { ROOT } from "../support/cli.js";
import { EVENT_TYPES } from "../../src/model/events.js";
import { requireBuild, runCli } from "../support/cli.js";
import {
  BROKERS,
  OPEN_HOURS,
  consumeAll,
  describedTopicConfig,
  freshTopics,
  totalsOf,
  referenceRecords,
  keyV2Of,
} from "../support/kafka.js";

const REQUIRED: Record<string, string[]> = {
  sale: [
    "transaction_id",
    "store_id",
    "product_id",
    "quantity",
    "unit_price",
    "total_amount",
    "payment_method",
    "customer_id",
  ],
  inventory_update: ["store_id", "product_id", "quantity_change", "reason"],
  price_change: ["product_id", "old_price", "new_price", "reason"],
  customer_event: ["customer_id", "store_id", "action"],
  restock_alert: ["store_id", "product_id", "current_stock", "reorder_point", "suggested_quantity", "priority"],
  payment: ["payment_id", "transaction_id", "attempt", "amount", "status"],
  order_status: ["order_id", "status", "placed_at", "order_total"],
  return: ["return_id", "transaction_id", "line_number", "sale_event_id", "quantity", "refund_amount"],
};

describe("Kafka end to end", () => {
  before(requireBuild);

  it("should deliver 10,000 primary events with their decrements, keyed, with headers and event-time timestamps", async () => {
    const { args, names } = freshTopics("e2e-full");
    const result = runCli([
      "--count",
      "10000",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "11",
      "--brokers",
      BROKERS,
      "--log-level",
      "warn",
      ...args,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const totals = totalsOf(result.stderr);
    expect(totals.primary).to.equal(10_000);
    expect(totals.failed).to.equal(0);
    expect(totals.delivered).to.equal(totals.produced);

    const consumed = await consumeAll(Object.values(names));
    expect(consumed).to.have.length(totals.delivered - referenceRecords());
    for (const type of EVENT_TYPES) {
      expect(
        consumed.filter((m) => m.topic === names[type]).every((m) => m.value.event_type === type),
        type,
      ).to.equal(true);
    }
    const ids = new Set(consumed.map((m) => m.value.event_id));
    expect(ids.size).to.equal(consumed.length);
    for (const m of consumed) {
      const v = m.value;
      expect(m.key).to.equal(keyV2Of(v));
      expect(m.headers).to.deep.equal({ event_type: v.event_type, schema_version: "3" });
      expect(m.timestamp).to.equal(Date.parse(v.event_time));
      expect(v).to.include.keys(
        "event_id",
        "event_type",
        "event_time",
        "schema_version",
        ...(REQUIRED[v.event_type] ?? []),
      );
    }
    const ajv = new Ajv2020();
    const validators = new Map(
      EVENT_TYPES.map((type) => [
        type,
        ajv.compile(JSON.parse(readFileSync(`${ROOT}data/schemas/${type}.v3.json`, "utf8")) as object),
      ]),
    );
    for (const m of consumed)
      expect(validators.get(m.value.event_type)?.(m.value), JSON.stringify(m.value)).to.equal(true);
    const sales = consumed.filter((m) => m.value.event_type === "sale");
    const decrements = new Map<string, number>();
    for (const m of consumed) {
      const v = m.value;
      if (v.event_type === "inventory_update" && v.reason === "sale")
        decrements.set(v.source_event_id ?? "", (decrements.get(v.source_event_id ?? "") ?? 0) + 1);
    }
    expect(decrements.size).to.equal(sales.length);
    for (const s of sales) expect(decrements.get(s.value.event_id), s.value.event_id).to.equal(1);
  });

  it("should create the topics with the settings of --topic-config", () => {
    const { args, names } = freshTopics("e2e-topicconfig");
    const result = runCli([
      "--from",
      "2026-01-01T00:00:00Z",
      "--to",
      "2026-01-01T00:10:00Z",
      "--seed",
      "3",
      "--brokers",
      BROKERS,
      "--topic-config",
      "retention.ms=-1",
      "--topic-config",
      "max.message.bytes=2000000",
      "--log-level",
      "info",
      ...args,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    expect(result.stderr).to.match(/created topics .* retention\.ms=-1, max\.message\.bytes=2000000\)/);
    expect(result.stderr).to.not.match(/more than 7 days ago/);
    for (const topic of Object.values(names))
      expect(describedTopicConfig(topic), topic).to.include({ "retention.ms": "-1", "max.message.bytes": "2000000" });
  });

  it("should create missing topics with the requested partitions, never relying on auto-creation", async () => {
    const { args, names } = freshTopics("e2e-parts");
    // At a fixed hour when every store is open: at night every sale is the online shop's, one key.
    const result = runCli([
      "--count",
      "200",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "3",
      "--start-time",
      OPEN_HOURS,
      "--topic-config",
      "retention.ms=-1",
      "--partitions",
      "5",
      "--brokers",
      BROKERS,
      "--log-level",
      "info",
      ...args,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const consumed = await consumeAll(Object.values(names));
    const partitions = new Set(consumed.filter((m) => m.topic === names.sale).map((m) => m.partition));
    expect(Math.max(...partitions)).to.equal(4);
  });

  it("should deliver a run 3600 times faster than real time into topics it creates (its clock ends 10 hours ahead of the broker's), nothing failed", () => {
    const { args, names } = freshTopics("e2e-ahead");
    const result = runCli(
      ["--speed", "3600", "--duration", "600", "--seed", "7", "--brokers", BROKERS, "--log-level", "info", ...args],
      { timeout: 120_000 },
    );
    expect(result.status, result.stderr.slice(-1500)).to.equal(0);
    const totals = totalsOf(result.stderr);
    expect(totals.produced).to.be.above(500);
    expect(totals.failed).to.equal(0);
    expect(totals.delivered).to.equal(totals.produced);
    expect(describedTopicConfig(names.sale)).to.include({ "message.timestamp.after.max.ms": "9223372036854775807" });
  });

  it("should refuse, before producing, a run 3600 times faster than real time into existing topics at Kafka's default limit, in one line naming the topic, the limit and the ways out", async () => {
    const { args, names } = freshTopics("e2e-ahead-existing");
    const made = runCli([
      "--count",
      "1",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "7",
      "--brokers",
      BROKERS,
      "--log-level",
      "warn",
      ...args,
    ]);
    expect(made.status, made.stderr).to.equal(0);
    const before = (await consumeAll(Object.values(names))).length;
    expect(before).to.be.above(0);
    expect(describedTopicConfig(names.sale)).to.not.have.property("message.timestamp.after.max.ms");
    const result = runCli(
      [
        "--speed",
        "3600",
        "--duration",
        "600",
        "--seed",
        "7",
        "--brokers",
        BROKERS,
        "--create-topics",
        "never",
        "--log-level",
        "info",
        ...args,
      ],
      { timeout: 120_000 },
    );
    expect(result.status, result.stderr.slice(-1500)).to.equal(1);
    const lines = result.stderr.split("\n").filter((l) => / refuses? records stamped/.test(l));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      /topics e2e-ahead-existing-\w+-\w+.* refuse records stamped more than 1 hour ahead of the broker's clock \(message\.timestamp\.after\.max\.ms=3600000\), and this run stamps them up to 10 hours ahead \(--speed 3600\): raise the limit .*, run slower \(--speed\), or stamp records with the wall clock \(--record-timestamp wall/,
    );
    expect(result.stderr).to.not.match(/produced|delivered/);
    expect(await consumeAll(Object.values(names))).to.have.length(before);
    // The same run with wall-clock timestamps goes in whole.
    const wall = runCli(
      [
        "--speed",
        "3600",
        "--duration",
        "120",
        "--seed",
        "7",
        "--brokers",
        BROKERS,
        "--create-topics",
        "never",
        "--record-timestamp",
        "wall",
        "--log-level",
        "info",
        ...args,
      ],
      { timeout: 120_000 },
    );
    expect(wall.status, wall.stderr.slice(-1500)).to.equal(0);
    const totals = totalsOf(wall.stderr);
    expect(totals.produced).to.be.above(50);
    expect(totals).to.deep.include({ failed: 0, delivered: totals.produced });
  });

  it("should stop at once, in one line naming the topic and the limit, when a broker refuses records for their timestamp", () => {
    // Topics that refuse records more than an hour old, then a backfill of yesterday into them: every record is refused.
    const { args } = freshTopics("e2e-ahead-refused");
    const made = runCli([
      "--count",
      "1",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "7",
      "--brokers",
      BROKERS,
      "--topic-config",
      "message.timestamp.before.max.ms=3600000",
      "--log-level",
      "warn",
      ...args,
    ]);
    expect(made.status, made.stderr).to.equal(0);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    // Both ways of hearing of deliveries: a report per record, and reports of errors only (the default), whose failures
    // still queued at the stop must each be counted failed (a loaded clean-clone run once counted 24,660 of them delivered).
    for (const reports of ["all", "errors"]) {
      const result = runCli(
        [
          "--from",
          yesterday,
          "--count",
          "100000",
          "--min-delta",
          "0",
          "--max-delta",
          "0",
          "--seed",
          "7",
          "--brokers",
          BROKERS,
          "--create-topics",
          "never",
          "--delivery-reports",
          reports,
          "--log-level",
          "info",
          ...args,
        ],
        { timeout: 120_000 },
      );
      expect(result.status, result.stderr.slice(-1500)).to.equal(1);
      // One refused record in a batch is reported for its timestamp; several, each as invalid (librdkafka's code): either stops the run.
      expect(result.stderr, result.stderr.slice(-2500)).to.match(
        /stopping: topic e2e-ahead-refused-\w+-\w+: the broker refused (a record for its timestamp|records on checking them)\b.*message\.timestamp\.before\.max\.ms/,
      );
      const totals = totalsOf(result.stderr);
      // Stopped at once, not after producing the whole run into the refusal.
      expect(totals.primary, `${reports}: ${result.stderr.slice(-1500)}`).to.be.below(100_000);
      // The chain's reference rows go to compacted topics without the limit: only they are taken.
      expect(totals.delivered, reports).to.equal(referenceRecords());
      expect(totals.failed, reports).to.equal(totals.produced - referenceRecords());
    }
  });

  it("should deliver everything through a tiny librdkafka queue, holding the source at --max-in-flight instead of dropping (a report per record)", async () => {
    const { args, names } = freshTopics("e2e-bp");
    const result = runCli([
      "--count",
      "5000",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "5",
      "--brokers",
      BROKERS,
      "--delivery-reports",
      "all",
      "-X",
      "queue.buffering.max.messages=100",
      "--max-in-flight",
      "80",
      // About holding the source between events: version 1, without version 2's reference rows, written at start
      // in one burst the size of the chain.
      "--schema-version",
      "1",
      "--log-level",
      "warn",
      ...args,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    expect(totals.delivered).to.equal(totals.produced);
    const peak = Number(/peak in flight (\d+)/.exec(result.stderr)?.[1]);
    // The driver holds between ticks; one tick writes at most 4 records (sale, decrement, purchase, alert).
    expect(peak).to.be.within(1, 80 + 3);
    expect(await consumeAll(Object.values(names))).to.have.length(totals.delivered);
  });

  it("should hold the source at --max-in-flight through librdkafka's own queue when only errors are reported, and count exactly", async () => {
    const { args, names } = freshTopics("e2e-bp-errors");
    const result = runCli([
      "--count",
      "20000",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "5",
      "--brokers",
      BROKERS,
      "--max-in-flight",
      "500",
      "--log-level",
      "info",
      ...args,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    expect(totals.delivered).to.equal(totals.produced);
    // librdkafka's statistics saw it hold at most its queue (500) and what waited parked: one tick, whose largest
    // is a store checkout of 11 lines (the longest basket), each line a sale, a decrement and at most one alert,
    // and the buyer's purchase.
    expect(Number(/peak in flight (\d+)/.exec(result.stderr)?.[1])).to.be.within(1, 500 + 11 * 3 + 1);
    expect(await consumeAll(Object.values(names))).to.have.length(totals.delivered - referenceRecords());
  });

  it("should park and retry on QUEUE_FULL when librdkafka's queue is smaller than the in-flight mark, losing nothing", async () => {
    const { args, names } = freshTopics("e2e-qfull");
    const result = runCli([
      "--count",
      "5000",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "6",
      "--brokers",
      BROKERS,
      "-X",
      "queue.buffering.max.messages=50",
      "--log-level",
      "warn",
      ...args,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    expect(totals.delivered).to.equal(totals.produced);
    const consumed = await consumeAll(Object.values(names));
    expect(consumed).to.have.length(totals.delivered - referenceRecords());
    expect(new Set(consumed.map((m) => m.value.event_id)).size).to.equal(totals.delivered - referenceRecords());
  });

  it("should exit 1 with one clear line when the broker is unreachable at start", () => {
    const started = Date.now();
    const result = runCli(["--count", "10", "--brokers", "127.0.0.1:1", "--connect-timeout", "3", "--seed", "1"]);
    expect(result.status).to.equal(1);
    expect(Date.now() - started).to.be.below(10_000);
    expect(result.stderr).to.match(/^retail-stream: cannot reach Kafka at 127\.0\.0\.1:1: all brokers down/m);
    expect(result.stdout).to.equal("");
  });
});
