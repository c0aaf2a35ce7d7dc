import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";
import { Duck } from "../support/duck.js";

const LEAD_MS = 4 * 3600_000;
const SPAN = ["--from", "2026-11-02T00:00:00Z", "--to", "2026-11-06T00:00:00Z", "--seed", "11"];

/** The weekday scenario with every kind of anomaly, at a rate a day and dated. */
function scenarioWithAnomalies(): object {
  const weekday = JSON.parse(readFileSync("data/scenarios/weekday.json", "utf8")) as object;
  return {
    ...weekday,
    anomalies: [
      { kind: "shrinkage", perDay: 1 },
      { kind: "card_testing", perDay: 1 },
      { kind: "stockout", perDay: 1 },
      { kind: "pricing_error", perDay: 1 },
      { kind: "demand_spike", perDay: 2 },
      { kind: "pricing_error", at: "day+1T12:00Z", store: "S002", product: "P0007", priceFactor: 0.05 },
      { kind: "shrinkage", at: "2026-11-04T15:30:00Z", store: "S005", durationMinutes: 60, acts: 12 },
    ],
  };
}

interface Label {
  label_id: string;
  kind: string;
  start_time: number;
  end_time: number;
  store_id: string;
  product_id: string | null;
  customer_id: string | null;
  event_ids: string[];
  events: number;
}

