import { expect } from "chai";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { poissonArrivals } from "../../src/model/arrivals.js";
import type { Chain } from "../../src/model/chain.js";
import type { RetailEvent } from "../../src/model/events.js";
import { isCaused } from "../../src/model/events.js";
import { localMultiplier, type RateCurve } from "../../src/model/rateCurve.js";
import { datedFor, returnFactorOf, scenarioProblems, type Scenario } from "../../src/model/scenario.js";
import { scenarioOptions } from "../../src/streams/scenario.js";
import { SeededRng } from "../../src/random/rng.js";
import { retailEvents$, type RetailEventsOptions } from "../../src/streams/retailEvents.js";
import { tinyChain } from "../support/chain.js";
import { checkInvariants } from "../support/invariants.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 1, 2); // a Monday
const utcChain: Chain = { ...tinyChain, stores: tinyChain.stores.map((s) => ({ ...s, timezone: "UTC" })) };
const DAILY = [0, 0, 0, 0, 0, 0, 0.3, 0.6, 0.9, 1, 1.2, 1.6, 2, 1.6, 1.1, 1, 1.2, 1.7, 2, 1.8, 1.2, 0.6, 0.2, 0];
const CURVE: RateCurve = { daily: DAILY, weekly: [1, 1, 1, 1, 1, 1.6, 1.6] };

function run(options: Omit<RetailEventsOptions, "scheduler">, start = START): RetailEvent[] {
  const scheduler = new SimulatedScheduler(start);
  const events: RetailEvent[] = [];
  retailEvents$({ ...options, scheduler }).subscribe((e) => events.push(e));
  while (scheduler.runNext());
  return events;
}

function withScenario(
  scenario: Scenario,
  chain: Chain,
  days: number,
  seed: number,
  extra: Partial<RetailEventsOptions> = {},
): RetailEvent[] {
  return run({
    chain,
    rng: new SeededRng(seed),
    until: START + days * DAY,
    leadTimeMs: HOUR,
    ...scenarioOptions(scenario, chain),
    ...extra,
  });
}

