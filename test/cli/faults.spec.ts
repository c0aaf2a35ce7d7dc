import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readChain } from "../../src/data/chainFiles.js";
import type { RetailEvent } from "../../src/model/events.js";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";
import { checkInvariants } from "../support/invariants.js";

interface Line {
  topic: string;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  value?: RetailEvent;
  raw?: string;
}

const DAY = [
  "--sink",
  "stdout",
  "--from",
  "2026-11-02T00:00:00Z",
  "--to",
  "2026-11-03T00:00:00Z",
  "--seed",
  "17",
  "--log-level",
  "warn",
];
const FAULTS = "duplicate=0.02,late=0.03:10m,malformed=0.005,nulls=0.3,offline=S003@2026-11-02T15:00:00Z+90m";
const faultsOf = (line: Line): string[] => line.headers.fault?.split(",") ?? [];
const clean = (line: Line): string =>
  JSON.stringify({
    ...line,
    headers: { event_type: line.headers.event_type, schema_version: line.headers.schema_version },
  });

/** A readable faulted line made back into the line it was (a nulled field restored from the reference). */
function undo(line: Line, reference: ReadonlyMap<string, Line[]>): string {
  if (faultsOf(line).includes("null")) {
    const value = JSON.parse(line.raw as string) as Record<string, unknown>;
    const original = [...(reference.get(`${line.topic} ${line.key} ${line.timestamp}`) ?? [])].find(
      (r) => r.value?.event_id === value.event_id,
    ) as Line;
    for (const field of (line.headers.fault_detail ?? "").split(",")) {
      expect(value[field]).to.equal(null);
      value[field] = (original.value as unknown as Record<string, unknown>)[field];
    }
    return clean({ ...line, value: value as unknown as RetailEvent, raw: undefined });
  }
  return clean(line);
}

