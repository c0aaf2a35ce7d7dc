import { expect } from "chai";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT, requireBuild, runCli } from "../support/cli.js";
import { BROKERS, createTopics, totalsOf } from "../support/kafka.js";
import { freshDatabase, query } from "../support/postgres.js";

const run = promisify(execFile);

/** A working morning with duplicates and late sales: the run every pipeline below is fed. */
const RUN = [
  "--seed",
  "5",
  "--from",
  "2026-11-02T08:00:00Z",
  "--to",
  "2026-11-02T14:00:00Z",
  "--truth",
  "--faults",
  "duplicate=0.02,late=0.1:20m",
  "--log-level",
  "warn",
];

interface Report {
  ok: boolean;
  expected: number;
  matched: number;
  differences: Array<{
    kind: string;
    window: string;
    key: string;
    expected: string | number | null;
    actual: string | number | null;
    duplicates?: string[];
    dropped?: string[];
    late?: string[];
  }>;
}

/**
 * `judge` over real pipelines: Apache Flink jobs (the embedded mini-cluster) reading a faulted run from Kafka
 * and writing their results to Kafka, and a PostgreSQL view over a `--sink postgres` run. The declared policy
 * of the Flink jobs: a 5-minute watermark emitted on every event, no allowed lateness, duplicates removed.
 */
