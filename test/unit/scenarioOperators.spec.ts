import { expect } from "chai";
import { map } from "rxjs";
import { fixedArrivals } from "../../src/model/arrivals.js";
import type { Tick } from "../../src/model/tick.js";
import { anomalies } from "../../src/operators/anomalies.js";
import type { Episode } from "../../src/model/anomalies.js";
import { flashSale } from "../../src/operators/flashSale.js";
import { paced } from "../../src/operators/paced.js";
import { storeOutage } from "../../src/operators/storeOutage.js";
import { surge } from "../../src/operators/surge.js";
import { fixedRng } from "../../src/random/rng.js";
import { testScheduler } from "../support/marbles.js";

const tick = (time: number, type: Tick["type"] = "sale", draw = 0.5): Tick => ({ type, time, rng: fixedRng([draw]) });
const brief = (t: Tick): string =>
  t.reprice
    ? `${t.reprice.phase}@${t.time}`
    : `${t.type}${t.category ? `:${t.category}` : ""}${t.closed?.size ? `-${[...t.closed].join("")}` : ""}@${t.time}`;

describe("scenario operators", () => {
  it("paced should space values by its arrival model", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("(abc|)");
      expectObservable(source.pipe(paced(fixedArrivals(5), { rng: fixedRng([0]), scheduler }))).toBe(
        "a 4ms b 4ms (c|)",
      );
      expectSubscriptions(source.subscriptions).toBe("(^!)");
    });
  });

  it("paced should make the first value wait a gap too when asked to draw it", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold("(ab|)").pipe(paced(fixedArrivals(5), { rng: fixedRng([0]), scheduler }, "drawn"))).toBe(
        "5ms a 4ms (b|)",
      );
    });
  });

  it("storeOutage should close the store for ticks in [at, at + duration) only", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<Tick>("a 9ms b 9ms c|", { a: tick(0), b: tick(10), c: tick(20) });
      expectObservable(source.pipe(storeOutage({ store: "S001", at: 10, duration: 10 }), map(brief))).toBe(
        "a 9ms b 9ms c|",
        { a: "sale@0", b: "sale-S001@10", c: "sale@20" },
      );
    });
  });

  it("surge should multiply the ticks inside its window", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      // factor 2.5: two copies always, a third when the draw (0.2) is below 0.5
      const source = cold<Tick>("a 9ms b 9ms c|", {
        a: tick(0, "sale", 0.2),
        b: tick(10, "sale", 0.2),
        c: tick(20, "sale", 0.2),
      });
      expectObservable(source.pipe(surge(2.5, { at: 10, duration: 10 }), map(brief))).toBe("a 9ms (bbb) 5ms c|", {
        a: "sale@0",
        b: "sale@10",
        c: "sale@20",
      });
    });
  });

  it("flashSale should cut prices with the first tick of its window, add category demand, and restore after", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<Tick>("a 9ms b 9ms c 9ms (d|)", {
        a: tick(0, "sale", 0.1),
        b: tick(10, "sale", 0.1),
        c: tick(20, "price_change", 0.1),
        d: tick(30, "sale", 0.1),
      });
      const sale = flashSale({ at: 5, duration: 20, category: "Toys", discount: 0.3, demandFactor: 3, share: 0.5 });
      // (3 − 1) × 0.5 = 1 extra Toys sale per sale tick in the window
      expectObservable(source.pipe(sale, map(brief))).toBe("a 9ms (pbx) 5ms c 9ms (rd|)", {
        a: "sale@0",
        p: "start@10",
        b: "sale@10",
        x: "sale:Toys@10",
        c: "price_change@20",
        r: "end@30",
        d: "sale@30",
      });
    });
  });

  it("flashSale should do nothing when the run starts after the sale ended (no cut, no restore)", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<Tick>("a 9ms b|", { a: tick(50), b: tick(60) });
      const sale = flashSale({
        at: 10,
        duration: 20,
        category: "Electronics",
        discount: 0.3,
        demandFactor: 1,
        share: 0.1,
      });
      expectObservable(source.pipe(sale, map(brief))).toBe("a 9ms b|", { a: "sale@50", b: "sale@60" });
    });
  });

  it("should refuse a flash sale discount outside (0, 1) and a surge factor ≤ 0", () => {
    expect(() =>
      flashSale({ at: 0, duration: 1, category: "Toys", discount: 1.2, demandFactor: 2, share: 0.1 }),
    ).to.throw(RangeError, /discount/);
    expect(() => surge(0, { at: 0, duration: 1 })).to.throw(RangeError, /factor/);
  });

  describe("anomalies", () => {
    const episode = (start: number, end: number, acts: number[]): Episode => ({
      id: "A-1",
      kind: "shrinkage",
      start,
      end,
      store: 0,
      product: 0,
      acts,
    });
    const step = (t: Tick): string =>
      t.anomaly === undefined ? `${t.type}@${t.time}` : `${t.anomaly.phase}@${t.time}`;

    it("should start, act and end each episode at its planned times, between the source's ticks", () => {
      const scheduler = testScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const source = cold<Tick>("t 19ms t 19ms (t|)", { t: tick(0) });
        const rng = fixedRng([0]);
        expectObservable(
          source.pipe(
            map((t) => ({ ...t, time: scheduler.now() })),
            anomalies([episode(10, 30, [12, 25])], { scheduler, rng }),
            map(step),
          ),
        ).toBe("t 9ms S 1ms a 7ms u 4ms b 4ms E 9ms (v|)", {
          t: "sale@0",
          S: "start@10",
          a: "act@12",
          u: "sale@20",
          b: "act@25",
          E: "end@30",
          v: "sale@40",
        });
      });
    });

    it("should act at once on steps due before the first tick, and end an episode under way when the ticks end", () => {
      const scheduler = testScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const source = cold<Tick>("5ms t 14ms (t|)", { t: tick(0) });
        expectObservable(
          source.pipe(anomalies([episode(-10, 100, [-5, 8, 50])], { scheduler, rng: fixedRng([0]) }), map(step)),
        ).toBe("(Sa) 1ms t 2ms b 11ms (tE|)", {
          t: "sale@0",
          S: "start@0",
          a: "act@0",
          b: "act@8",
          E: "end@20",
        });
      });
    });
  });
});
