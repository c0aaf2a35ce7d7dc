import { expect } from "chai";
import { zoneOffset } from "../../src/model/rateCurve.js";

/** The offset from the text of the local time, as a reader of the zone database would work it out by hand. */
function offsetByText(timeZone: string, time: number): number {
  const text = new Date(time).toLocaleString("sv-SE", { timeZone }); // "2026-03-08 03:30:00"
  const [date, clock] = text.split(" ") as [string, string];
  return Date.parse(`${date}T${clock}Z`) - time;
}

describe("zoneOffset", () => {
  const HOUR = 3_600_000;
  for (const [timeZone, from] of [
    ["America/New_York", Date.UTC(2026, 2, 6)], // clocks forward on 8 March
    ["America/Los_Angeles", Date.UTC(2026, 9, 30)], // back on 1 November
    ["Europe/London", Date.UTC(2026, 2, 27)], // forward on 29 March
    ["Australia/Lord_Howe", Date.UTC(2026, 3, 3)], // back half an hour on 5 April
    ["Asia/Kolkata", Date.UTC(2026, 0, 1)], // no change, half an hour off the hour
  ] as const) {
    it(`should give ${timeZone}'s offset in every half hour of four days around its change of clocks`, () => {
      const offsets = new Set<number>();
      for (let time = from + 1_800_000; time < from + 96 * HOUR; time += HOUR / 2) {
        const offset = zoneOffset(timeZone, time);
        expect(offset, new Date(time).toISOString()).to.equal(offsetByText(timeZone, time));
        offsets.add(offset);
      }
      expect(offsets.size).to.equal(timeZone === "Asia/Kolkata" ? 1 : 2);
    });
  }
});
