import { expect } from "chai";
import { profiledArrivals } from "../../src/model/arrivals.js";
import { parseRateProfile, type RateProfile } from "../../src/model/rateProfile.js";
import { SeededRng } from "../../src/random/rng.js";

const MIN = 60_000;
const profile = (text: string): RateProfile => {
  const parsed = parseRateProfile(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
};

/** Arrivals of `arrivals` from `start` for `minutes`, counted per minute of the run. */
function perMinute(arrivals: ReturnType<typeof profiledArrivals>, start: number, minutes: number): number[] {
  const rng = new SeededRng(5);
  const counts = new Array<number>(minutes).fill(0);
  for (let time = start; ;) {
    const minute = Math.floor((time - start) / MIN);
    if (minute >= minutes) break;
    counts[minute] = (counts[minute] ?? 0) + 1;
    time += arrivals(rng, time);
  }
  return counts;
}

describe("rate profiles", () => {
  it("should hold, climb in steps and ramp, stretch after stretch, and hold the last rate after them", () => {
    const p = profile("1000/s:2m, 1000/s+1000/s:1m*3, 4000/s..2000/s:2m");
    // per minute: 1000/s is 60,000/min
    expect(p.rateAt(0)).to.equal(60_000);
    expect(p.rateAt(2 * MIN - 1)).to.equal(60_000);
    expect(p.rateAt(2 * MIN)).to.equal(60_000);
    expect(p.rateAt(3 * MIN)).to.equal(120_000);
    expect(p.rateAt(4 * MIN + 30_000)).to.equal(180_000);
    expect(p.rateAt(5 * MIN)).to.equal(240_000);
    expect(p.rateAt(6 * MIN)).to.equal(180_000);
    expect(p.rateAt(7 * MIN)).to.equal(120_000);
    expect(p.rateAt(60 * MIN)).to.equal(120_000);
    expect(p.peak).to.equal(240_000);
    expect(p.length).to.equal(7 * MIN);
    expect(profile("2k/s:1m").rateAt(0)).to.equal(120_000);
    expect(profile("500/m:1m").rateAt(0)).to.equal(500);
  });

  it("should name the stretch it cannot read and the forms it takes", () => {
    expect(parseRateProfile("1000/s")).to.match(/"1000\/s" is not RATE:DURATION or RATE\.\.RATE:DURATION/);
    expect(parseRateProfile("1000/s:2m,fast:1m")).to.match(/"fast:1m" is not RATE:DURATION/);
    expect(parseRateProfile("1000/s+10/s:1m")).to.match(/is not RATE:DURATION/);
    expect(parseRateProfile("1000/s+x:1m*3")).to.match(/"1000\/s\+x:1m\*3" is not RATE\+STEP:EVERY\*COUNT/);
    expect(parseRateProfile("0/s:1m")).to.match(/a rate must be > 0/);
    expect(parseRateProfile("99999/s:1m")).to.match(/a rate must be > 0 and ≤ /);
    expect(parseRateProfile("10/s:0m")).to.be.a("string");
  });

  it("should make Poisson arrivals at the profile's rate over the run's time", () => {
    const start = Date.UTC(2026, 10, 2, 10);
    const counts = perMinute(profiledArrivals(profile("10/s:1m,50/s:1m"), { start }), start, 3);
    expect(counts[0]).to.be.within(540, 660);
    expect(counts[1]).to.be.within(2850, 3150);
    expect(counts[2]).to.be.within(2850, 3150);
  });

  it("should shape the profile's rate by a scenario's curve", () => {
    const start = Date.UTC(2026, 10, 2, 10);
    const half = (time: number): number => ((time - start) % (2 * MIN) < MIN ? 0.5 : 1);
    const counts = perMinute(
      profiledArrivals(profile("40/s:10m"), { start, shape: { multiplier: half, peak: 1 } }),
      start,
      2,
    );
    expect(counts[0]).to.be.within(1100, 1300);
    expect(counts[1]).to.be.within(2250, 2550);
  });
});
