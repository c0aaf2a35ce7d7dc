import { expect } from "chai";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readChain } from "../../src/data/chainFiles.js";
import type { RetailEvent } from "../../src/model/events.js";
import type { ChainTruth, ChannelTruth, StoreTruth, TruthRow } from "../../src/model/truth.js";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";

const HOUR = 3_600_000;
const WEEK = [
  "--sink",
  "stdout",
  "--from",
  "2026-11-02T00:00:00Z",
  "--to",
  "2026-11-09T00:00:00Z",
  "--seed",
  "11",
  "--log-level",
  "warn",
  "--truth",
];
const channelOf = new Map(readChain().stores.map((s) => [s.store_id, s.channel ?? "store"]));

interface Line {
  topic: string;
  key: string;
  value: RetailEvent | TruthRow;
}
interface Figures {
  sales: number;
  transactions: Set<string>;
  units: number;
  cents: number;
  entered: number;
  stock: Record<string, number>;
}

/** The test's own tally: per hour (by event_time) and store, straight from the event lines. */
function recompute(events: RetailEvent[]): Map<string, Figures> {
  const tallies = new Map<string, Figures>();
  for (const e of events) {
    const start = new Date(Math.floor(Date.parse(e.event_time) / HOUR) * HOUR).toISOString();
    const key = `${start}/${e.store_id}`;
    const t = tallies.get(key) ?? {
      sales: 0,
      transactions: new Set<string>(),
      units: 0,
      cents: 0,
      entered: 0,
      stock: {},
    };
    tallies.set(key, t);
    if (e.event_type === "sale") {
      t.sales += 1;
      t.transactions.add(e.transaction_id);
      t.units += e.quantity;
      t.cents += Math.round(e.total_amount * 100);
    }
    if (e.event_type === "customer_event" && e.action === "enter") t.entered += 1;
    if (e.event_type === "inventory_update") t.stock[e.product_id] = e.stock_after;
  }
  return tallies;
}

const basket = (cents: number, transactions: number): number | null =>
  transactions === 0 ? null : Math.round(cents / transactions) / 100;

/** Splits a run's lines into its events and its truth rows. */
function split(stdout: string): { events: RetailEvent[]; rows: TruthRow[] } {
  const lines = jsonLines<Line>(stdout);
  return {
    events: lines.filter((l) => l.topic !== "retail-truth").map((l) => l.value as RetailEvent),
    rows: lines.filter((l) => l.topic === "retail-truth").map((l) => l.value as TruthRow),
  };
}

