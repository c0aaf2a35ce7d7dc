import { expect } from "chai";
import type { Store } from "../../src/model/chain.js";
import { isOpen, servingChances } from "../../src/model/hours.js";

const denver: Store = {
  store_id: "D",
  name: "D",
  city: "Denver",
  region: "M",
  timezone: "America/Denver",
  opening_hours: { open: "08:00", close: "21:00" },
};
const tokyo: Store = {
  store_id: "T",
  name: "T",
  city: "Tokyo",
  region: "A",
  timezone: "Asia/Tokyo",
  opening_hours: { open: "10:00", close: "20:00" },
};
const web: Store = {
  store_id: "W",
  name: "W",
  city: "-",
  region: "-",
  timezone: "UTC",
  channel: "online",
  online_share: 0.2,
};
const stores = [denver, tokyo, web];

describe("opening hours and who serves customers", () => {
  it("should open a store by its own clock: 08:00 in Denver is 15:00 UTC in November (MST), 14:00 in July (MDT)", () => {
    expect(isOpen(denver, Date.UTC(2026, 10, 2, 14, 59))).to.equal(false);
    expect(isOpen(denver, Date.UTC(2026, 10, 2, 15, 0))).to.equal(true);
    expect(isOpen(denver, Date.UTC(2026, 6, 2, 14, 0))).to.equal(true);
    // Closing time is the first closed minute: 21:00 MST = 04:00 UTC the next day.
    expect(isOpen(denver, Date.UTC(2026, 10, 3, 3, 59))).to.equal(true);
    expect(isOpen(denver, Date.UTC(2026, 10, 3, 4, 0))).to.equal(false);
    expect(isOpen(web, Date.UTC(2026, 10, 3, 4, 0))).to.equal(true);
  });

  it("should give the online shop everything while every store is closed", () => {
    // 06:00 UTC: 23:00 in Denver, 15:00 in Tokyo... Tokyo is open; 12:00 UTC: 05:00 Denver, 21:00 Tokyo: both closed.
    expect(servingChances(stores, [0, 1, 2], Date.UTC(2026, 10, 2, 12, 0))).to.deep.equal([[2, 1]]);
  });

  it("should split the rest among open stores once the online shop has its share", () => {
    // 17:00 UTC: 10:00 Denver (open), 02:00 Tokyo (closed).
    const chances = servingChances(stores, [0, 1, 2], Date.UTC(2026, 10, 2, 17, 0));
    expect(chances.map(([s]) => s)).to.deep.equal([2, 0]);
    expect(chances[0]?.[1]).to.be.closeTo(0.2, 1e-12);
    expect(chances[1]?.[1]).to.be.closeTo(0.8, 1e-12);
    expect(servingChances(stores, [0, 1], Date.UTC(2026, 10, 2, 17, 0))).to.deep.equal([[0, 1]]);
  });

  it("should leave nobody to serve when a shard has no online shop and its stores are closed", () => {
    expect(servingChances(stores, [0, 1], Date.UTC(2026, 10, 2, 12, 0))).to.deep.equal([]);
  });
});
