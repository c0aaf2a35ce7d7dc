import { expect } from "chai";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { readChain } from "../../src/data/chainFiles.js";
import { DEFAULT_AFTERCARE, drawOrderPlan, drawPayment, drawReturn } from "../../src/model/aftercare.js";
import type { OrderStatusEvent, RetailEvent, ReturnEvent, SaleEvent } from "../../src/model/events.js";
import { aftercare } from "../../src/operators/aftercare.js";
import { SeededRng } from "../../src/random/rng.js";
import { retailEvents$ } from "../../src/streams/retailEvents.js";
import { testScheduler } from "../support/marbles.js";
import { saleEvent } from "../support/events.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The state machine as the issue states it, written here apart from the code under test. */
const NEXT: Record<string, string[]> = {
  placed: ["paid", "cancelled"],
  paid: ["picked", "cancelled"],
  picked: ["shipped", "cancelled"],
  shipped: ["delivered", "delivery_failed"],
  delivery_failed: ["delivered", "returned_to_sender"],
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

describe("after the till: returns, orders and payments drawn", () => {
  it("should bring back each channel's share of lines, whole mostly, days later, within the 30-day window", () => {
    const rng = new SeededRng(11);
    for (const channel of ["store", "online"] as const) {
      const n = 100_000;
      const plans = Array.from({ length: n }, () => drawReturn(rng, channel, 3, DEFAULT_AFTERCARE)).filter(
        (p) => p !== undefined,
      );
      const rate = DEFAULT_AFTERCARE.returns[channel];
      // Binomial: 4 standard deviations of 100,000 draws is under half a percentage point.
      expect(plans.length / n, channel).to.be.closeTo(rate, 0.005);
      expect(plans.every((p) => p.quantity >= 1 && p.quantity <= 3)).to.equal(true);
      expect(plans.filter((p) => p.quantity === 3).length / plans.length).to.be.closeTo(0.75, 0.02);
      const days = plans.map((p) => p.afterMs / DAY);
      expect(Math.min(...days)).to.be.at.least(2 / 24);
      expect(Math.max(...days)).to.be.at.most(30);
      // The documented median: five days.
      expect(median(days)).to.be.closeTo(5, 0.15);
      expect(plans.every((p) => p.disposition === "write_off" || p.reason !== "defective")).to.equal(true);
      expect(plans.some((p) => p.reason === "arrived_late")).to.equal(channel === "online");
    }
    // Twice the rate in a returns wave.
    const wave = Array.from({ length: 50_000 }, () => drawReturn(rng, "store", 1, DEFAULT_AFTERCARE, 2)).filter(
      (p) => p !== undefined,
    );
    expect(wave.length / 50_000).to.be.closeTo(2 * DEFAULT_AFTERCARE.returns.store, 0.01);
  });

  it("should move every order forward through the state machine, cancelling before it ships, at the documented shares", () => {
    const rng = new SeededRng(12);
    const finals = new Map<string, number>();
    const delivered: number[] = [];
    for (let i = 0; i < 50_000; i += 1) {
      const plan = drawOrderPlan(rng);
      let status = "placed";
      let at = 0;
      for (const step of plan) {
        expect(NEXT[status] ?? [], `${status} → ${step.status}`).to.include(step.status);
        expect(step.afterMs).to.be.at.least(at);
        [status, at] = [step.status, step.afterMs];
      }
      finals.set(status, (finals.get(status) ?? 0) + 1);
      if (status === "delivered") delivered.push(at / HOUR);
    }
    const share = (s: string): number => (finals.get(s) ?? 0) / 50_000;
    expect(share("cancelled")).to.be.closeTo(0.04, 0.005);
    expect(share("returned_to_sender")).to.be.closeTo(0.96 * 0.03 * 0.3, 0.003);
    expect(share("delivered")).to.be.closeTo(1 - 0.04 - 0.96 * 0.03 * 0.3, 0.006);
    // Placed to delivered: paid minutes later, picked and shipped within hours, on the road about 40 h.
    expect(median(delivered)).to.be.within(44, 56);
  });

  it("should decline the channel's share of attempts, and let 60% of those customers pay another way", () => {
    const rng = new SeededRng(13);
    const plans = Array.from({ length: 200_000 }, () => drawPayment(rng, "online", DEFAULT_AFTERCARE));
    const declined = plans.filter((p) => p.declined.length > 0);
    expect(declined.length / plans.length).to.be.closeTo(0.035, 0.002);
    expect(declined.filter((p) => p.approved).length / declined.length).to.be.closeTo(0.6, 0.03);
  });

  it("should send a checkout's later effects when they fall due, and leave out what the run ends before (marbles)", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const s = saleEvent({ event_id: "s", line_number: 1, line_count: 1 }) as SaleEvent;
      const made = (status: string) => (time: number) => [
        { event_type: "order_status", event_id: status, event_time: new Date(time).toISOString() } as RetailEvent,
      ];
      const consequences = {
        laterOf: () => [
          { afterMs: 5, make: made("p") },
          { afterMs: 30, make: made("d") },
        ],
      };
      const source = cold("s 19ms |", { s });
      expectObservable(source.pipe(aftercare(consequences, scheduler))).toBe("s 4ms p 14ms |", {
        s,
        p: made("p")(5)[0],
      });
    });
  });
});

