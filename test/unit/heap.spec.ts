import { expect } from "chai";
import { Heap } from "../../src/clock/heap.js";
import { SeededRng } from "../../src/random/rng.js";

describe("Heap", () => {
  it("should pop in order of `before`, whatever the push order", () => {
    const heap = new Heap<number>((a, b) => a < b);
    const rng = new SeededRng(3);
    const values = Array.from({ length: 500 }, () => Math.floor(rng.next() * 100));
    for (const v of values) heap.push(v);
    expect(heap.size).to.equal(500);
    const popped: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) popped.push(v);
    expect(popped).to.deep.equal([...values].sort((a, b) => a - b));
    expect(heap.size).to.equal(0);
  });

  it("should show the smallest without removing it, and nothing when empty", () => {
    const heap = new Heap<number>((a, b) => a < b);
    expect(heap.peek()).to.equal(undefined);
    expect(heap.pop()).to.equal(undefined);
    heap.push(5);
    heap.push(2);
    heap.push(9);
    expect(heap.peek()).to.equal(2);
    expect(heap.size).to.equal(3);
  });

  it("should keep only what passes a filter, still in order", () => {
    const heap = new Heap<number>((a, b) => a < b);
    for (const v of [8, 3, 7, 1, 6, 2, 5, 4]) heap.push(v);
    heap.filter((v) => v % 2 === 0);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop(), heap.pop()]).to.deep.equal([2, 4, 6, 8, undefined]);
  });
});