describe("anomalies on purpose: labelled, and every labelled event shows its anomaly (DuckDB reads the files)", function () {
  this.timeout(240_000);
  let dir: string;
  let duck: Duck;
  let labels: Label[];
  let stdoutLabels: Array<{ value: Label }>;
  let stdoutText: string;

  before(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), "retail-anomalies-"));
    const scenario = join(dir, "anomalies.json");
    writeFileSync(scenario, JSON.stringify(scenarioWithAnomalies()));
    const files = runCli(
      ["--sink", "files", "--files-dir", join(dir, "out"), "--scenario", scenario, "--truth", ...SPAN],
      {
        timeout: 120_000,
      },
    );
    expect(files.status, files.stderr).to.equal(0);
    expect(files.stderr).to.match(/; anomaly labels \d+;/);
    const stdout = runCli(["--sink", "stdout", "--scenario", scenario, "--truth", ...SPAN], { timeout: 120_000 });
    expect(stdout.status, stdout.stderr).to.equal(0);
    stdoutText = stdout.stdout;
    stdoutLabels = jsonLines(stdout.stdout).filter(
      (line) => (line as { headers: { event_type: string } }).headers.event_type === "label",
    ) as Array<{ value: Label }>;
    duck = await Duck.open();
    const read = (dataset: string): string =>
      `read_parquet('${join(dir, "out", dataset)}/*/*.parquet', hive_partitioning = true)`;
    for (const type of ["sale", "inventory_update", "payment", "restock_alert", "price_change", "labels"])
      await duck.rows(`CREATE VIEW ${type} AS SELECT * FROM ${read(type)}`);
    await duck.rows(`CREATE VIEW products AS SELECT * FROM read_parquet('${join(dir, "out", "products")}/*.parquet')`);
    await duck.rows(
      `CREATE VIEW events AS SELECT event_id FROM sale UNION ALL SELECT event_id FROM inventory_update
       UNION ALL SELECT event_id FROM payment UNION ALL SELECT event_id FROM restock_alert`,
    );
    await duck.rows(`CREATE VIEW labelled AS SELECT l.kind, l.label_id, unnest(l.event_ids) AS event_id FROM labels l`);
    // The price in force for each sale: the store's last price change of the product before it, else its base price.
    await duck.rows(
      `CREATE VIEW priced AS
       SELECT s.event_id, s.store_id, s.product_id, s.event_time, s.unit_price,
              coalesce((SELECT c.new_price FROM price_change c WHERE c.store_id = s.store_id
                          AND c.product_id = s.product_id AND c.event_time <= s.event_time
                        ORDER BY c.event_time DESC LIMIT 1),
                       (SELECT p.base_price FROM products p WHERE p.product_id = s.product_id)) AS in_force
       FROM sale s`,
    );
    labels = await duck.rows<Label>(
      `SELECT label_id, kind, epoch_ms(start_time)::DOUBLE AS start_time, epoch_ms(end_time)::DOUBLE AS end_time, store_id,
              product_id, customer_id, event_ids, events::INTEGER AS events FROM labels ORDER BY start_time`,
    );
  });
  after(() => {
    duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should label every kind, the dated ones where the scenario put them, the same labels on stdout", () => {
    expect(new Set(labels.map((l) => l.kind))).to.have.keys(
      "shrinkage",
      "card_testing",
      "stockout",
      "pricing_error",
      "demand_spike",
    );
    const dated = labels.find((l) => l.kind === "pricing_error" && l.store_id === "S002" && l.product_id === "P0007");
    expect(dated?.start_time).to.equal(Date.parse("2026-11-03T12:00:00Z"));
    const theft = labels.find((l) => l.kind === "shrinkage" && l.store_id === "S005");
    expect([theft?.start_time, theft?.end_time]).to.deep.equal([
      Date.parse("2026-11-04T15:30:00Z"),
      Date.parse("2026-11-04T16:30:00Z"),
    ]);
    expect(theft?.events).to.equal(12);
    expect(stdoutLabels.map((l) => l.value.label_id).sort()).to.deep.equal(labels.map((l) => l.label_id).sort());
    for (const label of labels) {
      expect(label.end_time, label.label_id).to.be.at.least(label.start_time);
      expect(label.event_ids, label.label_id).to.have.length(label.events);
      expect(label.events, label.label_id).to.be.greaterThan(0);
    }
  });

  it("should have every labelled event written, once", async () => {
    const [missing] = await duck.rows<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM labelled WHERE event_id NOT IN (SELECT event_id FROM events)",
    );
    expect(missing?.n).to.equal(0);
    const [twice] = await duck.rows<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM (SELECT event_id FROM labelled GROUP BY event_id HAVING count(*) > 1)",
    );
    expect(twice?.n).to.equal(0);
  });

  it("should show each anomaly in its labelled events, inside its window and store", async () => {
    const off = await duck.rows<{ label_id: string; kind: string; event_id: string }>(
      `SELECT l.label_id, l.kind, l.event_id FROM (SELECT *, unnest(event_ids) AS event_id FROM labels) l
       LEFT JOIN inventory_update i ON i.event_id = l.event_id
       LEFT JOIN payment p ON p.event_id = l.event_id
       LEFT JOIN priced s ON s.event_id = l.event_id
       WHERE NOT CASE l.kind
         WHEN 'shrinkage' THEN i.reason = 'theft' AND i.store_id = l.store_id AND i.quantity_change < 0
           AND i.event_time BETWEEN l.start_time AND l.end_time
         WHEN 'card_testing' THEN p.status = 'declined' AND p.customer_id = l.customer_id AND p.amount < 5
           AND p.event_time BETWEEN l.start_time AND l.end_time
         WHEN 'pricing_error' THEN s.store_id = l.store_id AND s.product_id = l.product_id
           AND s.unit_price <= 0.5 * s.in_force AND s.event_time BETWEEN l.start_time AND l.end_time
         WHEN 'demand_spike' THEN s.store_id = l.store_id AND s.product_id = l.product_id
           AND s.event_time BETWEEN l.start_time AND l.end_time
         WHEN 'stockout' THEN i.store_id = l.store_id AND i.product_id = l.product_id
           AND ((i.reason <> 'receipt' AND i.stock_after = 0) OR i.reason = 'receipt')
         ELSE false END IS TRUE`,
    );
    expect(off, JSON.stringify(off.slice(0, 5))).to.deep.equal([]);
    // A stock-out's delivery comes later than the lead time after its alert, at the episode's end.
    const late = await duck.rows<{ label_id: string; waited: number; end_gap: number }>(
      `SELECT l.label_id, (epoch_ms(i.event_time) - epoch_ms(a.event_time))::DOUBLE AS waited,
              (epoch_ms(l.end_time) - epoch_ms(i.event_time))::DOUBLE AS end_gap
       FROM (SELECT *, unnest(event_ids) AS event_id FROM labels WHERE kind = 'stockout') l
       JOIN inventory_update i ON i.event_id = l.event_id AND i.reason = 'receipt'
       JOIN restock_alert a ON a.event_id = i.source_event_id`,
    );
    const stockouts = labels.filter((l) => l.kind === "stockout" && l.end_time < Date.parse("2026-11-06T00:00:00Z"));
    expect(late.length).to.be.at.least(stockouts.length).and.greaterThan(0);
    for (const row of late) {
      expect(row.waited, row.label_id).to.be.greaterThan(LEAD_MS);
      expect(row.end_gap, row.label_id).to.equal(0);
    }
    // A spike: more sales of its product at its store in the window than in any window as long on other days.
    const spikes = await duck.rows<{ label_id: string; inside: number; usual: number }>(
      `SELECT l.label_id,
              (SELECT count(*) FROM sale s WHERE s.store_id = l.store_id AND s.product_id = l.product_id
                 AND s.event_time BETWEEN l.start_time AND l.end_time)::DOUBLE AS inside,
              (SELECT count(*) FROM sale s WHERE s.store_id = l.store_id AND s.product_id = l.product_id)
                 * (epoch_ms(l.end_time) - epoch_ms(l.start_time)) / (4 * 86400000.0)::DOUBLE AS usual
       FROM labels l WHERE kind = 'demand_spike' AND events >= 3`,
    );
    expect(spikes.length).to.be.greaterThan(0);
    for (const spike of spikes) expect(spike.inside, spike.label_id).to.be.greaterThan(3 * spike.usual);
  });

  it("should show no anomaly in events no label names", async () => {
    const unlabelled = "event_id NOT IN (SELECT event_id FROM labelled)";
    const [cheap] = await duck.rows<{ n: number; all: number }>(
      `SELECT count(*) FILTER (WHERE unit_price < 0.5 * in_force)::INTEGER AS n, count(*)::INTEGER AS "all" FROM priced WHERE ${unlabelled}`,
    );
    expect(cheap?.all).to.be.greaterThan(1000);
    expect(cheap?.n).to.equal(0);
    const [slow] = await duck.rows<{ n: number; all: number }>(
      `SELECT count(*) FILTER (WHERE epoch_ms(i.event_time) - epoch_ms(a.event_time) <> ${LEAD_MS})::INTEGER AS n, count(*)::INTEGER AS "all"
       FROM inventory_update i JOIN restock_alert a ON a.event_id = i.source_event_id
       WHERE i.reason = 'receipt' AND i.${unlabelled}`,
    );
    expect(slow?.all).to.be.greaterThan(50);
    expect(slow?.n).to.equal(0);
    const tries = await duck.rows<{ customer_id: string; n: number }>(
      `SELECT customer_id, date_trunc('hour', event_time) AS hour, count(*)::INTEGER AS n FROM payment
       WHERE status = 'declined' AND ${unlabelled} GROUP BY ALL HAVING count(*) > 3`,
    );
    expect(tries).to.deep.equal([]);
    const thefts = await duck.rows<{ store_id: string; n: number }>(
      `SELECT store_id, date_trunc('hour', event_time) AS hour, count(*)::INTEGER AS n FROM inventory_update
       WHERE reason = 'theft' AND ${unlabelled} GROUP BY ALL HAVING count(*) >= 8`,
    );
    expect(thefts).to.deep.equal([]);
  });

  it("should keep every shelf's stock consistent through the anomalies: each update adds to the one before", async () => {
    const [broken] = await duck.rows<{ n: number; all: number }>(
      `SELECT count(*) FILTER (WHERE previous + quantity_change <> stock_after)::INTEGER AS n, count(*)::INTEGER AS "all" FROM (
         SELECT quantity_change, stock_after,
                lag(stock_after) OVER (PARTITION BY store_id, product_id ORDER BY event_time, event_id) AS previous
         FROM inventory_update) WHERE previous IS NOT NULL`,
    );
    expect(broken?.all).to.be.greaterThan(10_000);
    expect(broken?.n).to.equal(0);
  });

  it("should pass verify, what the labelled events show counted as meant, and fail it without the labels", () => {
    const withLabels = join(dir, "with-labels.jsonl");
    writeFileSync(withLabels, stdoutText);
    const verified = runCli(["verify", "--input", withLabels]);
    expect(verified.status, verified.stdout).to.equal(0);
    expect(verified.stdout).to.match(/ok {3}prices .*\((\d+) in labelled anomalies\)/);
    expect(verified.stdout).to.match(/ok {3}restocks .*\((\d+) in labelled anomalies\)/);
    expect(verified.stdout).to.match(/ok {3}truth /);
    const withoutLabels = join(dir, "without-labels.jsonl");
    writeFileSync(
      withoutLabels,
      stdoutText
        .split("\n")
        .filter((line) => !line.includes('"event_type":"label"'))
        .join("\n"),
    );
    const unlabelled = runCli(["verify", "--input", withoutLabels]);
    expect(unlabelled.status).to.equal(1);
    expect(unlabelled.stdout).to.match(/FAIL prices/);
    expect(unlabelled.stdout).to.match(/FAIL restocks/);
  });

  it("should make the same events and labels however the run is split (three shards)", () => {
    const scenario = join(dir, "anomalies.json");
    const withoutTruth = (text: string): string[] =>
      text
        .trimEnd()
        .split("\n")
        .filter((line) => !line.includes('"event_type":"truth"'))
        .sort();
    const shards = [0, 1, 2].flatMap((i) => {
      const shard = runCli(["--sink", "stdout", "--scenario", scenario, "--shard", `${i}/3`, ...SPAN], {
        timeout: 120_000,
      });
      expect(shard.status, shard.stderr).to.equal(0);
      return withoutTruth(shard.stdout);
    });
    expect(shards.sort()).to.deep.equal(withoutTruth(stdoutText));
    expect(shards.filter((line) => line.includes('"event_type":"label"'))).to.have.length(labels.length);
  });
});