describe("judge: real pipelines judged (Flink, PostgreSQL)", function () {
  this.timeout(900_000);
  const dir = mkdtempSync(join(tmpdir(), "rs-judge-e2e-"));
  const prefix = `e2e-judge-${randomUUID().slice(0, 8)}.`;
  const capture = join(dir, "run.jsonl");
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const judge = (mapping: string, args: string[]): { status: number | null; report: Report; stdout: string } => {
    const result = runCli(["judge", "--mapping", mapping, "--brokers", BROKERS, "--report", "json", ...args], {
      timeout: 120_000,
    });
    expect(result.stderr).to.equal("");
    return { status: result.status, report: JSON.parse(result.stdout) as Report, stdout: result.stdout };
  };
  const revenue = (): string => {
    const example = runCli(["judge", "--example", "revenue"]);
    expect(example.status, example.stderr).to.equal(0);
    return file("revenue.json", example.stdout);
  };
  const policy = ["--input", capture, "--watermark-delay", "5m", "--duplicates", "remove"];

  describe("Flink jobs over a faulted run", () => {
    before(async function () {
      requireBuild();
      // The same run twice: to Kafka (one partition, so the jobs read it in the order it was written), and as a
      // capture the judge reads the records and their faults from.
      const made = runCli(
        [
          ...RUN,
          "--topic-prefix",
          prefix,
          "--partitions",
          "1",
          "--topic-config",
          "retention.ms=-1",
          "--brokers",
          BROKERS,
        ],
        { timeout: 120_000 },
      );
      expect(made.status, made.stderr.slice(-1500)).to.equal(0);
      expect(totalsOf(made.stderr).failed).to.equal(0);
      const captured = runCli([...RUN, "--sink", "stdout", "--topic-prefix", prefix]);
      expect(captured.status, captured.stderr).to.equal(0);
      writeFileSync(capture, captured.stdout);
      const outputs = ["right", "twice", "short", "shifted"].map((name) => `${prefix}judge-${name}`);
      await createTopics([...outputs, `${prefix}judge-stock`], BROKERS);

      const kafka = (topic: string, more = ""): string =>
        `'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${BROKERS}'${more}`;
      const source = (name: string, watermarkMinutes: number): string => `
CREATE TABLE ${name} (
  event_id STRING, event_time TIMESTAMP_LTZ(3), store_id STRING, total_amount DECIMAL(12, 2),
  WATERMARK FOR event_time AS event_time - INTERVAL '${watermarkMinutes}' MINUTE
) WITH (${kafka(`${prefix}retail-sales-transactions`, ", 'scan.bounded.mode' = 'latest-offset', 'scan.startup.mode' = 'earliest-offset', 'properties.group.id' = 'judge-e2e', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601', 'scan.watermark.emit.strategy' = 'on-event'")});`;
      const sink = (name: string): string => `
CREATE TABLE out_${name} (window_start TIMESTAMP(3), store_id STRING, revenue DECIMAL(12, 2))
WITH (${kafka(`${prefix}judge-${name}`, ", 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601'")});`;
      // Deduplicated in hour windows: each event id once per store and window (a view), then summed, in a cascade
      // of window aggregations.
      const deduplicated = (job: string, table: string, offset = ""): string => `
CREATE TEMPORARY VIEW once_${job} AS
SELECT store_id, window_time AS rowtime, MAX(total_amount) AS amount
FROM TABLE(TUMBLE(TABLE ${table}, DESCRIPTOR(event_time), INTERVAL '1' HOUR${offset}))
GROUP BY window_start, window_end, window_time, store_id, event_id;
INSERT INTO out_${job}
SELECT window_start, store_id, SUM(amount) FROM TABLE(TUMBLE(TABLE once_${job}, DESCRIPTOR(rowtime), INTERVAL '1' HOUR${offset}))
GROUP BY window_start, window_end, store_id;`;
      const script = [
        source("sales", 5),
        source("sales_short", 0),
        ...["right", "twice", "short", "shifted"].map(sink),
        `CREATE TABLE inventory (store_id STRING, product_id STRING, stock_after INT, event_time TIMESTAMP_LTZ(3))
WITH (${kafka(`${prefix}retail-inventory-updates`, ", 'scan.bounded.mode' = 'latest-offset', 'scan.startup.mode' = 'earliest-offset', 'properties.group.id' = 'judge-e2e', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601'")});`,
        `CREATE TABLE stock_out (store_id STRING, product_id STRING, stock INT, PRIMARY KEY (store_id, product_id) NOT ENFORCED)
WITH ('connector' = 'upsert-kafka', 'topic' = '${prefix}judge-stock', 'properties.bootstrap.servers' = '${BROKERS}', 'key.format' = 'json', 'value.format' = 'json');`,
        deduplicated("right", "sales"),
        `INSERT INTO out_twice SELECT window_start, store_id, SUM(total_amount) FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(event_time), INTERVAL '1' HOUR)) GROUP BY window_start, window_end, store_id;`,
        deduplicated("short", "sales_short"),
        // Windows cut half an hour off, as a job in a time zone like India's (UTC+5:30) cuts them.
        deduplicated("shifted", "sales", ", INTERVAL '30' MINUTE"),
        `INSERT INTO stock_out SELECT store_id, product_id, stock_after FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY store_id, product_id ORDER BY event_time DESC) AS rn FROM inventory
) WHERE rn = 1;`,
      ].join("\n");
      const flink = await run(join(ROOT, "scripts", "flink-sql.sh"), [file("jobs.sql", script)], {
        maxBuffer: 1 << 26,
      }).catch((error: { stderr?: string }) => {
        throw new Error(`flink: ${String(error.stderr).slice(-3000)}`);
      });
      void flink;
    });

    it("should judge right the job that follows the declared policy", () => {
      const judged = judge(revenue(), ["--output-topic", `${prefix}judge-right`, ...policy]);
      expect(judged.report.differences, judged.stdout).to.deep.equal([]);
      expect(judged.status).to.equal(0);
      expect(judged.report.matched).to.be.above(20);
    });

    it("should judge wrong the job without deduplication: too high where duplicates are, naming them", () => {
      const judged = judge(revenue(), ["--output-topic", `${prefix}judge-twice`, ...policy]);
      expect(judged.status).to.equal(1);
      expect(judged.report.differences.length).to.be.above(0);
      for (const d of judged.report.differences) {
        expect(d.kind).to.equal("wrong");
        expect(Number(d.actual)).to.be.above(Number(d.expected));
        expect(d.duplicates?.length, JSON.stringify(d)).to.be.above(0);
      }
    });

    it("should judge wrong the job with a shorter watermark than declared: too low, naming the late records", () => {
      const judged = judge(revenue(), ["--output-topic", `${prefix}judge-short`, ...policy]);
      expect(judged.status).to.equal(1);
      expect(judged.report.differences.length).to.be.above(0);
      for (const d of judged.report.differences) {
        expect(Number(d.actual ?? 0)).to.be.below(Number(d.expected));
        expect(d.late?.length, JSON.stringify(d)).to.be.above(0);
      }
    });

    it("should judge wrong the job whose windows are cut in another time zone: every window", () => {
      const judged = judge(revenue(), ["--output-topic", `${prefix}judge-shifted`, ...policy]);
      expect(judged.status).to.equal(1);
      expect(judged.report.matched).to.equal(0);
      // Every row the job wrote is a window no one expects, and every expected window is missing.
      const kinds = judged.report.differences.map((d) => d.kind);
      expect(kinds.filter((k) => k === "extra").length).to.be.above(5);
      expect(kinds.filter((k) => k === "missing").length).to.equal(judged.report.expected);
      expect(kinds.every((k) => k === "extra" || k === "missing")).to.equal(true);
    });

    it("should judge an upsert job's closing stock per store × product by its last value per key", () => {
      const mapping = file(
        "stock.json",
        JSON.stringify({
          measure: "closing_stock",
          group: "store",
          window: "none",
          fields: { key: "store_id", product: "product_id", value: "stock" },
          semantics: "upsert",
        }),
      );
      const judged = judge(mapping, ["--output-topic", `${prefix}judge-stock`, "--truth", capture]);
      expect(judged.report.differences, judged.stdout.slice(0, 2000)).to.deep.equal([]);
      expect(judged.report.matched).to.be.above(300);
    });
  });

  describe("a PostgreSQL view over --sink postgres tables", () => {
    it("should judge a view of revenue per store and hour right against the run's truth, and a wrong view wrong", async () => {
      requireBuild();
      const url = await freshDatabase("judge");
      const truth = join(dir, "pg.truth.jsonl");
      const made = runCli(
        [...RUN.slice(0, 6), "--sink", "postgres", "--postgres", url, "--truth-file", truth, "--log-level", "warn"],
        { timeout: 120_000 },
      );
      expect(made.status, made.stderr).to.equal(0);
      await query(
        url,
        `CREATE VIEW revenue_per_store_hour AS
         SELECT date_trunc('hour', ordered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS window_start, store_id, SUM(total) AS revenue
         FROM retail.orders GROUP BY 1, 2`,
      );
      await query(
        url,
        `CREATE VIEW revenue_before_tax AS
         SELECT window_start, store_id, round(revenue / 1.08, 2) AS revenue FROM revenue_per_store_hour`,
      );
      const mapping = revenue();
      const right = runCli([
        "judge",
        "--mapping",
        mapping,
        "--postgres",
        url,
        "--output-query",
        "revenue_per_store_hour",
        "--truth",
        truth,
      ]);
      expect(right.status, right.stdout + right.stderr).to.equal(0);
      expect(right.stdout).to.match(/^judge: OK/);
      const wrong = runCli([
        "judge",
        "--mapping",
        mapping,
        "--postgres",
        url,
        "--output-query",
        "SELECT * FROM revenue_before_tax",
        "--truth",
        truth,
      ]);
      expect(wrong.status).to.equal(1);
      expect(wrong.stdout).to.match(/^judge: WRONG — revenue by store: 0 of \d+ expected cells match/);
    });
  });
});