/** Asserts that the truth rows (of one run or of every shard's) equal the test's tally of `events`. */
function expectTruthOf(events: RetailEvent[], rows: TruthRow[]): void {
  const expected = recompute(events);
  const stores = rows.filter((r): r is StoreTruth => r.kind === "store");
  expect(stores.map((r) => `${r.window_start}/${r.store_id}`).sort()).to.deep.equal([...expected.keys()].sort());
  for (const row of stores) {
    const t = expected.get(`${row.window_start}/${row.store_id}`) as Figures;
    expect(
      {
        sales: row.sales,
        transactions: row.transactions,
        units: row.units,
        cents: Math.round(row.revenue * 100),
        entered: row.customers_entered,
        basket: row.avg_basket,
        stock: row.closing_stock,
      },
      `${row.window_start} ${row.store_id}`,
    ).to.deep.equal({
      sales: t.sales,
      transactions: t.transactions.size,
      units: t.units,
      cents: t.cents,
      entered: t.entered,
      basket: basket(t.cents, t.transactions.size),
      stock: t.stock,
    });
  }
  // Channel rows of every shard, summed per window and channel, equal the tally of the channel's stores.
  const channels = new Map<string, { sales: number; units: number; cents: number; entered: number }>();
  for (const row of rows.filter((r): r is ChannelTruth => r.kind === "channel")) {
    const key = `${row.window_start}/${row.channel}`;
    const sum = channels.get(key) ?? { sales: 0, units: 0, cents: 0, entered: 0 };
    channels.set(key, {
      sales: sum.sales + row.sales,
      units: sum.units + row.units,
      cents: sum.cents + Math.round(row.revenue * 100),
      entered: sum.entered + row.customers_entered,
    });
  }
  for (const [key, sum] of channels) {
    const [window, channel] = key.split("/") as [string, string];
    const mine = [...expected]
      .filter(([k]) => k.startsWith(`${window}/`) && channelOf.get(k.slice(window.length + 1)) === channel)
      .map(([, t]) => t);
    expect(sum, key).to.deep.equal({
      sales: mine.reduce((a, t) => a + t.sales, 0),
      units: mine.reduce((a, t) => a + t.units, 0),
      cents: mine.reduce((a, t) => a + t.cents, 0),
      entered: mine.reduce((a, t) => a + t.entered, 0),
    });
  }
  // Chain rows: events by type per window.
  const counted = new Map<string, number>();
  for (const row of rows.filter((r): r is ChainTruth => r.kind === "chain")) {
    for (const [type, n] of Object.entries(row.events))
      counted.set(`${row.window_start} ${type}`, (counted.get(`${row.window_start} ${type}`) ?? 0) + n);
  }
  const byType = new Map<string, number>();
  for (const e of events) {
    const key = `${new Date(Math.floor(Date.parse(e.event_time) / HOUR) * HOUR).toISOString()} ${e.event_type}`;
    byType.set(key, (byType.get(key) ?? 0) + 1);
  }
  expect(new Map([...counted].filter(([, n]) => n > 0))).to.deep.equal(byType);
}

describe("--truth: the ground truth of a run", function () {
  this.timeout(180_000);
  before(requireBuild);

  it("should equal the test's own tally of a week's backfill, per hour and store, channel and type", () => {
    const run = runCli(WEEK);
    expect(run.status, run.stderr).to.equal(0);
    const { events, rows } = split(run.stdout);
    expect(events.length).to.be.above(30_000);
    const chainRows = rows.filter((r) => r.kind === "chain");
    expect(chainRows).to.have.length(7 * 24);
    expect(chainRows.every((r) => r.complete)).to.equal(true);
    expectTruthOf(events, rows);
  });

  it("should cover each shard's stores, the shards' truth adding up to the tally of their streams together", () => {
    const shards = [0, 1, 2].map((i) => {
      const run = runCli([...WEEK, "--to", "2026-11-04T00:00:00Z", "--shard", `${i}/3`]);
      expect(run.status, run.stderr).to.equal(0);
      return split(run.stdout);
    });
    const rows = shards.flatMap((s) => s.rows);
    expect(new Set(rows.filter((r): r is ChainTruth => r.kind === "chain").map((r) => r.shard))).to.deep.equal(
      new Set(["0/3", "1/3", "2/3"]),
    );
    expectTruthOf(
      shards.flatMap((s) => s.events),
      rows,
    );
  });

  it("should write the same rows to --truth-file, in windows of --truth-window minutes, as it would to the truth topic", () => {
    const file = join(mkdtempSync(join(tmpdir(), "truth-")), "truth.jsonl");
    const args = [
      "--sink",
      "stdout",
      "--from",
      "2026-11-02T00:00:00Z",
      "--to",
      "2026-11-02T06:00:00Z",
      "--seed",
      "5",
      "--log-level",
      "warn",
      "--truth-window",
      "30",
    ];
    const toTopic = runCli([...args, "--truth"]);
    const toFile = runCli([...args, "--truth-file", file]);
    expect(toFile.status, toFile.stderr).to.equal(0);
    const fileRows = jsonLines<TruthRow>(readFileSync(file, "utf8"));
    expect(fileRows.filter((r) => r.kind === "chain")).to.have.length(12);
    expect(fileRows).to.deep.equal(split(toTopic.stdout).rows);
    expect(split(toFile.stdout).rows).to.deep.equal([]);
  });
});
