import { expect } from "chai";
import { map, take } from "rxjs";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import type { RetailEvent } from "../../src/model/events.js";
import { SeededRng } from "../../src/random/rng.js";
import { retailEvents$ } from "../../src/streams/retailEvents.js";
import { openChain } from "../support/chain.js";
import { testScheduler } from "../support/marbles.js";

const brief = (e: RetailEvent): string => `${e.event_type}@${Date.parse(e.event_time)}`;

function collect(seed: number, count: number, start = 0): RetailEvent[] {
  const scheduler = new SimulatedScheduler(start);
  const events: RetailEvent[] = [];
  retailEvents$({ chain: openChain, rng: new SeededRng(seed), scheduler, count }).subscribe((e) => events.push(e));
  while (scheduler.runNext());
  return events;
}

describe("retailEvents$", () => {
  it("should emit a sale and its decrement at start, then one every gap, and complete after count", () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const events = retailEvents$({
        chain: openChain,
        rng: new SeededRng(1),
        scheduler,
        minDelayMs: 10,
        maxDelayMs: 10,
        weights: { sale: 1 },
        count: 3,
      });
      expectObservable(events.pipe(map(brief))).toBe("(ab) 6ms (cd) 6ms (ef|)", {
        a: "sale@0",
        b: "inventory_update@0",
        c: "sale@10",
        d: "inventory_update@10",
        e: "sale@20",
        f: "inventory_update@20",
      });
    });
  });

  it("should stop at `until`, leaving out an event due exactly then", () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const events = retailEvents$({
        chain: openChain,
        rng: new SeededRng(1),
        scheduler,
        minDelayMs: 10,
        maxDelayMs: 10,
        weights: { customer_event: 1 },
        until: 30,
      });
      expectObservable(events.pipe(map(brief))).toBe("a 9ms b 9ms c 9ms |", {
        a: "customer_event@0",
        b: "customer_event@10",
        c: "customer_event@20",
      });
    });
  });

  it("should stop drawing when unsubscribed", () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const events = retailEvents$({
        chain: openChain,
        rng: new SeededRng(1),
        scheduler,
        minDelayMs: 10,
        maxDelayMs: 10,
        weights: { price_change: 1 },
      });
      expectObservable(events.pipe(map(brief)), "^ 15ms !").toBe("a 9ms b", {
        a: "price_change@0",
        b: "price_change@10",
      });
    });
  });

  it("should space primary events by gaps within [min, max] and stamp them with the clock", () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const times: number[] = [];
      retailEvents$({
        chain: openChain,
        rng: new SeededRng(4),
        scheduler,
        minDelayMs: 10_000,
        maxDelayMs: 60_000,
        weights: { customer_event: 1 },
        count: 500,
      }).subscribe((e) => {
        // A visit's exit is caused (it comes when the visit is over), so it keeps no gap.
        if (!(e.event_type === "customer_event" && e.action === "exit")) times.push(Date.parse(e.event_time));
      });
      flush();
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      expect(gaps).to.have.length(499);
      expect(Math.min(...gaps)).to.be.at.least(10_000);
      expect(Math.max(...gaps)).to.be.at.most(60_000);
    });
  });

  it("should give every sale exactly one decrement, right after it, naming it", () => {
    const events = collect(11, 2000);
    const sales = events.filter((e) => e.event_type === "sale");
    // Half the 2000 primaries are sales; those that find the shelf empty become a visit instead.
    expect(sales.length).to.be.within(700, 1100);
    events.forEach((event, i) => {
      if (event.event_type !== "sale") return;
      const next = events[i + 1];
      expect(next).to.deep.include({
        event_type: "inventory_update",
        reason: "sale",
        source_event_id: event.event_id,
        quantity_change: -event.quantity,
        event_time: event.event_time,
      });
    });
    expect(events.filter((e) => e.event_type === "inventory_update" && e.reason === "sale")).to.have.length(
      sales.length,
    );
  });

  it("should build well-formed events: cents-exact totals, ids unique, inventory changes in −5..+10", () => {
    const events = collect(12, 3000);
    expect(new Set(events.map((e) => e.event_id)).size).to.equal(events.length);
    for (const e of events) {
      expect(e.event_time).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      if (e.event_type === "sale") {
        expect(e.quantity).to.be.at.least(1);
        expect(Math.round(e.total_amount * 100)).to.equal(Math.round(e.quantity * e.unit_price * 100));
      }
      if (e.event_type === "inventory_update" && e.source_event_id === undefined) {
        expect(e.quantity_change).to.be.within(-5, 10).and.not.equal(0);
        if (e.reason === "receipt") expect(e.quantity_change).to.be.above(0);
        if (e.reason === "damage" || e.reason === "theft") expect(e.quantity_change).to.be.below(0);
      }
    }
  });

  it("should apply a price change to the sales of that product in that store after it", () => {
    const events = collect(13, 5000);
    const base = new Map(openChain.products.map((p) => [p.sku, p.base_price]));
    const price = new Map<string, number>();
    const inForce = (store: string, sku: string): number | undefined => price.get(`${store}/${sku}`) ?? base.get(sku);
    let checked = 0;
    for (const e of events) {
      if (e.event_type === "price_change") {
        expect(e.old_price).to.equal(inForce(e.store_id, e.product_id));
        price.set(`${e.store_id}/${e.product_id}`, e.new_price);
      }
      if (e.event_type === "sale") {
        expect(e.unit_price).to.equal(inForce(e.store_id, e.product_id));
        checked += 1;
      }
    }
    expect(checked).to.be.above(1000);
  });

  it("should replay exactly for the same seed and differ for another", () => {
    expect(collect(21, 300, 1_700_000_000_000)).to.deep.equal(collect(21, 300, 1_700_000_000_000));
    expect(collect(22, 300)).to.not.deep.equal(collect(21, 300));
  });

  it("should run endlessly in constant memory: queued actions bounded by the chain, not the run", () => {
    const scheduler = new SimulatedScheduler(0);
    let emitted = 0;
    let maxPending = 0;
    const subscription = retailEvents$({ chain: openChain, rng: new SeededRng(3), scheduler }).subscribe(
      () => (emitted += 1),
    );
    while (emitted < 50_000 && scheduler.runNext()) maxPending = Math.max(maxPending, scheduler.pending);
    subscription.unsubscribe();
    expect(emitted).to.be.at.least(50_000);
    // The next gap, the run's own timers, at most one receipt on its way per store × product, and one
    // exit per visitor present (a store takes no one in beyond twice the three it aims for).
    expect(maxPending).to.be.at.most(2 + openChain.stores.length * (openChain.products.length + 6));
    expect(scheduler.pending).to.equal(0);
  });

  it("should run endlessly in constant memory at gaps of 0: nothing is queued for a time the clock never reaches", () => {
    const scheduler = new SimulatedScheduler(Date.UTC(2026, 10, 2, 12));
    const types = new Set<string>();
    let emitted = 0;
    let maxPending = 0;
    const subscription = retailEvents$({
      chain: openChain,
      rng: new SeededRng(3),
      scheduler,
      minDelayMs: 0,
      maxDelayMs: 0,
      // The command line's default version: its checkouts plan orders' later steps too.
      schemaVersion: 3,
    }).subscribe((event) => {
      emitted += 1;
      types.add(event.event_type);
    });
    while (emitted < 50_000 && scheduler.runNext()) maxPending = Math.max(maxPending, scheduler.pending);
    subscription.unsubscribe();
    expect(emitted).to.be.at.least(50_000);
    expect(scheduler.now()).to.equal(Date.UTC(2026, 10, 2, 12));
    // Restock alerts and visits came (each would queue its receipt or its end for later), and orders (their next status).
    expect([...types]).to.include.members(["restock_alert", "customer_event", "order_status"]);
    // The next tick, and an exit due at once when a visit ends with its store's hours.
    expect(maxPending).to.be.at.most(2);
  });

  it("should be lazy: nothing is drawn before subscription", () => {
    let draws = 0;
    const rng = new SeededRng(3);
    const counting = { next: () => ((draws += 1), rng.next()) };
    const events$ = retailEvents$({ chain: openChain, rng: counting, scheduler: new SimulatedScheduler(0) });
    expect(draws).to.equal(0);
    events$.pipe(take(1)).subscribe();
    expect(draws).to.be.above(0);
  });
});