describe("a chain's six weeks in version 3 (library, sample chain, seed 21)", function () {
  this.timeout(120_000);
  const chain = readChain();
  const online = new Set(chain.stores.filter((s) => s.channel === "online").map((s) => s.store_id));
  const start = Date.UTC(2026, 10, 2);
  let events: RetailEvent[] = [];
  /** Whether a physical store is open at a time, by its local clock (Intl's time zones, not the code under test's). */
  const openAt = (id: string, time: number): boolean => {
    const store = chain.stores.find((s) => s.store_id === id);
    if (store?.opening_hours === undefined) return true;
    const [h, m] = new Intl.DateTimeFormat("en-GB", {
      timeZone: store.timezone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .format(time)
      .split(":")
      .map(Number) as [number, number];
    const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    return h * 60 + m >= minutes(store.opening_hours.open) && h * 60 + m < minutes(store.opening_hours.close);
  };
  before(() => {
    const scheduler = new SimulatedScheduler(start);
    retailEvents$({
      chain,
      rng: new SeededRng(21),
      scheduler,
      until: start + 42 * DAY,
      schemaVersion: 3,
      // A quieter chain (gaps of 40–140 s): six weeks in well under a second's worth of events.
      minDelayMs: 40_000,
      maxDelayMs: 140_000,
    }).subscribe((e) => events.push(e));
    while (scheduler.runNext());
  });
  after(() => {
    events = [];
  });

  it("should bring back, of the lines bought in the first week, each channel's rate (online: of orders delivered)", () => {
    const weekOne = events.filter(
      (e): e is SaleEvent => e.event_type === "sale" && Date.parse(e.event_time) < start + 7 * DAY,
    );
    const returned = new Set(
      events.filter((e): e is ReturnEvent => e.event_type === "return").map((r) => r.sale_event_id),
    );
    const final = new Map<string, string>();
    for (const e of events) if (e.event_type === "order_status") final.set(e.order_id, e.status);
    for (const channel of ["store", "online"] as const) {
      const lines = weekOne.filter(
        (s) =>
          online.has(s.store_id) === (channel === "online") &&
          (channel === "store" || final.get(s.transaction_id) === "delivered"),
      );
      const share = lines.filter((s) => returned.has(s.event_id)).length / lines.length;
      expect(lines.length, channel).to.be.above(1500);
      // Binomial on a few thousand lines: within 2.5 percentage points.
      expect(share, channel).to.be.closeTo(DEFAULT_AFTERCARE.returns[channel], 0.025);
    }
  });

  it("should hand returns in days after the purchase, a store's while it is open, never more than bought, at the price paid", () => {
    const sales = new Map(
      events.filter((e): e is SaleEvent => e.event_type === "sale").map((s) => [s.event_id, s] as const),
    );
    const returns = events.filter((e): e is ReturnEvent => e.event_type === "return");
    expect(returns.length).to.be.above(500);
    const days: number[] = [];
    for (const r of returns) {
      const sale = sales.get(r.sale_event_id) as SaleEvent;
      expect(r.quantity).to.be.at.most(sale.quantity);
      expect(r.unit_price).to.equal(sale.unit_price);
      expect(Math.round(r.refund_amount * 100)).to.equal(r.quantity * Math.round(sale.unit_price * 100));
      days.push((Date.parse(r.event_time) - Date.parse(sale.event_time)) / DAY);
      if (!online.has(r.purchase_store_id)) expect(r.store_id).to.equal(r.purchase_store_id);
      if (!online.has(r.store_id)) expect(openAt(r.store_id, Date.parse(r.event_time)), r.event_time).to.equal(true);
    }
    expect(Math.min(...days)).to.be.above(0);
    // A 30-day window after the goods are in hand (an online order's after days on the road), a store's next opening.
    expect(Math.max(...days)).to.be.at.most(30 + 12);
    expect(median(days)).to.be.within(4, 8);
  });

  it("should let every order's status only move forward, nothing shipping after a cancel, and put a cancel's lines back", () => {
    const orders = new Map<string, OrderStatusEvent[]>();
    for (const e of events)
      if (e.event_type === "order_status") orders.set(e.order_id, [...(orders.get(e.order_id) ?? []), e]);
    expect(orders.size).to.be.above(1000);
    const released = new Map<string, number>();
    for (const e of events)
      if (e.event_type === "inventory_update" && e.reason === "cancellation")
        released.set(e.source_event_id as string, (released.get(e.source_event_id as string) ?? 0) + 1);
    for (const [order, steps] of orders) {
      expect(steps[0]?.status, order).to.equal("placed");
      for (let i = 1; i < steps.length; i += 1)
        expect(NEXT[steps[i - 1]?.status as string] ?? [], order).to.include(steps[i]?.status);
      const cancel = steps.find((s) => s.status === "cancelled");
      if (cancel !== undefined) expect(released.get(cancel.event_id), order).to.be.above(0);
    }
  });

  it("should sell nothing on a checkout declined outright, and pay for every checkout that sold", () => {
    const payments = events.filter((e) => e.event_type === "payment");
    const approved = new Set(payments.filter((p) => p.status === "approved").map((p) => p.transaction_id));
    const sold = new Set(events.filter((e): e is SaleEvent => e.event_type === "sale").map((s) => s.transaction_id));
    const declinedOutright = payments.filter((p) => p.status === "declined" && !approved.has(p.transaction_id));
    expect(declinedOutright.length).to.be.above(20);
    expect(declinedOutright.filter((p) => sold.has(p.transaction_id))).to.deep.equal([]);
    expect([...sold].filter((tx) => !approved.has(tx))).to.deep.equal([]);
  });
});
