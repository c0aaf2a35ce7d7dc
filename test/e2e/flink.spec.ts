import { expect } from "chai";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CategoryTruth, StoreTruth, TruthRow } from "../../src/model/truth.js";
import { ROOT, requireBuild, runCli } from "../support/cli.js";
import { BROKERS, consumeText, totalsOf } from "../support/kafka.js";

const run = promisify(execFile);
const cents = (amount: string | number): number => Math.round(Number(amount) * 100);
/** Flink prints a window's start as a local date-time in the job's zone (UTC): 2026-11-02T12:00. */
const hour = (iso: string): string => iso.slice(0, 16);

/**
 * Apache Flink (an embedded mini-cluster, the jars from Maven Central) runs the
 * tables `schemas --format flink-sql` prints and the queries of
 * docs/sql/flink-queries.sql over a seeded run in the default schema version (3);
 * every row is checked against the run's ground truth, read back from its truth topic.
 */
describe("Flink SQL over a run (the default schema version)", function () {
  this.timeout(600_000);
  before(requireBuild);

  it("should compute revenue and checkouts per store per hour, net revenue after refunds, revenue per category through a temporal join, and the final stock, all equal to the truth", async () => {
    const prefix = `e2e-flink-${randomUUID().slice(0, 8)}.`;
    const made = runCli(
      [
        "--seed",
        "11",
        // Four days at a quiet pace (100–500 s gaps): long enough for goods to come back and orders to be refunded.
        "--from",
        "2026-11-02T00:00:00Z",
        "--to",
        "2026-11-06T00:00:00Z",
        "--min-delta",
        "100",
        "--max-delta",
        "500",
        "--truth",
        "--topic-prefix",
        prefix,
        "--partitions",
        "3",
        "--topic-config",
        "retention.ms=-1",
        "--brokers",
        BROKERS,
        "--log-level",
        "info",
      ],
      { timeout: 120_000 },
    );
    expect(made.status, made.stderr.slice(-1500)).to.equal(0);
    expect(totalsOf(made.stderr).failed).to.equal(0);

    const ddl = runCli([
      "schemas",
      "--format",
      "flink-sql",
      "--bounded",
      "--topic-prefix",
      prefix,
      "--brokers",
      BROKERS,
    ]);
    expect(ddl.status, ddl.stderr).to.equal(0);
    const script = join(mkdtempSync(join(tmpdir(), "rs-flink-")), "job.sql");
    writeFileSync(script, ddl.stdout + "\n" + readFileSync(join(ROOT, "docs", "sql", "flink-queries.sql"), "utf8"));
    const flink = await run(join(ROOT, "scripts", "flink-sql.sh"), [script], { maxBuffer: 1 << 28 });
    const rows = (name: string): string[][] =>
      flink.stdout
        .split("\n")
        .filter((l) => l.startsWith(`${name}\t`))
        .map((l) => l.split("\t").slice(1));

    const truth = (await consumeText([`${prefix}retail-truth`])).map((r) => JSON.parse(r.text) as TruthRow);
    const storeRows = truth.filter((r): r is StoreTruth => r.kind === "store" && r.sales > 0);
    const categoryRows = truth.filter((r): r is CategoryTruth => r.kind === "category");
    expect(storeRows.length).to.be.above(50);
    expect(categoryRows.length).to.be.above(30);

    // Revenue and checkouts per store per hour: insert-only rows, one per store and window.
    const perStore = new Map(
      rows("revenue_per_store_hour").map(([kind, store, start, revenue, transactions]) => {
        expect(kind).to.equal("+I");
        return [`${store} ${start}`, { revenue: cents(revenue as string), transactions: Number(transactions) }];
      }),
    );
    const expectedStore = new Map(
      storeRows.map((r) => [
        `${r.store_id} ${hour(r.window_start)}`,
        { revenue: cents(r.revenue), transactions: r.transactions },
      ]),
    );
    expect(perStore).to.deep.equal(expectedStore);

    // Net revenue per store per hour: sales less the refunds the store paid out (returns, refunded orders), to the cent.
    const net = new Map(
      rows("net_revenue_per_store_hour").map(([kind, store, start, revenue]) => {
        expect(kind).to.equal("+I");
        return [`${store} ${start}`, cents(revenue as string)];
      }),
    );
    const moved = truth.filter(
      (r): r is StoreTruth => r.kind === "store" && (r.sales > 0 || cents(r.refunds ?? 0) > 0),
    );
    expect(moved.filter((r) => cents(r.refunds ?? 0) > 0).length, "store-hours with refunds").to.be.above(10);
    expect(net).to.deep.equal(
      new Map(moved.map((r) => [`${r.store_id} ${hour(r.window_start)}`, cents(r.net_revenue ?? 0)])),
    );

    // Revenue per category per hour, each sale's category from the products table as of the sale.
    const perCategory = new Map(
      rows("revenue_per_category_hour").map(([, category, start, revenue, lines, units]) => [
        `${category} ${start}`,
        { revenue: cents(revenue as string), lines: Number(lines), units: Number(units) },
      ]),
    );
    const expectedCategory = new Map(
      categoryRows.map((r) => [
        `${r.category} ${hour(r.window_start)}`,
        { revenue: cents(r.revenue), lines: r.lines, units: r.units },
      ]),
    );
    expect(perCategory).to.deep.equal(expectedCategory);

    // The final stock of every store × product from the upsert table's changelog, against the truth's closing stock (its latest window).
    const stock = new Map<string, number>();
    for (const [kind, store, product, after] of rows("stock")) {
      if (kind === "+I" || kind === "+U") stock.set(`${store}/${product}`, Number(after));
      else if (kind === "-D") stock.delete(`${store}/${product}`);
    }
    const closing = new Map<string, number>();
    for (const row of [...truth]
      .filter((r): r is StoreTruth => r.kind === "store")
      .sort((a, b) => a.window_start.localeCompare(b.window_start))) {
      for (const [product, level] of Object.entries(row.closing_stock))
        closing.set(`${row.store_id}/${product}`, level);
    }
    expect(closing.size).to.be.above(500);
    expect(stock).to.deep.equal(closing);
  });
});
