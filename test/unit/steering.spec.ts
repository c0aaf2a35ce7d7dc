import { expect } from "chai";
import { map } from "rxjs";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { uniformArrivals } from "../../src/model/arrivals.js";
import type { RetailEvent } from "../../src/model/events.js";
import { DEFAULT_WEIGHTS } from "../../src/model/weights.js";
import { SeededRng } from "../../src/random/rng.js";
import { retailEvents$ } from "../../src/streams/retailEvents.js";
import { Steering } from "../../src/streams/steering.js";
import { openChain } from "../support/chain.js";
import { testScheduler } from "../support/marbles.js";

/** Runs a stream to its end on a simulated clock; `during` may steer it at simulated times. */
function collect(
  steering: Steering | undefined,
  count: number,
  during: Array<[at: number, act: () => void]> = [],
): RetailEvent[] {
  const scheduler = new SimulatedScheduler(0);
  const events: RetailEvent[] = [];
  const options = { chain: openChain, rng: new SeededRng(9), scheduler, count, minDelayMs: 10_000, maxDelayMs: 60_000 };
  retailEvents$(steering === undefined ? options : { ...options, ...steering.options() }).subscribe((e) =>
    events.push(e),
  );
  for (const [at, act] of during) scheduler.schedule(act, at);
  while (scheduler.runNext());
  return events;
}
const steering = (): Steering => new Steering({ arrivals: uniformArrivals(10_000, 60_000), weights: DEFAULT_WEIGHTS });

describe("Steering", () => {
  it("should leave the stream exactly as the options alone make it until something is changed", () => {
    expect(collect(steering(), 500)).to.deep.equal(collect(undefined, 500));
  });

  it("should change the mix from the next primary event on", () => {
    const s = steering();
    const events = collect(s, 400, [
      [3_600_000, () => s.setWeights({ sale: 0, inventory_update: 0, customer_event: 1, price_change: 0 })],
    ]);
    const after = events.filter((e) => Date.parse(e.event_time) > 3_600_000);
    expect(after.length).to.be.above(100);
    expect(after.every((e) => e.event_type === "customer_event")).to.equal(true);
    expect(events.filter((e) => Date.parse(e.event_time) < 3_600_000).some((e) => e.event_type === "sale")).to.equal(
      true,
    );
  });

  it("should switch the schema version from the next primary event on: a live rollout of version 2", () => {
    const s = steering();
    const events = collect(s, 600, [[3_600_000, () => s.setSchemaVersion(2)]]);
    const before = events.filter((e) => Date.parse(e.event_time) < 3_600_000);
    const after = events.filter((e) => Date.parse(e.event_time) > 3_600_000);
    expect(before.length).to.be.above(50);
    expect(before.every((e) => e.schema_version === 1 && !("line_number" in e))).to.equal(true);
    expect(after.length).to.be.above(100);
    expect(after.every((e) => e.schema_version === 2)).to.equal(true);
    const sales = after.filter((e) => e.event_type === "sale");
    expect(sales.every((e) => e.line_count !== undefined && e.currency === "USD")).to.equal(true);
    expect(s.state.schemaVersion).to.equal(2);
  });

  it("should scale the primary rate: ten times the rate, a tenth of the gaps", () => {
    const s = steering();
    expect(s.state.ratePerMinute).to.be.closeTo(60 / 35, 1e-9);
    s.setRate(60 / 3.5);
    expect(s.state.rateFactor).to.be.closeTo(10, 1e-9);
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fixed = new Steering({ arrivals: uniformArrivals(100, 100), weights: { customer_event: 1 } });
      fixed.setRate(6000);
      const events = retailEvents$({
        chain: openChain,
        rng: new SeededRng(1),
        scheduler,
        count: 3,
        weights: { customer_event: 1 },
        ...fixed.options(),
      });
      expectObservable(events.pipe(map(() => "e"))).toBe("e 9ms e 9ms (e|)", { e: "e" });
    });
  });

  it("should refuse a rate for arrivals that have none (gaps of 0)", () => {
    const s = new Steering({ arrivals: uniformArrivals(0, 0), weights: DEFAULT_WEIGHTS });
    expect(() => s.setRate(10)).to.throw(RangeError, /no finite rate/);
  });
});
