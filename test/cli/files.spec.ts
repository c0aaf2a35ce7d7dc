import { expect } from "chai";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonLines, requireBuild, runCli, startCli } from "../support/cli.js";
import { runCliAsync } from "../support/shards.js";
import { Duck } from "../support/duck.js";

const SPAN = ["--from", "2026-11-01T00:00:00Z", "--to", "2026-11-03T00:00:00Z", "--seed", "7"];

interface Line {
  topic: string;
  headers: { event_type: string };
  value: Record<string, unknown>;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.[a-z]+(\.tmp)?$/.test(f));
}

/** The events of stdout lines by type, by id. */
function eventsByType(lines: readonly Line[]): Map<string, Map<string, Record<string, unknown>>> {
  const types = new Map<string, Map<string, Record<string, unknown>>>();
  for (const { headers, value } of lines) {
    if (headers.event_type === "truth" || headers.event_type === "store" || headers.event_type === "product") continue;
    const byId = types.get(headers.event_type) ?? new Map<string, Record<string, unknown>>();
    byId.set(value.event_id as string, value);
    types.set(headers.event_type, byId);
  }
  return types;
}

/**
 * A data set's rows as the test reads them back: amounts as their decimal text, times as epoch ms, the rest as
 * DuckDB gives them; with the type of every column.
 */
async function readBack(
  duck: Duck,
  glob: string,
): Promise<{ types: Map<string, string>; rows: Array<Record<string, unknown>> }> {
  const described = await duck.rows<{ column_name: string; column_type: string }>(
    `DESCRIBE SELECT * FROM read_parquet('${glob}', hive_partitioning = true)`,
  );
  const types = new Map(described.map((c) => [c.column_name, c.column_type]));
  const select = described
    .map(({ column_name: name, column_type: type }) =>
      type.startsWith("DECIMAL")
        ? `CAST("${name}" AS VARCHAR) AS "${name}"`
        : type.startsWith("TIMESTAMP")
          ? `epoch_ms("${name}") AS "${name}"`
          : `"${name}"`,
    )
    .join(", ");
  return { types, rows: await duck.rows(`SELECT ${select} FROM read_parquet('${glob}', hive_partitioning = true)`) };
}

/** Whether a value read back is the one stdout wrote, by the column's type. */
function same(written: unknown, read: unknown, type: string): boolean {
  if (written === undefined || written === null) return read === null;
  if (type.startsWith("DECIMAL")) return (written as number).toFixed(2) === read;
  if (type.startsWith("TIMESTAMP")) return Date.parse(written as string) === Number(read);
  return String(written) === String(read);
}

