import { expect } from "chai";
import { planEpisodes, type AnomalySpec } from "../../src/model/anomalies.js";
import { isOnline, isOpen } from "../../src/model/hours.js";
import type { Store } from "../../src/model/chain.js";
import { readChain } from "../../src/data/chainFiles.js";

const chain = readChain();
const SPAN = { seed: 7, from: Date.parse("2026-11-02T00:00:00Z"), to: Date.parse("2026-11-30T00:00:00Z") };

describe("planEpisodes", () => {
  it("should plan about the rate asked, each episode whole: its acts inside it, in order", () => {
    const episodes = planEpisodes([{ kind: "card_testing", perDay: 2 }], chain, SPAN);
    // 28 days at 2 a day: a Poisson total of mean 56.
    expect(episodes.length).to.be.within(35, 80);
    for (const e of episodes) {
      expect(e.start).to.be.within(SPAN.from, SPAN.to - 1);
      expect(e.end - e.start).to.equal(20 * 60_000);
      expect(e.acts).to.have.length(30);
      expect([...e.acts].sort((a, b) => a - b)).to.deep.equal(e.acts);
      expect(e.acts.every((t) => t >= e.start && t < e.end)).to.equal(true);
      expect(isOnline(chain.stores[e.store] as Store)).to.equal(true);
      expect(e.customer).to.match(/^W-[0-9A-Z]{8}$/);
    }
  });

  it("should start shoplifting only in a physical store with its doors open", () => {
    const episodes = planEpisodes([{ kind: "shrinkage", perDay: 3 }], chain, SPAN);
    expect(episodes.length).to.be.greaterThan(40);
    for (const e of episodes) {
      const store = chain.stores[e.store] as Store;
      expect(isOnline(store), store.store_id).to.equal(false);
      expect(isOpen(store, e.start), `${store.store_id} at ${new Date(e.start).toISOString()}`).to.equal(true);
    }
  });

  it("should plan the same episodes for a seed whatever other kinds the scenario asks for, and others for another seed", () => {
    const spike: AnomalySpec = { kind: "demand_spike", perDay: 1 };
    const alone = planEpisodes([spike], chain, SPAN);
    const withOthers = planEpisodes([spike, { kind: "stockout", perDay: 2 }], chain, SPAN).filter(
      (e) => e.kind === "demand_spike",
    );
    expect(withOthers).to.deep.equal(alone);
    expect(planEpisodes([spike], chain, { ...SPAN, seed: 8 })).to.not.deep.equal(alone);
  });

  it("should put a dated episode where it is said, and leave out one outside the span", () => {
    const [dated, ...rest] = planEpisodes(
      [
        { kind: "pricing_error", at: "2026-11-03T12:00:00Z", store: "S002", product: "P0007", priceFactor: 0.05 },
        { kind: "stockout", at: "2026-12-03T12:00:00Z" },
      ],
      chain,
      SPAN,
    );
    expect(rest).to.deep.equal([]);
    expect(dated).to.deep.include({
      kind: "pricing_error",
      start: Date.parse("2026-11-03T12:00:00Z"),
      end: Date.parse("2026-11-03T15:00:00Z"),
      store: chain.stores.findIndex((s) => s.store_id === "S002"),
      product: chain.products.findIndex((p) => p.sku === "P0007"),
      priceFactor: 0.05,
    });
  });
});