describe("--faults: faults on purpose, deterministic, each record saying what was done to it", function () {
  this.timeout(120_000);
  let reference: Line[] = [];
  let faulted: Line[] = [];
  let faultedText = "";
  before(() => {
    requireBuild();
    const plain = runCli(DAY);
    expect(plain.status, plain.stderr).to.equal(0);
    reference = jsonLines<Line>(plain.stdout);
    const run = runCli([...DAY, "--faults", FAULTS]);
    expect(run.status, run.stderr).to.equal(0);
    faultedText = run.stdout;
    faulted = jsonLines<Line>(run.stdout);
    expect(run.stderr).to.match(
      /faults duplicate \d+, late \d+, malformed \d+, null \d+, offline-replay \d+|faults \w/,
    );
  });

  it("should be the unfaulted stream of the same seed once the headers' faults are undone, and the same again for the seed", () => {
    const byPlace = new Map<string, Line[]>();
    for (const line of reference)
      byPlace.set(`${line.topic} ${line.key} ${line.timestamp}`, [
        ...(byPlace.get(`${line.topic} ${line.key} ${line.timestamp}`) ?? []),
        line,
      ]);
    const kept = faulted.filter((line) => !faultsOf(line).includes("duplicate"));
    expect(kept).to.have.length(reference.length);
    // Every readable record is a reference record, once; a checkout's lines share their place (topic, key, time),
    // so a malformed one stands for one of the reference records left at its place.
    const left = new Map<string, number>();
    for (const line of reference) left.set(clean(line), (left.get(clean(line)) ?? 0) + 1);
    const malformedAt = new Map<string, number>();
    for (const line of kept) {
      if (faultsOf(line).includes("malformed")) {
        const place = `${line.topic} ${line.key} ${line.timestamp}`;
        malformedAt.set(place, (malformedAt.get(place) ?? 0) + 1);
        continue;
      }
      const undone = undo(line, byPlace);
      expect(left.get(undone) ?? 0, undone).to.be.above(0);
      left.set(undone, (left.get(undone) as number) - 1);
    }
    const leftAt = new Map<string, number>();
    for (const [text, n] of left) {
      if (n === 0) continue;
      const { topic, key, timestamp } = JSON.parse(text) as Line;
      leftAt.set(`${topic} ${key} ${timestamp}`, (leftAt.get(`${topic} ${key} ${timestamp}`) ?? 0) + n);
    }
    expect(malformedAt.size).to.be.above(0);
    expect(leftAt).to.deep.equal(malformedAt);
    // Records no fault moved keep the reference order (compared by event id: a checkout's lines share a place).
    const idOf = (l: Line): string | undefined =>
      l.value?.event_id ?? (JSON.parse(l.raw ?? "null") as { event_id?: string } | null)?.event_id;
    const readable = kept.filter((l) => !faultsOf(l).includes("malformed"));
    const movedIds = new Set(
      readable.filter((l) => faultsOf(l).some((f) => f === "late" || f === "offline-replay")).map(idOf),
    );
    const stayedIds = readable.map(idOf).filter((id) => !movedIds.has(id));
    const readIds = new Set(stayedIds);
    expect(reference.map(idOf).filter((id) => readIds.has(id))).to.deep.equal(stayedIds);
    expect(stayedIds.length).to.be.above(reference.length / 2);
    for (const kind of ["duplicate", "late", "malformed", "null", "offline-replay"])
      expect(
        faulted.some((l) => faultsOf(l).includes(kind)),
        kind,
      ).to.equal(true);
    expect(runCli([...DAY, "--faults", FAULTS]).stdout).to.equal(faultedText);
  });

  it("should replay the offline store in order, at reconnection, and leave a ledger that adds up once duplicates are removed", () => {
    const end = Date.parse("2026-11-02T16:30:00Z");
    // The replayed records (not those the faults after it then made late or copied: they moved; a malformed one stays in place).
    const replayed = faulted.flatMap((l, i) =>
      faultsOf(l).includes("offline-replay") && !faultsOf(l).some((f) => f === "late" || f === "duplicate") ? [i] : [],
    );
    expect(replayed.length).to.be.above(10);
    // One burst: contiguous, in event-time order, after everything before the reconnection and before everything after it.
    expect((replayed.at(-1) as number) - (replayed[0] as number)).to.equal(replayed.length - 1);
    const times = replayed.map((i) => (faulted[i] as Line).timestamp);
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    expect(times.every((t) => t >= Date.parse("2026-11-02T15:00:00Z") && t < end)).to.equal(true);
    const onTime = (l: Line): boolean =>
      !faultsOf(l).some((f) => f === "late" || f === "duplicate" || f === "offline-replay");
    expect((faulted.slice((replayed.at(-1) as number) + 1).find(onTime) as Line).timestamp).to.be.at.least(end);
    expect(
      faulted
        .slice(0, replayed[0])
        .filter(onTime)
        .every((l) => l.timestamp < end),
    ).to.equal(true);
    expect(
      faulted.some(
        (l) =>
          l.key === "S003" &&
          l.timestamp >= end - 5400_000 &&
          l.timestamp < end &&
          !faultsOf(l).includes("offline-replay") &&
          !faultsOf(l).includes("late"),
      ),
    ).to.equal(false);

    const run = runCli([...DAY, "--faults", "duplicate=0.05,offline=S003@2026-11-02T15:00:00Z+90m"]);
    const seen = new Set<string>();
    const events = jsonLines<Line>(run.stdout)
      .map((l) => l.value as RetailEvent)
      .filter((e) => !seen.has(e.event_id) && seen.add(e.event_id) !== undefined)
      .map((e, i) => ({ e, i }))
      .sort((a, b) => Date.parse(a.e.event_time) - Date.parse(b.e.event_time) || a.i - b.i)
      .map(({ e }) => e);
    const replay = checkInvariants(events, readChain(), 4 * 3_600_000);
    expect(replay.sales).to.be.above(500);
  });

  it("should leave the headers off with --fault-headers off, and take the same faults from a scenario file", () => {
    const quiet = jsonLines<Line>(runCli([...DAY, "--faults", FAULTS, "--fault-headers", "off"]).stdout);
    expect(quiet.some((l) => l.headers.fault !== undefined || l.headers.fault_detail !== undefined)).to.equal(false);
    expect(quiet.map((l) => JSON.stringify({ ...l, headers: {} }))).to.deep.equal(
      faulted.map((l) => JSON.stringify({ ...l, headers: {} })),
    );

    const dir = mkdtempSync(join(tmpdir(), "faults-"));
    const scenario = join(dir, "faulty.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        rate: 2,
        curve: { daily: new Array(24).fill(1), weekly: new Array(7).fill(1) },
        faults: {
          duplicate: { p: 0.02 },
          late: { p: 0.03, delayMinutes: 10 },
          offline: [{ store: "S003", at: "2026-11-02T15:00:00Z", durationMinutes: 90 }],
        },
      }),
    );
    const args = DAY.filter((a) => a !== "--seed" && a !== "17");
    const fromFile = runCli([...args, "--seed", "17", "--scenario", scenario]);
    const fromFlag = runCli([
      ...args,
      "--seed",
      "17",
      "--scenario",
      scenario,
      "--faults",
      "duplicate=0.02:2s,late=0.03:10m,offline=S003@2026-11-02T15:00:00Z+90m",
    ]);
    expect(fromFile.status, fromFile.stderr).to.equal(0);
    expect(fromFile.stdout).to.include('"fault":"offline-replay"');
    expect(fromFile.stdout).to.equal(fromFlag.stdout);
  });

  it("should keep the truth what happened in the stores: the same with and without faults", () => {
    const truth = (args: string[]): string[] =>
      jsonLines<Line>(runCli([...DAY, "--truth", ...args]).stdout)
        .filter((l) => l.topic === "retail-truth")
        .map((l) => JSON.stringify(l.value));
    const plain = truth([]);
    expect(plain.length).to.be.above(24);
    expect(truth(["--faults", FAULTS])).to.deep.equal(plain);
  });

  it("examples/flaky-transport.json should run, every kind of fault in it, and pass verify", () => {
    const run = runCli([
      "--sink",
      "stdout",
      "--from",
      "2026-11-02T00:00:00Z",
      "--to",
      "2026-11-03T00:00:00Z",
      "--seed",
      "3",
      "--log-level",
      "warn",
      "--truth",
      "--scenario",
      "examples/flaky-transport.json",
    ]);
    expect(run.status, run.stderr).to.equal(0);
    const lines = jsonLines<Line>(run.stdout);
    for (const kind of ["duplicate", "late", "null", "offline-replay"])
      expect(
        lines.some((l) => faultsOf(l).includes(kind)),
        kind,
      ).to.equal(true);
    const file = join(mkdtempSync(join(tmpdir(), "flaky-")), "run.jsonl");
    writeFileSync(file, run.stdout);
    const verified = runCli(["verify", "--input", file]);
    expect(verified.status, verified.stdout).to.equal(0);
  });
});

