import { expect } from "chai";
import { DEFAULT_WEIGHTS, typeSampler, weightProblems } from "../../src/model/weights.js";
import { chooseType } from "../../src/operators/chooseType.js";
import { WEIGHTED_TYPES, type WeightedType } from "../../src/model/events.js";
import { SeededRng, fixedRng } from "../../src/random/rng.js";
import { testScheduler } from "../support/marbles.js";

describe("chooseType", () => {
  it("should map each value to the type whose share of the weights the draw falls in", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("a b c|");
      const values: Record<string, WeightedType> = { s: "sale", p: "price_change", r: "restock_alert" };
      const weights = { sale: 1, price_change: 2, restock_alert: 1 };
      // shares: sale [0, .25), price_change [.25, .75), restock_alert [.75, 1)
      expectObservable(source.pipe(chooseType(weights, { rng: fixedRng([0.2, 0.7, 0.8]) }))).toBe("s p r|", values);
      expectSubscriptions(source.subscriptions).toBe("^ 2ms !");
    });
  });

  it("should never choose a type of weight 0", () => {
    const sample = typeSampler({ sale: 0, customer_event: 3 }, new SeededRng(1));
    for (let i = 0; i < 1000; i += 1) expect(sample()).to.equal("customer_event");
  });

  it("should report negative, unknown, non-numeric and all-zero weights", () => {
    expect(weightProblems({ sale: -1 })).to.deep.equal(["weight of sale must be a number from 0 to 1000000, got -1"]);
    expect(weightProblems({ sale: 0, price_change: 0 })).to.deep.equal(["at least one weight must be above 0"]);
    expect(weightProblems({ bogus: 1 } as never)).to.deep.equal(['unknown event type "bogus"']);
    expect(weightProblems({ sale: Number.NaN })).to.have.length(1);
    expect(() => typeSampler({ sale: -1 }, fixedRng([0]))).to.throw(RangeError, /bad weights/);
  });

  it("should draw the default mix in proportion (χ² test, 10,000 draws)", () => {
    const sample = typeSampler(DEFAULT_WEIGHTS, new SeededRng(7));
    const counts = new Map<WeightedType, number>();
    for (let i = 0; i < 10_000; i += 1) {
      const type = sample();
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    let chi2 = 0;
    for (const type of WEIGHTED_TYPES) {
      const expected = (DEFAULT_WEIGHTS[type] / 100) * 10_000;
      chi2 += ((counts.get(type) ?? 0) - expected) ** 2 / expected;
    }
    // 4 degrees of freedom, α = 0.01
    expect(chi2).to.be.below(13.28);
  });

  it("should normalise weights that don't sum to 100", () => {
    const sample = typeSampler({ sale: 0.3, inventory_update: 0.1 }, new SeededRng(3));
    let sales = 0;
    for (let i = 0; i < 10_000; i += 1) if (sample() === "sale") sales += 1;
    expect(sales / 10_000).to.be.closeTo(0.75, 0.02);
  });
});
