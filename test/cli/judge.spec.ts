import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readChain } from "../../src/data/chainFiles.js";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";

interface Line {
  topic: string;
  headers: Record<string, string>;
  value: {
    event_type: string;
    event_id: string;
    event_time: string;
    store_id: string;
    total_amount: number;
  };
}

const HOUR = 3_600_000;
const RUN = [
  "--sink",
  "stdout",
  "--from",
  "2026-11-02T08:00:00Z",
  "--to",
  "2026-11-02T14:00:00Z",
  "--seed",
  "5",
  "--truth",
  "--faults",
  "duplicate=0.02,late=0.1:20m",
  "--log-level",
  "warn",
];

/**
 * A pipeline written here, not taken from the tool: revenue per store and hour over the sales as they arrive,
 * with its own choices — deduplication, a watermark (records whose window closed before it are dropped), and
 * the time zone its windows are cut in.
 */
function pipeline(
  lines: readonly Line[],
  { dedup, watermarkMs, zoneMs = 0 }: { dedup: boolean; watermarkMs: number; zoneMs?: number },
): string {
  const seen = new Set<string>();
  const cents = new Map<string, number>();
  let latest = -Infinity;
  for (const { value } of lines) {
    if (value.event_type !== "sale") continue;
    const time = Date.parse(value.event_time);
    const watermark = latest - watermarkMs;
    latest = Math.max(latest, time);
    const start = Math.floor((time + zoneMs) / HOUR) * HOUR - zoneMs;
    if (start + HOUR <= watermark) continue;
    if (dedup && seen.has(value.event_id)) continue;
    seen.add(value.event_id);
    const key = `${new Date(start).toISOString()}|${value.store_id}`;
    cents.set(key, (cents.get(key) ?? 0) + Math.round(value.total_amount * 100));
  }
  return [...cents]
    .map(([key, c]) => {
      const [window_start, store_id] = key.split("|");
      return JSON.stringify({ window_start, store_id, revenue: (c / 100).toFixed(2) });
    })
    .join("\n");
}

