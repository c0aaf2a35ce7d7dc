import { expect } from "chai";
import { every } from "../../src/clock/every.js";
import { FakeWall } from "../support/fakeWall.js";

describe("every (the injected wall clock's repeating timer)", () => {
  it("should call back once per period of the wall clock it is given, and never after stop", () => {
    const wall = new FakeWall();
    const calls: number[] = [];
    const stop = every(wall, 100, () => calls.push(wall.now()));
    wall.advance(350);
    expect(calls).to.deep.equal([100, 200, 300]);
    stop();
    wall.advance(1000);
    expect(calls).to.deep.equal([100, 200, 300]);
    expect(wall.nextTimerAt()).to.equal(undefined);
  });

  it("should stop from inside its own callback", () => {
    const wall = new FakeWall();
    let calls = 0;
    const stop = every(wall, 50, () => {
      calls += 1;
      if (calls === 2) stop();
    });
    wall.advance(500);
    expect(calls).to.equal(2);
  });
});
