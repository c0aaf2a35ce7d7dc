import { expect } from "chai";
import { Driver } from "../../src/clock/driver.js";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { isCaused, type RetailEvent } from "../../src/model/events.js";
import { SeededRng } from "../../src/random/rng.js";
import { retailEvents$ } from "../../src/streams/retailEvents.js";
import { tinyChain } from "../support/chain.js";
import { FakeWall } from "../support/fakeWall.js";

interface Mode {
  speed?: number;
  fastUntil?: number;
}

/** Runs the pipeline under the driver on a fake wall; returns events with the wall time each left at. */
function run(
  seed: number,
  minMs: number,
  maxMs: number,
  until: number,
  mode: Mode,
): Array<{ event: RetailEvent; wall: number }> {
  const wall = new FakeWall();
  const scheduler = new SimulatedScheduler(0);
  const out: Array<{ event: RetailEvent; wall: number }> = [];
  retailEvents$({
    chain: tinyChain,
    rng: new SeededRng(seed),
    scheduler,
    minDelayMs: minMs,
    maxDelayMs: maxMs,
    until,
  }).subscribe((event) => out.push({ event, wall: wall.now() }));
  new Driver(scheduler, {
    wall,
    anchor: mode.fastUntil ?? 0,
    speed: mode.speed ?? 1,
    fastUntil: mode.fastUntil,
    spinMs: 0,
  }).start();
  wall.advance(until / (mode.speed ?? 1) + 1);
  return out;
}

const primaries = (events: Array<{ event: RetailEvent }>) => events.filter(({ event }) => !isCaused(event));

describe("time modes (backfill, speed, handover)", () => {
  it("should keep every gap in [min, max] and match the --speed 1000 run event for event (many seeds and ranges)", () => {
    const rng = new SeededRng(42);
    for (let trial = 0; trial < 25; trial += 1) {
      const seed = Math.floor(rng.next() * 1e6);
      const min = Math.floor(rng.next() * 20_000);
      const max = min + Math.floor(rng.next() * 50_000);
      const until = 3_600_000;
      const backfill = run(seed, min, max, until, { fastUntil: until });
      const live = run(seed, min, max, until, { speed: 1000 });
      expect(
        backfill.map((e) => e.event),
        `seed ${seed}`,
      ).to.deep.equal(live.map((e) => e.event));
      const times = primaries(backfill).map(({ event }) => Date.parse(event.event_time));
      times.slice(1).forEach((t, i) => expect(t - (times[i] as number)).to.be.within(min, max));
      expect(
        backfill.every(({ wall }) => wall === 0),
        "a backfill never waits",
      ).to.equal(true);
    }
  });

  it("should emit live events when the wall reaches simulated time / speed", () => {
    const live = run(5, 10_000, 60_000, 600_000, { speed: 1000 });
    expect(live.length).to.be.above(10);
    // The fake wall's timers are whole milliseconds: each event leaves at the first one at or after its time.
    for (const { event, wall } of live) expect(wall).to.equal(Math.ceil(Date.parse(event.event_time) / 1000));
  });

  it("should continue after the backfill from the last backfilled event: no gap twice, time never backwards", () => {
    const wall = new FakeWall();
    const scheduler = new SimulatedScheduler(0);
    const seam = 300_000;
    const seen: Array<{ time: number; wall: number }> = [];
    retailEvents$({
      chain: tinyChain,
      rng: new SeededRng(8),
      scheduler,
      minDelayMs: 10_000,
      maxDelayMs: 60_000,
      weights: { customer_event: 1 },
      until: seam + 300_000,
    }).subscribe((e) => seen.push({ time: Date.parse(e.event_time), wall: wall.now() }));
    new Driver(scheduler, { wall, anchor: seam, fastUntil: seam, spinMs: 0 }).start();
    wall.advance(300_001);
    const gaps = seen.slice(1).map((e, i) => e.time - (seen[i] as { time: number }).time);
    expect(Math.min(...gaps)).to.be.at.least(10_000);
    expect(Math.max(...gaps)).to.be.at.most(60_000);
    const before = seen.filter((e) => e.time < seam);
    const after = seen.filter((e) => e.time >= seam);
    expect(before.every((e) => e.wall === 0)).to.equal(true);
    for (const e of after) expect(e.wall).to.equal(e.time - seam);
    // The first live gap is measured from the last backfilled event, not from the seam.
    expect((after[0] as { time: number }).time - (before.at(-1) as { time: number }).time).to.be.within(10_000, 60_000);
  });
});
