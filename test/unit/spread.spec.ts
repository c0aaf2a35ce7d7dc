import { expect } from "chai";
import { from, mergeMap, Subject, take } from "rxjs";
import { spread } from "../../src/operators/spread.js";
import { testScheduler } from "../support/marbles.js";

describe("spread", () => {
  it("should emit each value's items in order at the value's time, as mergeMap over from() does", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a 4ms b 9ms c|", { a: [1, 10], b: [], c: [3] });
      expectObservable(source.pipe(spread((items: number[]) => items))).toBe("(wx) 11ms y|", { w: 1, x: 10, y: 3 });
      expectObservable(source.pipe(mergeMap((items: number[]) => from(items)))).toBe("(wx) 11ms y|", {
        w: 1,
        x: 10,
        y: 3,
      });
    });
  });

  it("should pass errors on and stop at once when the subscriber is done (take)", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("a #", { a: [1] }).pipe(spread((items: number[]) => items))).toBe("a #", { a: 1 });
      expectObservable(
        cold("a", { a: [1, 2, 3] }).pipe(
          spread((items: number[]) => items),
          take(2),
        ),
      ).toBe("(ab|)", { a: 1, b: 2 });
    });
    const seen: number[] = [];
    const subject = new Subject<number[]>();
    const subscription = subject.pipe(spread((items) => items)).subscribe((n) => seen.push(n));
    subject.next([1, 2]);
    subscription.unsubscribe();
    subject.next([3]);
    expect(seen).to.deep.equal([1, 2]);
  });
});
