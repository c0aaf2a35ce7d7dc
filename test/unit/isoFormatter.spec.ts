import { expect } from "chai";
import { isoFormatter } from "../../src/model/events.js";
import { SeededRng } from "../../src/random/rng.js";

describe("isoFormatter", () => {
  it("should write what toISOString writes, across days, years and the edges of four-digit years", () => {
    const iso = isoFormatter();
    const rng = new SeededRng(17);
    const times: number[] = [
      0,
      999,
      86_399_999,
      86_400_000,
      Date.UTC(2028, 1, 29, 23, 59, 59, 999),
      253_402_300_799_999,
    ];
    // Runs of times in order (as a run makes them), crossing midnights, then jumps anywhere in the range.
    for (let t = Date.UTC(2026, 10, 30, 23, 0), i = 0; i < 5000; i += 1)
      times.push((t += Math.floor(rng.next() * 5000)));
    for (let i = 0; i < 5000; i += 1) times.push(Math.floor(rng.next() * 253_402_300_800_000));
    for (const time of times) expect(iso(time), String(time)).to.equal(new Date(time).toISOString());
  });

  it("should write times it does not shorten (fractions, before 1970, five-digit years) as toISOString does", () => {
    const iso = isoFormatter();
    for (const time of [1.5, 1_700_000_000_000.25, -1, -86_400_001, 253_402_300_800_000, 8.64e15])
      expect(iso(time)).to.equal(new Date(time).toISOString());
  });

  it("should keep each text it gave (a later time does not change an earlier one)", () => {
    const iso = isoFormatter();
    const first = iso(Date.UTC(2026, 0, 1, 10, 11, 12, 13));
    iso(Date.UTC(2027, 5, 6, 7, 8, 9, 10));
    expect(first).to.equal("2026-01-01T10:11:12.013Z");
  });
});
