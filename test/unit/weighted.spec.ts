import { expect } from "chai";
import { SeededRng, weighted } from "../../src/random/rng.js";
import { seededFaker } from "../../src/random/faker.js";

describe("weighted", () => {
  const items = ["credit_card", "debit_card", "cash", "mobile_pay", "gift_card"].map((value, i) => ({
    value,
    weight: [45, 25, 12, 15, 3][i] as number,
  }));

  it("should draw what faker's weightedArrayElement draws from the same generator (seeds' streams stay the same)", () => {
    const ours = new SeededRng(9);
    const faker = seededFaker(new SeededRng(9));
    for (let i = 0; i < 20_000; i += 1)
      expect(weighted(ours, items)).to.equal(faker.helpers.weightedArrayElement(items));
  });

  it("should draw each value about as often as its weight says", () => {
    const rng = new SeededRng(4);
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i += 1) {
      const value = weighted(rng, items);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    for (const { value, weight } of items) expect((counts.get(value) ?? 0) / 1000).to.be.closeTo(weight, 1);
  });

  it("should refuse an empty list", () => {
    expect(() => weighted(new SeededRng(1), [])).to.throw(RangeError);
  });
});
