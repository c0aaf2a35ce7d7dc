import { expect } from "chai";
import { ChainState } from "../../src/model/chainState.js";
import { readChain } from "../../src/data/chainFiles.js";
import { SAMPLE_DATA_DIR } from "../../src/data/chainFiles.js";
import { tinyChain } from "../support/chain.js";

/** The best-stocked cell of `store` as the rule says it: the first product with the most stock, none when all are out. */
function scanned(state: ChainState, store: number): number | undefined {
  let best: number | undefined;
  for (let product = 0; product < state.products.length; product += 1) {
    const cell = state.cellOf(store, product);
    if (state.stockAt(cell) > (best === undefined ? 0 : state.stockAt(best))) best = cell;
  }
  return best;
}

describe("ChainState.bestStocked", () => {
  for (const [name, chain] of [
    ["the tiny chain (3 products)", tinyChain],
    ["the sample chain (500 products)", readChain(SAMPLE_DATA_DIR)],
  ] as const) {
    it(`should name the scan's cell after every change, down to every product sold out, in ${name}`, () => {
      const state = new ChainState(chain);
      // A fixed walk of changes: mostly sales that empty the shelves, some receipts, ties on purpose (equal levels).
      let seed = 12345;
      const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      let checked = 0;
      for (let step = 0; step < 40_000; step += 1) {
        const store = next(state.stores.length);
        const cell = state.cellOf(store, next(state.products.length));
        const stock = state.stockAt(cell);
        state.apply(cell, next(10) === 0 ? 5 - (stock % 5) : -Math.min(stock, 1 + next(30)));
        expect(state.bestStocked(store), `step ${step}`).to.equal(scanned(state, store));
        checked += 1;
      }
      // Then every shelf of store 0 emptied: none.
      for (let product = 0; product < state.products.length; product += 1) {
        const cell = state.cellOf(0, product);
        state.apply(cell, -state.stockAt(cell));
      }
      expect(state.bestStocked(0)).to.equal(undefined);
      state.apply(state.cellOf(0, state.products.length - 1), 1);
      expect(state.bestStocked(0)).to.equal(state.cellOf(0, state.products.length - 1));
      expect(checked).to.equal(40_000);
    });
  }
});