function correlation(a: number[], b: number[]): number {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const [ma, mb] = [mean(a), mean(b)];
  let num = 0,
    da = 0,
    db = 0;
  a.forEach((x, i) => {
    const y = b[i] as number;
    num += (x - ma) * (y - mb);
    da += (x - ma) ** 2;
    db += (y - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}

describe("arrival models and scenarios (statistics, fixed seeds)", () => {
  it("should draw Poisson gaps that pass a Kolmogorov–Smirnov test against the exponential", () => {
    const arrivals = poissonArrivals(2);
    const rng = new SeededRng(17);
    const gaps = Array.from({ length: 10_000 }, () => arrivals(rng, 0)).sort((a, b) => a - b);
    const mean = 30_000;
    let d = 0;
    gaps.forEach((gap, i) => {
      const cdf = 1 - Math.exp(-gap / mean);
      d = Math.max(d, Math.abs(cdf - i / gaps.length), Math.abs(cdf - (i + 1) / gaps.length));
    });
    expect(d).to.be.below(1.628 / Math.sqrt(gaps.length));
  });

  it("should follow the daily curve hour by hour over four weeks, with the weekend uplift", () => {
    const events = withScenario({ rate: 3, curve: CURVE }, utcChain, 28, 4, { weights: { customer_event: 1 } });
    const perHour = new Array<number>(28 * 24).fill(0);
    // Every primary event follows the curve, the first one too.
    const primaries = events.filter((e) => !isCaused(e));
    for (const e of primaries) {
      const hour = Math.floor((Date.parse(e.event_time) - START) / HOUR);
      perHour[hour] = (perHour[hour] ?? 0) + 1;
    }
    // Every store keeps UTC and the run starts on a Monday: hour h of the run is the curve's hour h % 24 of weekday ⌊h / 24⌋ % 7.
    const expected = perHour.map((_, h) => DAILY[h % 24]! * CURVE.weekly[Math.floor(h / 24) % 7]!);
    expect(correlation(perHour, expected)).to.be.at.least(0.95);
    // Night hours are closed.
    expect(perHour.filter((_, h) => h % 24 < 6).every((n) => n === 0)).to.equal(true);
    const perDay = Array.from({ length: 28 }, (_, d) => perHour.slice(d * 24, d * 24 + 24).reduce((a, b) => a + b, 0));
    expect(Math.min(...perDay)).to.be.above(1000);
    const weekend = perDay.filter((_, d) => d % 7 >= 5);
    const weekdays = perDay.filter((_, d) => d % 7 < 5);
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const uplift = sum(weekend) / weekend.length / (sum(weekdays) / weekdays.length);
    expect(uplift).to.be.closeTo(1.6, 0.08);
  });

  it("should raise a flash sale category's sales by about the demand factor, at the discounted price", () => {
    const chain: Chain = {
      ...utcChain,
      products: utcChain.products.map((p) => ({ ...p, initial_stock: 100_000, reorder_point: 1 })),
    };
    const at = START + 7 * DAY;
    const scenario: Scenario = {
      rate: 2,
      curve: { daily: new Array(24).fill(1), weekly: new Array(7).fill(1) },
      flashSales: [
        {
          at: new Date(at).toISOString(),
          durationMinutes: 7 * 24 * 60,
          category: "Electronics",
          discount: 0.3,
          demandFactor: 3,
        },
      ],
    };
    const events = withScenario(scenario, chain, 21, 8, { weights: { sale: 90, customer_event: 10 } });
    checkInvariants(events, chain, HOUR);
    const sales = events.filter(
      (e): e is Extract<RetailEvent, { event_type: "sale" }> => e.event_type === "sale" && e.product_id === "P0003",
    );
    const inWindow = sales.filter((s) => Date.parse(s.event_time) >= at && Date.parse(s.event_time) < at + 7 * DAY);
    const outside = sales.length - inWindow.length;
    // One week in the window, two outside.
    expect(inWindow.length / (outside / 2)).to.be.closeTo(3, 0.45);
    for (const s of inWindow) expect(s.unit_price).to.equal(Math.round(5999 * 0.7) / 100);
    const cuts = events.filter((e) => e.event_type === "price_change" && e.reason === "flash_sale");
    expect(cuts).to.have.length(utcChain.stores.length);
  });

  it("should emit nothing for a store in its outage window, and keep the chain consistent", () => {
    const at = START + DAY;
    const scenario: Scenario = {
      rate: 5,
      curve: { daily: new Array(24).fill(1), weekly: new Array(7).fill(1) },
      outages: [{ store: "S001", at: new Date(at).toISOString(), durationMinutes: 12 * 60 }],
    };
    const events = withScenario(scenario, utcChain, 3, 9, { leadTimeMs: 0 });
    checkInvariants(events, utcChain, 0);
    const s001 = events.filter((e) => "store_id" in e && e.store_id === "S001").map((e) => Date.parse(e.event_time));
    expect(s001.filter((t) => t >= at && t < at + 12 * HOUR)).to.deep.equal([]);
    expect(s001.filter((t) => t >= at + 12 * HOUR).length).to.be.above(100);
  });

  it("should read a store's multiplier in its own timezone: local hour, local weekday, local date", () => {
    const curve: RateCurve = { daily: DAILY, weekly: [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6], dates: { "2026-11-27": 3 } };
    // 2026-11-27T15:00Z is Friday 10:00 in New York (UTC−5) and Friday 07:00 in Los Angeles (UTC−8).
    const at = Date.UTC(2026, 10, 27, 15);
    expect(localMultiplier(curve, "America/New_York", at)).to.be.closeTo(DAILY[10]! * 1.4 * 3, 1e-9);
    expect(localMultiplier(curve, "America/Los_Angeles", at)).to.be.closeTo(DAILY[7]! * 1.4 * 3, 1e-9);
    // 2026-11-28T03:00Z is still Friday 22:00 in New York, but Saturday 03:00 in Berlin.
    expect(localMultiplier(curve, "America/New_York", Date.UTC(2026, 10, 28, 3))).to.be.closeTo(
      DAILY[22]! * 1.4 * 3,
      1e-9,
    );
    expect(localMultiplier(curve, "Europe/Berlin", Date.UTC(2026, 10, 28, 3))).to.equal(0);
    expect(localMultiplier(curve, "Europe/Berlin", Date.UTC(2026, 10, 28, 11))).to.be.closeTo(DAILY[12]! * 1.5, 1e-9);
  });

  it("should name the field of every problem in a scenario", () => {
    const problems = scenarioProblems(
      {
        rate: 0,
        curve: { daily: [1, 2], weekly: [1, 1, 1, 1, 1, 1, -1] },
        flashSales: [{ at: "soon", durationMinutes: 10, category: "Nope", discount: 1.5, demandFactor: 2 }],
        extra: 1,
      },
      "s.json",
      tinyChain,
    );
    expect(problems).to.include.members([
      's.json: /: unknown field "extra"',
      "s.json: /rate: must be > 0, got 0",
      "s.json: /curve/daily: needs exactly 24 items, got 2",
      "s.json: /curve/weekly/6: must be >= 0, got -1",
      's.json: /flashSales/0/at: must be an ISO 8601 time with its zone (2026-11-27T09:00:00Z), or a time on a day of the run (day+0T19:00Z: the run\'s first UTC day), got "soon"',
      "s.json: /flashSales/0/discount: must be < 1, got 1.5",
    ]);
  });

  it("should make lines bought in a returns wave come back at its factor, and refuse a wave or rate out of range", () => {
    const curve = { daily: Array.from({ length: 24 }, () => 1), weekly: [1, 1, 1, 1, 1, 1, 1] };
    const wave: Scenario = {
      rate: 1,
      curve,
      returnWaves: [{ at: "2026-11-27T00:00:00Z", durationMinutes: 2 * 24 * 60, factor: 2.5 }],
    };
    const factor = returnFactorOf(datedFor(wave, Date.UTC(2026, 10, 27))) as (time: number) => number;
    expect(factor(Date.UTC(2026, 10, 26, 23))).to.equal(1);
    expect(factor(Date.UTC(2026, 10, 27, 12))).to.equal(2.5);
    expect(factor(Date.UTC(2026, 10, 29))).to.equal(1);
    expect(returnFactorOf({ rate: 1, curve })).to.equal(undefined);
    expect(
      scenarioProblems(
        {
          rate: 1,
          curve,
          returnRates: { store: 1.5 },
          returnWaves: [{ at: "day+0T00:00Z", durationMinutes: 60, factor: 0 }],
        },
        "w.json",
        tinyChain,
      ),
    ).to.include.members([
      "w.json: /returnRates/store: must be <= 1, got 1.5",
      "w.json: /returnWaves/0/factor: must be > 0, got 0",
    ]);
  });
});
