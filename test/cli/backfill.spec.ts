import { expect } from "chai";
import type { Envelope } from "../../src/wire/envelope.js";
import { isTickOf, jsonLines, requireBuild, runCli } from "../support/cli.js";

describe("retail-stream backfill (CLI)", () => {
  before(requireBuild);

  it("should backfill a day byte-identically on two runs, every event_time inside the day", () => {
    const args = ["--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z", "--seed", "7", "--sink", "stdout"];
    const first = runCli(args);
    expect(first.status).to.equal(0, first.stderr);
    expect(runCli(args).stdout).to.equal(first.stdout);
    const lines = jsonLines<Envelope>(first.stdout);
    expect(lines.length).to.be.above(86_400 / 60);
    const from = Date.UTC(2026, 0, 1);
    const to = Date.UTC(2026, 0, 2);
    for (const line of lines) expect(line.timestamp).to.be.at.least(from).and.below(to);
    expect(lines[0]?.timestamp).to.equal(from);
  });

  it("should produce the same events as a --speed 1000 live run from the same start", () => {
    const backfill = runCli([
      "--from",
      "2026-01-01T00:00:00Z",
      "--to",
      "2026-01-01T00:30:00Z",
      "--seed",
      "8",
      "--sink",
      "stdout",
    ]);
    const live = runCli([
      "--start-time",
      "2026-01-01T00:00:00Z",
      "--duration",
      "30",
      "--speed",
      "1000",
      "--seed",
      "8",
      "--sink",
      "stdout",
    ]);
    expect(backfill.status).to.equal(0, backfill.stderr);
    expect(live.status).to.equal(0, live.stderr);
    expect(live.stdout).to.equal(backfill.stdout);
    expect(jsonLines(live.stdout).length).to.be.above(30);
  });

  it("should hand over from the backfill to live pacing without a seam", () => {
    // Backfill the last ~3 minutes up to now, then continue live at 600× for 5 simulated minutes.
    const from = new Date(Date.now() - 180_000).toISOString();
    const result = runCli([
      "--from",
      from,
      "--duration",
      "5",
      "--speed",
      "600",
      "--seed",
      "9",
      "--sink",
      "stdout",
      "--min-delta",
      "5",
      "--max-delta",
      "15",
    ]);
    expect(result.status).to.equal(0, result.stderr);
    expect(result.stderr).to.match(/backfill done at .*; live pacing from here/);
    const all = jsonLines<Envelope>(result.stdout);
    // The primary ticks, a checkout declined outright among them: what the gaps space.
    const isTick = isTickOf(all.map((l) => l.value));
    const primaries = all.filter((l) => isTick(l.value));
    const gaps = primaries.slice(1).map((l, i) => l.timestamp - (primaries[i] as Envelope).timestamp);
    expect(Math.min(...gaps)).to.be.at.least(5000);
    expect(Math.max(...gaps)).to.be.at.most(15_000);
    const span = (primaries.at(-1) as Envelope).timestamp - (primaries[0] as Envelope).timestamp;
    expect(span).to.be.above(7 * 60_000);
    // Live pacing runs 5 simulated minutes from the run's own start (the handover), which a slow process start puts later than `from` + 3 min.
    const handover = Date.parse(/backfill done at (\S+);/.exec(result.stderr)?.[1] ?? "");
    // Both sides of the handover are there, and the live side ran its whole 5 minutes (to within one gap) and no further.
    expect(primaries.filter((l) => l.timestamp < handover).length, "backfilled events").to.be.above(5);
    expect(primaries.filter((l) => l.timestamp >= handover).length, "live events").to.be.above(5);
    const last = (primaries.at(-1) as Envelope).timestamp;
    expect(last).to.be.below(handover + 5 * 60_000);
    expect(last).to.be.at.least(handover + 5 * 60_000 - 15_000);
  });
});