describe("--sink files: data sets a lake reads (DuckDB reads them back)", function () {
  this.timeout(240_000);
  let dir: string;
  let duck: Duck;
  before(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), "retail-files-"));
    duck = await Duck.open();
  });
  after(() => {
    duck.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should hold exactly the stdout stream's events, typed, by event_date, each type in its data set", async () => {
    const out = join(dir, "two-days");
    const [files, stdout] = await Promise.all([
      runCliAsync([...SPAN, "--sink", "files", "--files-dir", out, "--truth"]),
      runCliAsync([...SPAN, "--sink", "stdout"]),
    ]);
    expect(files.status, files.stderr).to.equal(0);
    expect(files.stderr).to.match(/failed 0;/);
    const expected = eventsByType(jsonLines<Line>(stdout.stdout));
    expect(expected.size).to.be.greaterThan(6);
    for (const [type, byId] of expected) {
      const { types, rows } = await readBack(duck, join(out, type, "*", "*.parquet"));
      expect(types.get("event_time"), type).to.equal("TIMESTAMP WITH TIME ZONE");
      expect(types.get("event_id"), type).to.equal("VARCHAR");
      expect(types.get("store_id"), type).to.equal("VARCHAR");
      expect(rows.length, type).to.equal(byId.size);
      let compared = 0;
      for (const row of rows) {
        const event = byId.get(row.event_id as string);
        expect(event, `${type} ${String(row.event_id)}`).to.not.equal(undefined);
        // Each row sits in its event time's date.
        expect(row.event_date, type).to.equal((event?.event_time as string).slice(0, 10));
        for (const [column, columnType] of types) {
          if (column === "event_date") continue;
          if (!same(event?.[column], row[column], columnType))
            expect.fail(`${type} ${column}: wrote ${String(event?.[column])}, read ${String(row[column])}`);
          compared += 1;
        }
      }
      expect(compared, type).to.be.greaterThan(rows.length * 5);
    }
    // Money to the cent: the sales' total read back as DECIMAL equals the test's own sum in cents.
    const cents = [...(expected.get("sale") ?? new Map()).values()].reduce(
      (sum, sale) => sum + Math.round((sale.total_amount as number) * 100),
      0,
    );
    const [total] = await duck.rows<{ total: string; type: string }>(
      `SELECT CAST(sum(total_amount) AS VARCHAR) AS total, typeof(sum(total_amount)) AS type FROM read_parquet('${join(out, "sale", "*", "*.parquet")}')`,
    );
    expect(total?.total).to.equal((cents / 100).toFixed(2));
    expect(total?.type).to.match(/^DECIMAL\(\d+,2\)$/);
    // The partitions are the run's two days; reference data and truth have their data sets too.
    expect(readdirSync(join(out, "sale")).sort()).to.deep.equal(["event_date=2026-11-01", "event_date=2026-11-02"]);
    const [stores] = await duck.rows<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM '${join(out, "stores", "*.parquet")}'`,
    );
    expect(stores?.n).to.equal(21);
    const truth = await readBack(duck, join(out, "truth", "*", "*.parquet"));
    expect(truth.types.get("revenue")).to.equal("DECIMAL(12,2)");
    expect(truth.rows.length).to.be.greaterThan(100);
  });

  it("should roll by rows and by event time, each part written whole", async () => {
    const out = join(dir, "rolled");
    const byRows = await runCliAsync([...SPAN, "--sink", "files", "--files-dir", out, "--file-rows", "4000"]);
    expect(byRows.status, byRows.stderr).to.equal(0);
    const parts = filesUnder(out).filter((f) => f.endsWith(".parquet"));
    const rolls = new Set(parts.map((f) => /-(\d{6})\.parquet$/.exec(f)?.[1]));
    const [all] = await duck.rows<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${out}/*/*/*.parquet')`,
    );
    expect(rolls.size).to.be.at.least(Math.ceil((all?.n ?? 0) / 4000));
    const perFile = await duck.rows<{ file: string; n: number }>(
      `SELECT filename AS file, count(*)::INTEGER AS n FROM read_parquet('${out}/*/*/*.parquet', filename = true) GROUP BY filename`,
    );
    for (const { n } of perFile) expect(n).to.be.at.most(4000);
    expect(filesUnder(out).filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);

    const timed = join(dir, "timed");
    const byTime = await runCliAsync([...SPAN, "--sink", "files", "--files-dir", timed, "--file-every", "360"]);
    expect(byTime.status, byTime.stderr).to.equal(0);
    const spans = await duck.rows<{ roll: string; span: number }>(
      `SELECT regexp_extract(filename, '-(\\d{6})\\.parquet$', 1) AS roll,
              (epoch_ms(max(event_time)) - epoch_ms(min(event_time)))::BIGINT AS span
         FROM read_parquet('${timed}/*/*/*.parquet', filename = true, union_by_name = true) GROUP BY roll`,
    );
    // Two days in rolls of at most six hours of event time.
    expect(spans.length).to.be.at.least(8);
    for (const { span } of spans) expect(Number(span)).to.be.below(6 * 3_600_000);
  });

  it("should write CSV and JSON lines where asked, the same rows", async () => {
    const counts: number[] = [];
    for (const [format, reader] of [
      ["parquet", "read_parquet"],
      ["csv", "read_csv"],
      ["jsonl", "read_json"],
    ] as const) {
      const out = join(dir, `as-${format}`);
      const run = await runCliAsync([...SPAN, "--sink", "files", "--files-dir", out, "--file-format", format]);
      expect(run.status, run.stderr).to.equal(0);
      expect(filesUnder(join(out, "sale")).every((f) => f.endsWith(`.${format}`))).to.equal(true);
      const [row] = await duck.rows<{ n: number; total: string }>(
        `SELECT count(*)::INTEGER AS n, CAST(sum(total_amount::DECIMAL(12,2)) AS VARCHAR) AS total FROM ${reader}('${out}/sale/*/*.${format}')`,
      );
      counts.push(row?.n ?? 0);
      expect(row?.total).to.match(/^\d+\.\d{2}$/);
    }
    expect(counts[0]).to.be.greaterThan(1000);
    expect(counts[1]).to.equal(counts[0]);
    expect(counts[2]).to.equal(counts[0]);
  });

  it("should leave no duplicate and no partial file after a killed run is resumed", async () => {
    const out = join(dir, "killed");
    const week = ["--from", "2026-11-01T00:00:00Z", "--to", "2026-11-04T00:00:00Z", "--seed", "11"];
    const args = [...week, "--sink", "files", "--files-dir", out, "--file-rows", "2000", "--transactional-id", "t1"];
    const position = join(out, "_retail_stream", "t1.position.json");
    const { child, done } = await startCli(args, /writing parquet files/);
    // Killed once a few rolls are committed (polled), wherever it then is.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (existsSync(position) && (JSON.parse(readFileSync(position, "utf8")) as { roll: number }).roll >= 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    await done;
    const committed = JSON.parse(readFileSync(position, "utf8")) as { roll: number; records: number };
    expect(committed.roll).to.be.at.least(3);
    // A stop between a roll's renames and its position, and one inside a write: a later roll's part (beyond what the
    // resumed run writes, so only the clearing removes it) and a temporary file.
    const later = join(
      out,
      "sale",
      "event_date=2026-11-01",
      `part-t1-${String(committed.roll + 500).padStart(6, "0")}.parquet`,
    );
    writeFileSync(later, "not a whole file");
    writeFileSync(`${later}.tmp`, "half a file");

    const resumed = runCli([...args, "--resume"], { timeout: 120_000 });
    expect(resumed.status, resumed.stderr).to.equal(0);
    expect(resumed.stderr).to.match(new RegExp(`checkpoint of t1: ${committed.records} records`));
    expect(resumed.stderr).to.match(/removed \d+ files the stopped run left/);
    expect(filesUnder(out).filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);

    const stdout = runCli([...week, "--sink", "stdout"], { timeout: 120_000 });
    const expected = eventsByType(jsonLines<Line>(stdout.stdout));
    for (const [type, byId] of expected) {
      const [row] = await duck.rows<{ n: number; ids: number }>(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS ids FROM read_parquet('${out}/${type}/*/*.parquet')`,
      );
      expect(row?.n, type).to.equal(byId.size);
      expect(row?.ids, type).to.equal(byId.size);
    }
  });
});
