import { expect } from "chai";
import { map, range, take } from "rxjs";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { randomDelay } from "../../src/operators/randomDelay.js";
import { SeededRng, fixedRng } from "../../src/random/rng.js";
import { testScheduler } from "../support/marbles.js";

describe("randomDelay", () => {
  it("should emit the first value at once and space the rest by gaps drawn from [min, max]", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("  (abc|)");
      const subs = "        (^!)";
      const expected = "     a 9ms b 14ms (c|)";
      // rng 0 → 10 ms, 0.5 → 15 ms
      expectObservable(source.pipe(randomDelay(10, 20, { rng: fixedRng([0, 0.5]), scheduler }))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it("should reach the top of the range when the generator yields its largest draw", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("(ab|)");
      expectObservable(source.pipe(randomDelay(10, 20, { rng: fixedRng([0.9999999]), scheduler }))).toBe("a 19ms (b|)");
    });
  });

  it("should emit at a fixed interval when min equals max", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold("(abcd|)");
      expectObservable(source.pipe(randomDelay(5, 5, { rng: fixedRng([0.3, 0.8]), scheduler }))).toBe(
        "a 4ms b 4ms c 4ms (d|)",
      );
    });
  });

  it("should wait for a late value, then space the next one from it", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("a 29ms b-c|");
      const subs = "       ^ 32ms !";
      // b arrives at 30, after a's gap ran out: it waits its own 10 ms from arrival; c waits 10 ms after b.
      const expected = "   a 39ms b 9ms (c|)";
      expectObservable(source.pipe(randomDelay(10, 10, { rng: fixedRng([0]), scheduler }))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it("should let 0, 0 emit everything in the same frame, each value as its own scheduled action", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold("(abc|)").pipe(randomDelay(0, 0, { rng: fixedRng([0.5]), scheduler }))).toBe("(abc|)");
    });
  });

  it("should stop waiting when unsubscribed", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("(abc|)");
      expectObservable(source.pipe(randomDelay(10, 10, { rng: fixedRng([0]), scheduler })), "^ 14ms !").toBe("a 9ms b");
      expectSubscriptions(source.subscriptions).toBe("(^!)");
    });
  });

  it("should reject a range with min above max or a negative bound", () => {
    const rng = fixedRng([0]);
    expect(() => randomDelay(20, 10, { rng })).to.throw(RangeError, /0 ≤ min ≤ max/);
    expect(() => randomDelay(-1, 10, { rng })).to.throw(RangeError);
    expect(() => randomDelay(0, Number.NaN, { rng })).to.throw(RangeError);
  });

  it("should draw gaps that pass a Kolmogorov–Smirnov test against U(min, max)", () => {
    const min = 10_000;
    const max = 60_000;
    const scheduler = new SimulatedScheduler(0);
    const times: number[] = [];
    range(0, 10_001)
      .pipe(
        randomDelay(min, max, { rng: new SeededRng(2026), scheduler }),
        map(() => scheduler.now()),
        take(10_001),
      )
      .subscribe((t) => times.push(t));
    while (scheduler.runNext());
    const gaps = times
      .slice(1)
      .map((t, i) => t - (times[i] as number))
      .sort((a, b) => a - b);
    expect(gaps).to.have.length(10_000);
    let d = 0;
    gaps.forEach((gap, i) => {
      const cdf = (gap - min) / (max - min);
      d = Math.max(d, Math.abs(cdf - i / gaps.length), Math.abs(cdf - (i + 1) / gaps.length));
    });
    // Critical value at α = 0.01: 1.628 / √n.
    expect(d).to.be.below(1.628 / Math.sqrt(gaps.length));
    expect(gaps[0]).to.be.at.least(min);
    expect(gaps.at(-1)).to.be.at.most(max);
  });
});
