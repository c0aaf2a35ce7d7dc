import { expect } from "chai";
import type { Chain } from "../../src/model/chain.js";
import { ProductPicker } from "../../src/model/popularity.js";
import { stockPlan } from "../../src/model/stockPlan.js";
import { SeededRng } from "../../src/random/rng.js";
import { openChain, tinyChain } from "../support/chain.js";

const free: Chain = {
  ...openChain,
  products: openChain.products.map(({ initial_stock: _i, reorder_point: _r, ...p }) => p),
};
const rng = new SeededRng(1);
const plan = (chain: Chain, restock?: number) =>
  stockPlan({
    chain,
    picker: new ProductPicker(chain),
    weights: {
      sale: 50,
      inventory_update: 20,
      customer_event: 15,
      price_change: 10,
      ...(restock === undefined ? {} : { restock_alert: restock }),
    },
    perDay: 2468,
    leadTimeMs: 4 * 3_600_000,
    start: Date.UTC(2026, 10, 2),
    rngOf: () => rng,
  });

describe("stockPlan", () => {
  it("should keep a product's fixed levels in every store", () => {
    const levels = plan(tinyChain);
    expect([...levels.start]).to.deep.equal([100, 50, 20, 100, 50, 20]);
    expect([...levels.target]).to.deep.equal([100, 50, 20, 100, 50, 20]);
    expect([...levels.reorder]).to.deep.equal([20, 10, 5, 20, 10, 5]);
  });

  it("should start each cell between its reorder point and its refill level, with a shelf of at least 8", () => {
    const levels = plan(free);
    for (let cell = 0; cell < levels.start.length; cell += 1) {
      expect(levels.reorder[cell]).to.be.at.least(2);
      expect(levels.target[cell]! - levels.reorder[cell]!).to.be.at.least(6);
      expect(levels.start[cell]).to.be.above(levels.reorder[cell]!).and.at.most(levels.target[cell]!);
    }
  });

  it("should stock shallower (more frequent crossings) for a higher restock weight", () => {
    const cycle = (restock: number): number => {
      const levels = plan(free, restock);
      return levels.target.reduce((sum, t, cell) => sum + t - levels.reorder[cell]!, 0);
    };
    expect(cycle(20)).to.be.below(cycle(5));
    expect(cycle(5)).to.be.below(cycle(1));
  });
});