describe("--fault-manifest: one row per faulted record", function () {
  this.timeout(60_000);
  it("should list every faulted record as written: its place, event, faults, detail and how late", () => {
    requireBuild();
    const dir = mkdtempSync(join(tmpdir(), "rs-manifest-"));
    const manifestFile = join(dir, "manifest.jsonl");
    const run = runCli([...DAY, "--faults", FAULTS, "--fault-manifest", manifestFile]);
    expect(run.status, run.stderr).to.equal(0);
    const written = run.stdout.split("\n").filter((l) => l !== "");
    const faulted = written.flatMap((text, i) => {
      const line = JSON.parse(text) as Line;
      return line.headers.fault === undefined ? [] : [{ line, position: i + 1 }];
    });
    const rows = jsonLines<{
      position: number;
      topic: string;
      key: string;
      event_id: string | null;
      faults: string[];
      detail: string | null;
      event_time: string;
      written_at: string;
      delay_ms: number;
    }>(readFileSync(manifestFile, "utf8"));
    expect(rows.map((r) => r.position)).to.deep.equal(faulted.map((f) => f.position));
    for (const [i, row] of rows.entries()) {
      const { line } = faulted[i] as { line: Line };
      expect([row.topic, row.key, row.faults.join(",")]).to.deep.equal([line.topic, line.key, line.headers.fault]);
      expect(row.detail).to.equal(line.headers.fault_detail ?? null);
      if (line.value !== undefined && typeof line.value === "object")
        expect(row.event_id).to.equal(line.value.event_id);
      expect(row.delay_ms).to.equal(Date.parse(row.written_at) - line.timestamp);
    }
    // A late record was written at least a moment after its event time; an on-time nulled one at it.
    const late = rows.filter((r) => r.faults.includes("late"));
    expect(late.length).to.be.above(10);
    expect(late.every((r) => r.delay_ms > 0)).to.equal(true);
    expect(rows.filter((r) => r.faults.join() === "null").every((r) => r.delay_ms === 0)).to.equal(true);
    // Without faults the manifest is made, and empty; with --fault-headers off it still lists what was done.
    const quiet = runCli([...DAY, "--faults", FAULTS, "--fault-headers", "off", "--fault-manifest", manifestFile]);
    expect(quiet.stdout).to.not.include('"fault"');
    expect(
      readFileSync(manifestFile, "utf8")
        .split("\n")
        .filter((l) => l !== ""),
    ).to.have.length(rows.length);
    expect(runCli([...DAY, "--fault-manifest", manifestFile]).status).to.equal(0);
    expect(readFileSync(manifestFile, "utf8")).to.equal("");
  });
});