describe("retail-stream judge (CLI): a pipeline's output against the run it was fed", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "rs-judge-"));
  const capture = join(dir, "run.jsonl");
  const mapping = join(dir, "revenue.json");
  let lines: Line[] = [];
  const output = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text + "\n");
    return file;
  };

  before(() => {
    requireBuild();
    const run = runCli(RUN);
    expect(run.status, run.stderr).to.equal(0);
    writeFileSync(capture, run.stdout);
    lines = jsonLines<Line>(run.stdout).filter((l) => l.topic !== "retail-truth");
    const example = runCli(["judge", "--example", "revenue"]);
    expect(example.status, example.stderr).to.equal(0);
    writeFileSync(mapping, example.stdout);
  });

  it("should judge right a job that deduplicates and waits for every late record, against the run's truth", () => {
    const right = output("right.jsonl", pipeline(lines, { dedup: true, watermarkMs: Infinity }));
    const judged = runCli(["judge", "--mapping", mapping, "--output", right, "--truth", capture]);
    expect(judged.status, judged.stdout + judged.stderr).to.equal(0);
    expect(judged.stdout).to.match(/^judge: OK — revenue by store: (\d+) of \1 expected cells match/);
  });

  it("should judge wrong a job without deduplication, in the windows that hold duplicates, naming them", () => {
    const twice = output("twice.jsonl", pipeline(lines, { dedup: false, watermarkMs: Infinity }));
    const judged = runCli(["judge", "--mapping", mapping, "--output", twice, "--truth", capture, "--input", capture]);
    expect(judged.status, judged.stdout).to.equal(1);
    const duplicates = lines.filter((l) => l.headers.fault?.includes("duplicate") && l.value.event_type === "sale");
    expect(duplicates.length).to.be.above(3);
    const wrong = judged.stdout.split("\n").filter((l) => l.startsWith("  wrong"));
    expect(wrong.length).to.be.above(0);
    // Every wrong window is too high and names duplicates among its records; and they are the run's duplicates.
    for (const line of wrong) {
      const [, expected, got, ids] = /expected ([\d.]+), got ([\d.]+) \(duplicates ([^;)]+)/.exec(line) ?? [];
      expect(Number(got), line).to.be.above(Number(expected));
      // A long list ends "… and N more": the ids shown are checked.
      for (const id of (ids ?? "").replace(/ and \d+ more$/, "").split(", "))
        expect(duplicates.some((d) => d.value.event_id === id)).to.equal(true);
    }
  });

  it("should judge a job under its declared watermark right, and one with a shorter watermark wrong, naming the records it dropped", () => {
    const policy = ["--input", capture, "--watermark-delay", "5m", "--duplicates", "remove"];
    const declared = output("declared.jsonl", pipeline(lines, { dedup: true, watermarkMs: 5 * 60_000 }));
    const right = runCli(["judge", "--mapping", mapping, "--output", declared, ...policy]);
    expect(right.status, right.stdout).to.equal(0);
    // The declared policy drops late records: the job that keeps them all is not what was declared.
    const keepsAll = output("all.jsonl", pipeline(lines, { dedup: true, watermarkMs: Infinity }));
    expect(runCli(["judge", "--mapping", mapping, "--output", keepsAll, ...policy]).status).to.equal(1);
    const short = output("short.jsonl", pipeline(lines, { dedup: true, watermarkMs: 0 }));
    const judged = runCli(["judge", "--mapping", mapping, "--output", short, ...policy, "--report", "json"]);
    expect(judged.status, judged.stdout).to.equal(1);
    const report = JSON.parse(judged.stdout) as {
      differences: Array<{ kind: string; expected: string; actual: string; late?: string[] }>;
    };
    // The short watermark drops records the declared one counts: its windows come out low, naming late records.
    expect(report.differences.length).to.be.above(0);
    for (const d of report.differences) expect(Number(d.actual)).to.be.below(Number(d.expected));
    const named = report.differences.flatMap((d) => d.late ?? []);
    expect(named.length).to.be.above(0);
    const late = new Set(lines.filter((l) => l.headers.fault?.includes("late")).map((l) => l.value.event_id));
    for (const id of named) expect(late.has(id), id).to.equal(true);
  });

  it("should judge a live run on the windows its watermark closed, and revenue per product from the records", () => {
    const policy = ["--input", capture, "--watermark-delay", "5m", "--duplicates", "remove"];
    // A live job has not yet emitted the last hour: its window is still open.
    const emitted = pipeline(lines, { dedup: true, watermarkMs: 5 * 60_000 })
      .split("\n")
      .filter((row) => !row.includes("2026-11-02T13:00:00.000Z"));
    const live = output("live.jsonl", emitted.join("\n"));
    expect(runCli(["judge", "--mapping", mapping, "--output", live, ...policy]).status).to.equal(1);
    const judged = runCli(["judge", "--mapping", mapping, "--output", live, ...policy, "--live"]);
    expect(judged.status, judged.stdout).to.equal(0);
    // Per product: the truth has no such rows; the judge computes them from the records (each event once, all in time).
    const perProduct = new Map<string, number>();
    const seen = new Set<string>();
    for (const { value } of lines) {
      if (value.event_type !== "sale" || seen.has(value.event_id)) continue;
      seen.add(value.event_id);
      const key = `${new Date(Math.floor(Date.parse(value.event_time) / HOUR) * HOUR).toISOString()}|${(value as unknown as { product_id: string }).product_id}`;
      perProduct.set(key, (perProduct.get(key) ?? 0) + Math.round(value.total_amount * 100));
    }
    const rows = [...perProduct].map(([key, cents]) => {
      const [window_start, product_id] = key.split("|");
      return JSON.stringify({ window_start, product_id, revenue: (cents / 100).toFixed(2) });
    });
    const productMapping = output(
      "product.json",
      JSON.stringify({
        measure: "revenue",
        group: "product",
        window: { size: "1h" },
        fields: { key: "product_id", value: "revenue" },
      }),
    );
    const byProduct = runCli([
      "judge",
      "--mapping",
      productMapping,
      "--output",
      output("product.jsonl", rows.join("\n")),
      "--input",
      capture,
    ]);
    expect(byProduct.status, byProduct.stdout).to.equal(0);
    expect(byProduct.stdout).to.match(/revenue by product: (\d+) of \1 expected cells match/);
    const noInput = runCli(["judge", "--mapping", productMapping, "--output", capture, "--truth", capture]);
    expect(noInput.status).to.equal(2);
    expect(noInput.stderr).to.match(/no rows per product; give the run's records with --input/);
  });

  it("should grow category rows from the records where the truth has none (schema version 1)", () => {
    const v1 = runCli([...RUN, "--schema-version", "1"]);
    expect(v1.status, v1.stderr).to.equal(0);
    const v1Capture = output("v1.jsonl", v1.stdout);
    const categoryOf = new Map(readChain().products.map((p) => [p.sku, p.category]));
    const cents = new Map<string, number>();
    const seen = new Set<string>();
    for (const { topic, value } of jsonLines<Line>(v1.stdout)) {
      if (topic === "retail-truth" || value.event_type !== "sale" || seen.has(value.event_id)) continue;
      seen.add(value.event_id);
      const hour = new Date(Math.floor(Date.parse(value.event_time) / HOUR) * HOUR).toISOString();
      const key = `${hour}|${categoryOf.get((value as unknown as { product_id: string }).product_id)}`;
      cents.set(key, (cents.get(key) ?? 0) + Math.round(value.total_amount * 100));
    }
    const rows = [...cents].map(([key, c]) => {
      const [window_start, category] = key.split("|");
      return JSON.stringify({ window_start, category, revenue: (c / 100).toFixed(2) });
    });
    const byCategory = output(
      "category.json",
      JSON.stringify({
        measure: "revenue",
        group: "category",
        window: { size: "1h" },
        fields: { key: "category", value: "revenue" },
      }),
    );
    const out = output("category.jsonl", rows.join("\n"));
    const judged = runCli([
      "judge",
      "--mapping",
      byCategory,
      "--output",
      out,
      "--truth",
      v1Capture,
      "--input",
      v1Capture,
    ]);
    expect(judged.status, judged.stdout).to.equal(0);
    expect(judged.stdout).to.match(/revenue by category: (\d+) of \1 expected cells match/);
    const noInput = runCli(["judge", "--mapping", byCategory, "--output", out, "--truth", v1Capture]);
    expect(noInput.status).to.equal(2);
    expect(noInput.stderr).to.match(/no category rows .* give the run's records with --input/);
  });

  it("should judge windows cut in another time zone wrong, every one of them", () => {
    const shifted = output(
      "shifted.jsonl",
      pipeline(lines, { dedup: true, watermarkMs: Infinity, zoneMs: 30 * 60_000 }),
    );
    const judged = runCli(["judge", "--mapping", mapping, "--output", shifted, "--truth", capture, "--report", "json"]);
    expect(judged.status).to.equal(1);
    const report = JSON.parse(judged.stdout) as { ok: boolean; matched: number; differences: Array<{ kind: string }> };
    expect(report.ok).to.equal(false);
    expect(report.matched).to.equal(0);
    expect(report.differences.filter((d) => d.kind === "extra").length).to.be.above(10);
  });

  it("should refuse a bad mapping or a missing source in one line, exit 2, with nothing on stdout", () => {
    const bad = output("bad.json", JSON.stringify({ measure: "profit", group: "store", window: "none", fields: {} }));
    const cases: Array<[string[], RegExp]> = [
      [["judge", "--output", capture, "--truth", capture], /judge needs --mapping FILE/],
      [["judge", "--mapping", bad, "--output", capture, "--truth", capture], /--mapping .*bad\.json: \/measure/],
      [["judge", "--mapping", mapping, "--truth", capture], /judge reads one output/],
      [["judge", "--mapping", join(dir, "none.json"), "--output", capture], /--mapping .*none\.json: no such file/],
      [["judge", "--mapping", mapping, "--output", capture, "--watermark-delay", "5m"], /--watermark-delay: .*--input/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(args);
      expect(result.status, args.join(" ")).to.equal(2);
      expect(result.stdout).to.equal("");
      expect(result.stderr.trim().split("\n")).to.have.length(1);
      expect(result.stderr).to.match(message);
    }
  });
});
