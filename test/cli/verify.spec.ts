import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";

interface Line {
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: Record<string, unknown>;
}

const DAY = [
  "--sink",
  "stdout",
  "--from",
  "2026-11-02T00:00:00Z",
  "--to",
  "2026-11-03T00:00:00Z",
  "--log-level",
  "warn",
  "--truth",
];
const dir = mkdtempSync(join(tmpdir(), "verify-"));
let serial = 0;

/** Writes lines to a file and runs `verify --input` on it. */
function verifyLines(
  lines: readonly Line[],
  extra: string[] = [],
): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, `run-${(serial += 1)}.jsonl`);
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return runCli(["verify", "--input", file, ...extra]);
}

const onTopic = (lines: readonly Line[], topic: string): number[] =>
  lines.flatMap((l, i) => (l.topic === topic ? [i] : []));

describe("verify: the checker of what a run wrote", function () {
  this.timeout(120_000);
  let day: Line[] = [];
  before(() => {
    requireBuild();
    const run = runCli([...DAY, "--seed", "21"]);
    expect(run.status, run.stderr).to.equal(0);
    day = jsonLines<Line>(run.stdout);
  });

  it("should pass a clean run, each check saying what it covered", () => {
    const result = verifyLines(day);
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    const sales = day.filter((l) => l.topic === "retail-sales-transactions").length;
    expect(result.stdout).to.include(`ok   decrements ${sales} sales, each with one decrement`);
    for (const check of ["schema", "event ids", "ledger", "restocks", "prices", "truth"])
      expect(result.stdout).to.match(new RegExp(`ok {3}${check}`));
    expect(result.stdout).to.match(/verify: OK — \d+ records/);
  });

  it("should have truth rows that a recount of the run's own sales, made here without the generator's code, agrees with", () => {
    type Row = {
      kind: string;
      window_start: string;
      window_end: string;
      store_id?: string;
      sales: number;
      units: number;
      revenue: number;
    };
    const rows = day
      .filter((l) => l.topic === "retail-truth")
      .map((l) => l.value as unknown as Row)
      .filter((r) => r.kind === "store");
    const sales = day
      .filter((l) => l.topic === "retail-sales-transactions")
      .map(
        (l) => l.value as unknown as { store_id: string; event_time: string; quantity: number; total_amount: number },
      );
    expect(rows.length).to.be.above(100);
    let compared = 0;
    for (const row of rows) {
      const [from, to] = [Date.parse(row.window_start), Date.parse(row.window_end)];
      const mine = sales.filter(
        (s) => s.store_id === row.store_id && Date.parse(s.event_time) >= from && Date.parse(s.event_time) < to,
      );
      const cents = mine.reduce((sum, s) => sum + Math.round(s.total_amount * 100), 0);
      expect(
        [mine.length, mine.reduce((n, s) => n + s.quantity, 0), cents],
        `${row.store_id} ${row.window_start}`,
      ).to.deep.equal([row.sales, row.units, Math.round(row.revenue * 100)]);
      compared += mine.length;
    }
    // Every sale of the run falls in some store's window.
    expect(compared).to.equal(sales.length);
  });

  it("should read a run written with --topic-prefix, told the same prefix", () => {
    const run = runCli([
      ...DAY.map((a) => (a === "2026-11-03T00:00:00Z" ? "2026-11-02T06:00:00Z" : a)),
      "--seed",
      "3",
      "--topic-prefix",
      "dev.",
    ]);
    expect(run.status, run.stderr).to.equal(0);
    const lines = jsonLines<Line>(run.stdout);
    expect([...new Set(lines.map((l) => l.topic))].every((t) => t.startsWith("dev.retail-"))).to.equal(true);
    const verified = verifyLines(lines, ["--topic-prefix", "dev."]);
    expect(verified.status, verified.stdout + verified.stderr).to.equal(0);
    expect(verified.stdout).to.match(/ok {3}truth/);
  });

  it("should pass three shards' runs read together, their truth rows summed", () => {
    const shards = ["0/3", "1/3", "2/3"].flatMap((shard) => {
      const run = runCli([...DAY, "--seed", "21", "--shard", shard]);
      expect(run.status, run.stderr).to.equal(0);
      return jsonLines<Line>(run.stdout);
    });
    const result = verifyLines(shards);
    expect(result.status, result.stdout).to.equal(0);
  });

  it("should fail a run with one sale dropped, one duplicated and one altered, naming each", () => {
    const sales = onTopic(day, "retail-sales-transactions");
    const [dropped, duplicated, altered] = [sales[10], sales[20], sales[30]] as [number, number, number];
    const bad: Line[] = [];
    day.forEach((line, i) => {
      if (i === dropped) return;
      if (i === altered) {
        const unitPrice = Math.round(((line.value.unit_price as number) + 1) * 100) / 100;
        bad.push({
          ...line,
          value: {
            ...line.value,
            unit_price: unitPrice,
            total_amount: Math.round(unitPrice * (line.value.quantity as number) * 100) / 100,
          },
        });
        return;
      }
      bad.push(line);
      if (i === duplicated) bad.push(line);
    });
    const result = verifyLines(bad);
    expect(result.status).to.equal(1);
    const id = (i: number): string => (day[i] as Line).value.event_id as string;
    expect(result.stdout).to.match(
      new RegExp(
        `event ids: event_id ${id(duplicated)} again \\(first at retail-sales-transactions/0@\\d+\\) at retail-sales-transactions/0@\\d+`,
      ),
    );
    expect(result.stdout).to.include(`decrements: decrement of sale ${id(dropped)}, which was not read`);
    expect(result.stdout).to.match(
      new RegExp(`prices: sale ${id(altered)} of \\S+ at [\\d.]+; the price in force was`),
    );
    expect(result.stdout).to.match(/truth: \S+ \S+: .*revenue [\d.]+≠[\d.]+ \(truth≠events read\)/);
    expect(result.stdout).to.match(/verify: FAILED — \d+ violations/);
  });

  it("should find a ledger that does not add up, an alert without a crossing, and a value that breaks its schema", () => {
    const updates = onTopic(day, "retail-inventory-updates");
    const alert = onTopic(day, "retail-restock-alerts")[0] as number;
    // The second update of a store × product: the first is where the ledger's reading starts.
    const cell = (i: number): string => `${(day[i] as Line).value.store_id}/${(day[i] as Line).value.product_id}`;
    const target = updates.find((i, k) => updates.slice(0, k).some((j) => cell(j) === cell(i))) as number;
    const bad = day.map((line, i): Line => {
      if (i === target)
        return { ...line, value: { ...line.value, stock_after: (line.value.stock_after as number) + 3 } };
      if (i === alert)
        return { ...line, value: { ...line.value, current_stock: (line.value.current_stock as number) + 1 } };
      return line;
    });
    const first = day[updates[0] as number] as Line;
    bad.push({ ...first, value: { ...first.value, event_id: "not-an-id" } });
    const result = verifyLines(bad, ["--show", "50"]);
    expect(result.status).to.equal(1);
    expect(result.stdout).to.match(/ledger: \S+: stock was \d+, then \S+ \(\w+ [+-]\d+\) says it left \d+/);
    expect(result.stdout).to.match(/restocks: alert \S+ \(\S+ at \d+ ≤ \d+\) follows no crossing/);
    expect(result.stdout).to.match(
      /schema: inventory_update: \/event_id: must match pattern .* got "not-an-id" at retail-inventory-updates\/0@\d+/,
    );
  });

  it("should read standard input for --input -", () => {
    const result = runCli(["verify", "--input", "-"], { input: day.map((l) => JSON.stringify(l)).join("\n") + "\n" });
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(new RegExp(`verify: OK — ${day.length} records`));
  });

  it("should not call an empty input OK", () => {
    const result = verifyLines([]);
    expect(result.status).to.equal(1);
    expect(result.stdout).to.match(/^FAILED: nothing to check: --input .* holds no records$/m);
  });

  it("should find a value that is not a JSON object, and a truth record that is not JSON, without crashing", () => {
    const sale = onTopic(day, "retail-sales-transactions")[0] as number;
    const truth = onTopic(day, "retail-truth")[0] as number;
    const bad = day.map((line, i): Line => (i === sale ? { ...line, value: null as unknown as Line["value"] } : line));
    bad[truth] = { ...(bad[truth] as Line), value: { ...(bad[truth] as Line).value, window_start: 5 } };
    const result = verifyLines(bad, ["--show", "50"]);
    expect(result.stderr).to.not.match(/internal error/);
    expect(result.status).to.equal(1);
    expect(result.stdout).to.match(/schema: sale: not a JSON object: "null"/);
    expect(result.stdout).to.match(/schema: truth: \/window_start: not an ISO 8601 time, got 5/);
  });

  // Version 2 (the default) writes the reference records; the suite runs version 1 unless told.
  it("should check a capture against the chain in its own reference records, and say when it has none", () => {
    const chainDir = join(dir, "my-chain");
    expect(
      runCli(["sample-data", "--stores", "4", "--products", "40", "--seed", "9", "--out", chainDir]).status,
    ).to.equal(0);
    const run = (extra: string[]): Line[] =>
      jsonLines<Line>(
        runCli([
          "--sink",
          "stdout",
          "--count",
          "400",
          "--min-delta",
          "0",
          "--max-delta",
          "0",
          "--seed",
          "5",
          "--data",
          chainDir,
          "--schema-version",
          "2",
          ...extra,
        ]).stdout,
      );
    const withReference = verifyLines(run(["--reference-records"]));
    expect(withReference.status, withReference.stdout).to.equal(0);
    const without = verifyLines(run([]));
    expect(without.status).to.equal(1);
    expect(without.stdout).to.match(/FAIL prices/);
    expect(without.stderr).to.match(
      /chain: the sample chain \(the records hold no stores and products\); give --data if the run used another/,
    );
    expect(verifyLines(run([]), ["--data", chainDir]).status).to.equal(0);
  });

  it("should refuse bad input with one line and exit 2", () => {
    for (const [args, message] of [
      [["verify", "--input", join(dir, "missing.jsonl")], /--input .*missing.jsonl: no such file/],
      [["verify", "--since", "yesterday"], /--since/],
      [["verify", "--offsets", "a:b"], /--offsets: "a:b" is not topic:partition:offset/],
      [["verify", "--idle", "0"], /--idle: must be > 0/],
      [["verify", "--since", "2026-02-30"], /--since: "2026-02-30" is not a time on the calendar/],
      [["verify", "--postgres", "http://127.0.0.1/retail"], /--postgres: a http URL; expected postgres:\/\//],
      [["verify", "--postgres", "postgres://127.0.0.1:5433"], /--postgres: the URL names no database/],
      [
        ["verify", "--postgres", "postgres://u:p@127.0.0.1:5433/retail", "--since", "2026-11-02T00:00:00Z"],
        /--postgres reads the whole database: --since and --offsets apply to Kafka/,
      ],
    ] as Array<[string[], RegExp]>) {
      const result = runCli(args, { timeout: 15_000 });
      expect(result.status, args.join(" ")).to.equal(2);
      expect(result.stderr.trim().split("\n")).to.have.length(1);
      expect(result.stderr).to.match(message);
    }
  });
});
