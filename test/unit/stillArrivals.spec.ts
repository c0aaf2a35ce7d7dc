import { expect } from "chai";
import { fixedArrivals, uniformArrivals, type ArrivalModel } from "../../src/model/arrivals.js";
import { fixedRng } from "../../src/random/rng.js";

describe("arrival models that never move the clock", () => {
  const draws = fixedRng([0, 0.25, 0.5, 0.75, 0.999_999]);
  const cases: Array<[string, ArrivalModel]> = [
    ["uniform 0–0 ms", uniformArrivals(0, 0)],
    ["uniform 0–0.4 ms", uniformArrivals(0, 0.4)],
    ["uniform 0–0.6 ms", uniformArrivals(0, 0.6)],
    ["uniform 0–10 ms", uniformArrivals(0, 10)],
    ["fixed 0 ms", fixedArrivals(0)],
    ["fixed 0.4 ms", fixedArrivals(0.4)],
    ["fixed 0.6 ms", fixedArrivals(0.6)],
  ];
  for (const [name, model] of cases)
    it(`should say ${name} is still exactly when every gap it draws is 0`, () => {
      const gaps = Array.from({ length: 50 }, () => model(draws, 0));
      expect(model.still === true, gaps.join(",")).to.equal(gaps.every((gap) => gap === 0));
    });
});
