import { expect } from "chai";
import { Driver, type Backpressure } from "../../src/clock/driver.js";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { FakeWall } from "../support/fakeWall.js";

/** Schedules one action per simulated time and records the wall time each one ran at. */
function plan(scheduler: SimulatedScheduler, wall: FakeWall, times: number[]): Array<[sim: number, wall: number]> {
  const ran: Array<[number, number]> = [];
  for (const t of times) scheduler.schedule(() => ran.push([scheduler.now(), wall.now()]), t - scheduler.now());
  return ran;
}

describe("Driver", () => {
  it("should run each action when the wall clock reaches its simulated time (speed 1)", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(1000);
    const ran = plan(scheduler, wall, [1000, 1010, 1025]);
    new Driver(scheduler, { wall, anchor: 1000, spinMs: 0 }).start();
    wall.advance(9);
    expect(ran).to.deep.equal([[1000, 0]]);
    wall.advance(30);
    expect(ran).to.deep.equal([
      [1000, 0],
      [1010, 10],
      [1025, 25],
    ]);
  });

  it("should compress simulated time by the speed factor", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const ran = plan(scheduler, wall, [0, 60_000, 90_000]);
    new Driver(scheduler, { wall, anchor: 0, speed: 1000, spinMs: 0 }).start();
    wall.advance(200);
    expect(ran).to.deep.equal([
      [0, 0],
      [60_000, 60],
      [90_000, 90],
    ]);
  });

  it("should run a backfill without waiting, then hand over to live pacing at the seam", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    // Backfill [0, 100); live from 100, anchored to wall 0.
    const ran = plan(scheduler, wall, [0, 40, 90, 130, 160]);
    new Driver(scheduler, { wall, anchor: 100, fastUntil: 100, spinMs: 0 }).start();
    wall.settle();
    expect(ran).to.deep.equal([
      [0, 0],
      [40, 0],
      [90, 0],
    ]);
    wall.advance(100);
    expect(ran.slice(3)).to.deep.equal([
      [130, 30],
      [160, 60],
    ]);
  });

  it("should run everything that fell due during one sleep in that wake-up", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const times = Array.from({ length: 60 }, (_, i) => 10 + (i % 3));
    const ran = plan(scheduler, wall, times);
    wall.lateBy = 2;
    new Driver(scheduler, { wall, anchor: 0, spinMs: 0 }).start();
    wall.advance(12);
    // The timer meant for 10 fired at 12: all 60 (due 10, 11, 12) ran in that one wake-up.
    expect(ran).to.have.length(60);
    expect(ran.every(([, w]) => w === 12)).to.equal(true);
  });

  it("should hold while the sink is held and catch up with planned times when it frees", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const ran = plan(scheduler, wall, [0, 10, 20, 30]);
    let held = false;
    let resume: (() => void) | undefined;
    const backpressure: Backpressure = {
      get held() {
        return held;
      },
      whenReady: (r) => (resume = r),
    };
    const driver = new Driver(scheduler, { wall, anchor: 0, backpressure, spinMs: 0 });
    driver.start();
    wall.advance(5);
    held = true;
    wall.advance(25);
    expect(ran).to.deep.equal([[0, 0]]);
    expect(driver.lag()).to.equal(15);
    held = false;
    resume?.();
    wall.advance(40);
    expect(ran).to.deep.equal([
      [0, 0],
      [10, 25],
      [20, 25],
      [30, 30],
    ]);
  });

  it("should wake early and spin out the last millisecond when timers are imprecise", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const ran = plan(scheduler, wall, [0, 10]);
    new Driver(scheduler, { wall, anchor: 0, spinMs: 1 }).start();
    wall.settle();
    expect(ran).to.deep.equal([[0, 0]]);
    // The timer is asked for 9 ms, one early; from then on the driver spins until 10 is reached.
    expect(wall.nextTimerAt()).to.equal(9);
    wall.time = 9;
    expect(() => wall.advance(9)).to.throw(/never settle/);
    expect(ran).to.have.length(1);
    wall.time = 10;
    wall.settle();
    expect(ran).to.deep.equal([
      [0, 0],
      [10, 10],
    ]);
  });

  it("should finish when nothing is left to run", async () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const ran = plan(scheduler, wall, [0, 5]);
    let finished = false;
    const driver = new Driver(scheduler, { wall, anchor: 0, spinMs: 0 }).start();
    void driver.done.then(() => (finished = true));
    wall.settle();
    await Promise.resolve();
    expect(finished).to.equal(false);
    wall.advance(5);
    await driver.done;
    expect(ran).to.deep.equal([
      [0, 0],
      [5, 5],
    ]);
    expect(wall.nextTimerAt()).to.equal(undefined);
  });

  it("should run nothing more once stopped, its pending timer cleared", async () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const ran = plan(scheduler, wall, [0, 10]);
    const driver = new Driver(scheduler, { wall, anchor: 0, spinMs: 0 }).start();
    wall.settle();
    expect(wall.nextTimerAt()).to.equal(10);
    driver.stop();
    await driver.done;
    expect(wall.nextTimerAt()).to.equal(undefined);
    wall.advance(100);
    expect(ran).to.deep.equal([[0, 0]]);
    expect(scheduler.pending).to.equal(1);
  });

  it("should stand still while paused and go on from where it stopped, the pause not made up for", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const ran = plan(scheduler, wall, [0, 10, 20, 30]);
    const driver = new Driver(scheduler, { wall, anchor: 0, spinMs: 0 }).start();
    wall.advance(12);
    driver.pause();
    expect(driver.target()).to.equal(12);
    wall.advance(112);
    expect(ran).to.deep.equal([
      [0, 0],
      [10, 10],
    ]);
    expect(driver.target()).to.equal(12);
    driver.resume();
    wall.advance(130);
    // 20 was 8 simulated ms away when paused at wall 12: it runs 8 wall ms after the resume at 112, 30 at 130.
    expect(ran.slice(2)).to.deep.equal([
      [20, 120],
      [30, 130],
    ]);
  });

  it("should pace at a new speed from the moment it is set, keeping the simulated time reached", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const ran = plan(scheduler, wall, [0, 100, 1100]);
    const driver = new Driver(scheduler, { wall, anchor: 0, spinMs: 0 }).start();
    wall.advance(100);
    expect(ran).to.deep.equal([
      [0, 0],
      [100, 100],
    ]);
    driver.setSpeed(10);
    expect(driver.speed).to.equal(10);
    // 1000 simulated ms to go at 10× are 100 wall ms (not the 1000 planned at speed 1).
    wall.advance(200);
    expect(ran.slice(2)).to.deep.equal([[1100, 200]]);
  });

  it("should count the wall time the sink held it", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    plan(scheduler, wall, [0, 1, 2]);
    let held = true;
    let release: (() => void) | undefined;
    const sink: Backpressure = {
      get held() {
        return held;
      },
      whenReady: (resume) => (release = resume),
    };
    const driver = new Driver(scheduler, { wall, anchor: 0, spinMs: 0, fastUntil: 10, backpressure: sink }).start();
    wall.settle();
    wall.advance(40);
    expect(driver.heldMs()).to.equal(40);
    held = false;
    release?.();
    wall.settle();
    wall.advance(50);
    expect(driver.heldMs()).to.equal(40);
  });
});
