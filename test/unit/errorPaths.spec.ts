import { map } from "rxjs";
import { fixedArrivals } from "../../src/model/arrivals.js";
import type { Tick } from "../../src/model/tick.js";
import { chooseType } from "../../src/operators/chooseType.js";
import { flashSale } from "../../src/operators/flashSale.js";
import { paced } from "../../src/operators/paced.js";
import { randomDelay } from "../../src/operators/randomDelay.js";
import { storeOutage } from "../../src/operators/storeOutage.js";
import { surge } from "../../src/operators/surge.js";
import { fixedRng } from "../../src/random/rng.js";
import { testScheduler } from "../support/marbles.js";

const tick = (time: number): Tick => ({ type: "sale", time, rng: fixedRng([0.5]) });
const brief = (t: Tick): string =>
  `${t.reprice ? t.reprice.phase : t.type}${t.closed?.size ? "-closed" : ""}@${t.time}`;
const boom = new Error("boom");

// Every operator passes an error on at its frame (after what it already emitted) and unsubscribes
// from its source; every operator unsubscribes from its source when its own subscriber leaves.
describe("operators on the error path and on unsubscription", () => {
  it("randomDelay should emit what is due, then the error, and drop a value still waiting its gap", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("(ab) 5ms #", undefined, boom);
      // a at 0; b waits 10 ms but the error comes at 9.
      expectObservable(source.pipe(randomDelay(10, 10, { rng: fixedRng([0]) }))).toBe("a 8ms #", undefined, boom);
      expectSubscriptions(source.subscriptions).toBe("^ 8ms !");
    });
  });

  it("randomDelay should cancel a waiting gap when its subscriber leaves", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("(ab|)");
      expectObservable(source.pipe(randomDelay(10, 10, { rng: fixedRng([0]) })), "^ 5ms !").toBe("a");
      expectSubscriptions(source.subscriptions).toBe("(^!)");
    });
  });

  it("paced should pass a source error on at once", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("a 2ms #", undefined, boom);
      expectObservable(source.pipe(paced(fixedArrivals(5), { rng: fixedRng([0]) }))).toBe("a 2ms #", undefined, boom);
      expectSubscriptions(source.subscriptions).toBe("^ 2ms !");
    });
  });

  it("paced should error when its arrival model throws (a curve that stays at 0)", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const failing = (): number => {
        throw boom;
      };
      expectObservable(cold("a b").pipe(paced(failing, { rng: fixedRng([0]) }))).toBe("a #", undefined, boom);
    });
  });

  it("chooseType should pass an error on and unsubscribe", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("a #", undefined, boom);
      expectObservable(source.pipe(chooseType({ sale: 1 }, { rng: fixedRng([0.5]) }))).toBe("s #", { s: "sale" }, boom);
      expectSubscriptions(source.subscriptions).toBe("^!");
    });
  });

  it("chooseType should unsubscribe from its source when its subscriber leaves", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("a 9ms b 9ms c|");
      expectObservable(source.pipe(chooseType({ sale: 1 }, { rng: fixedRng([0.5]) })), "^ 12ms !").toBe("s 9ms s", {
        s: "sale",
      });
      expectSubscriptions(source.subscriptions).toBe("^ 12ms !");
    });
  });

  it("storeOutage should pass an error on and unsubscribe", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Tick>("a 9ms #", { a: tick(0) }, boom);
      expectObservable(source.pipe(storeOutage({ store: "S001", at: 0, duration: 5 }), map(brief))).toBe(
        "a 9ms #",
        { a: "sale-closed@0" },
        boom,
      );
      expectSubscriptions(source.subscriptions).toBe("^ 9ms !");
    });
  });

  it("surge should pass an error on after the copies of the tick before it", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Tick>("a 9ms #", { a: tick(0) }, boom);
      expectObservable(source.pipe(surge(2, { at: 0, duration: 5 }), map(brief))).toBe(
        "(aa) 6ms #",
        { a: "sale@0" },
        boom,
      );
      expectSubscriptions(source.subscriptions).toBe("^ 9ms !");
    });
  });

  it("surge should unsubscribe from its source when its subscriber leaves", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Tick>("a 9ms b|", { a: tick(0), b: tick(10) });
      expectObservable(source.pipe(surge(2, { at: 100, duration: 5 }), map(brief)), "^ 5ms !").toBe("a", {
        a: "sale@0",
      });
      expectSubscriptions(source.subscriptions).toBe("^ 5ms !");
    });
  });

  it("flashSale should pass an error on during the sale without restoring prices", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Tick>("a 9ms #", { a: tick(0) }, boom);
      const sale = flashSale({ at: 0, duration: 100, category: "Toys", discount: 0.5, demandFactor: 1, share: 0.1 });
      expectObservable(source.pipe(sale, map(brief))).toBe("(ps) 6ms #", { p: "start@0", s: "sale@0" }, boom);
      expectSubscriptions(source.subscriptions).toBe("^ 9ms !");
    });
  });

  it("flashSale should keep its phase per subscription: a second run starts before the sale again", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const sale = flashSale({ at: 0, duration: 100, category: "Toys", discount: 0.5, demandFactor: 1, share: 0.1 });
      const source = cold<Tick>("a 9ms |", { a: tick(0) });
      const twice = source.pipe(sale, map(brief));
      expectObservable(twice).toBe("(ps) 6ms |", { p: "start@0", s: "sale@0" });
      expectObservable(twice).toBe("(ps) 6ms |", { p: "start@0", s: "sale@0" });
    });
  });
});
