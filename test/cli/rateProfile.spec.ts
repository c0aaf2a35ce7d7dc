import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Envelope } from "../../src/wire/envelope.js";
import { isPrimaryValue, jsonLines, requireBuild, runCli } from "../support/cli.js";

const FROM = Date.UTC(2026, 10, 2, 0);
const SPAN = ["--sink", "stdout", "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-02T00:04:00Z", "--seed", "9"];

/** Primary events of a run per minute from FROM (counted from the records' fields, not the tool's counters). */
function perMinute(stdout: string, minutes: number): number[] {
  const counts = new Array<number>(minutes).fill(0);
  for (const line of jsonLines<Envelope>(stdout)) {
    if (line.value.event_type === undefined || !isPrimaryValue(line.value)) continue;
    const minute = Math.floor((line.timestamp - FROM) / 60_000);
    if (minute < minutes) counts[minute] = (counts[minute] ?? 0) + 1;
  }
  return counts;
}

describe("--rate-profile (CLI): the rate over the run, by flag or by scenario", function () {
  this.timeout(60_000);
  before(requireBuild);

  it("should hold, then climb in steps, and hold the last rate (back office only: every tick makes one event)", () => {
    const run = runCli([...SPAN, "--weights", "inventory=1", "--rate-profile", "5/s:1m,10/s+10/s:1m*2"]);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/Poisson arrivals, rate profile 5\/s:1m,10\/s\+10\/s:1m\*2/);
    const [first, second, third, fourth] = perMinute(run.stdout, 4) as [number, number, number, number];
    expect(first).to.be.within(250, 350);
    expect(second).to.be.within(520, 680);
    expect(third).to.be.within(1080, 1320);
    expect(fourth).to.be.within(1080, 1320);
  });

  it("should take a scenario's rate profile in place of its rate, shaped by its flat curve", () => {
    const dir = mkdtempSync(join(tmpdir(), "rs-profile-"));
    const file = join(dir, "ramp.json");
    const flat = { daily: new Array(24).fill(1), weekly: new Array(7).fill(1) };
    writeFileSync(file, JSON.stringify({ rate: 1, curve: flat, rateProfile: "2/s..18/s:4m" }));
    const run = runCli([...SPAN, "--weights", "inventory=1", "--scenario", file]);
    expect(run.status, run.stderr).to.equal(0);
    // A ramp from 120 to 1080 a minute: minute means 240, 480, 720, 960.
    const counts = perMinute(run.stdout, 4);
    [240, 480, 720, 960].forEach((mean, i) => expect(counts[i], `minute ${i}`).to.be.within(mean * 0.85, mean * 1.15));
  });
});
