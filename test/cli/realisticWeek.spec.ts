import { expect } from "chai";
import { readChain } from "../../src/data/chainFiles.js";
import type { Envelope } from "../../src/wire/envelope.js";
import type { RetailEvent } from "../../src/model/events.js";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";
import { checkInvariants } from "../support/invariants.js";

const WEEK_OF = (version: string): string[] => [
  "--sink",
  "stdout",
  "--from",
  "2026-11-02T00:00:00Z",
  "--to",
  "2026-11-09T00:00:00Z",
  "--seed",
  "7",
  "--log-level",
  "warn",
  "--schema-version",
  version,
];
const chain = readChain();
const stores = new Map(chain.stores.map((s) => [s.store_id, s]));

/** Local minutes since midnight, read with Intl (independently of the generator's own clock arithmetic). */
function localMinutes(timeZone: string, time: number): number {
  const [h, m] = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(time))
    .split(":");
  return Number(h) * 60 + Number(m);
}
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/** Whether a store is open at `time`; `closing` counts its closing minute in (the last visitors leave then). */
function openAt(storeId: string, time: number, closing = false): boolean {
  const store = stores.get(storeId);
  if (store?.opening_hours === undefined) return true;
  const now = localMinutes(store.timezone, time);
  const close = minutesOf(store.opening_hours.close);
  return now >= minutesOf(store.opening_hours.open) && (now < close || (closing && now === close));
}
/** Not a primary event (a tick): what a sale, a crossing or a visit's end caused, and a checkout's lines after its first (version 2). */
const isCausedEvent = (e: RetailEvent): boolean =>
  ["restock_alert", "payment", "order_status", "return"].includes(e.event_type) ||
  (e.event_type === "inventory_update" && e.source_event_id !== undefined) ||
  (e.event_type === "customer_event" && (e.action === "purchase" || e.action === "exit")) ||
  (e.event_type === "sale" &&
    (e as { line_number?: number }).line_number !== undefined &&
    (e as { line_number: number }).line_number > 1);
/** The events of a run's lines (version 2's reference rows of stores and products are not events). */
const eventsOf = (stdout: string): RetailEvent[] =>
  jsonLines<Envelope>(stdout)
    .map((l) => l.value)
    .filter((v) => v.event_type !== undefined);

for (const version of ["3", "2", "1"])
  describe(`a default week looks like a real chain's (7-day backfill, seed 7, schema version ${version}; a checkout is one tick)`, function () {
    this.timeout(120_000);
    const WEEK = WEEK_OF(version);
    let text = "";
    let events: RetailEvent[] = [];
    let primary: RetailEvent[] = [];
    before(() => {
      requireBuild();
      const run = runCli(WEEK);
      expect(run.status, run.stderr).to.equal(0);
      text = run.stdout;
      events = eventsOf(text);
      primary = events.filter((e) => !isCausedEvent(e));
    });

    it("should sell and see visitors in a physical store only within its opening hours", () => {
      const outside = events.filter(
        (e) =>
          (e.event_type === "sale" || e.event_type === "customer_event") &&
          !openAt(e.store_id, Date.parse(e.event_time), e.event_type === "customer_event" && e.action === "exit"),
      );
      expect(outside.slice(0, 3)).to.deep.equal([]);
      expect(
        events.filter((e) => e.event_type === "sale" && stores.get(e.store_id)?.channel !== "online").length,
      ).to.be.above(1000);
    });

    it("should take every sale online while every store is closed, and a modest share while they are open", () => {
      const physical = chain.stores.filter((s) => s.channel !== "online").map((s) => s.store_id);
      const sales = events.filter((e): e is Extract<RetailEvent, { event_type: "sale" }> => e.event_type === "sale");
      const night = sales.filter((e) => physical.every((id) => !openAt(id, Date.parse(e.event_time))));
      expect(night.length).to.be.above(500);
      expect(night.every((e) => stores.get(e.store_id)?.channel === "online")).to.equal(true);
      const day = sales.filter((e) => physical.some((id) => openAt(id, Date.parse(e.event_time))));
      const onlineByDay = day.filter((e) => stores.get(e.store_id)?.channel === "online").length / day.length;
      expect(onlineByDay).to.be.within(0.06, 0.2);
    });

    it("should keep the drawn mix of the original plan (χ² against 50/20/15/10, p > 0.01)", () => {
      const counts = { sale: 0, inventory_update: 0, customer_event: 0, price_change: 0 } as Record<string, number>;
      for (const e of primary) counts[e.event_type] = (counts[e.event_type] ?? 0) + 1;
      const n = primary.length;
      const expected = {
        sale: 0.5 / 0.95,
        inventory_update: 0.2 / 0.95,
        customer_event: 0.15 / 0.95,
        price_change: 0.1 / 0.95,
      } as Record<string, number>;
      const chi2 = Object.keys(expected).reduce(
        (sum, type) =>
          sum + ((counts[type] as number) - n * (expected[type] as number)) ** 2 / (n * (expected[type] as number)),
        0,
      );
      expect(chi2).to.be.below(11.34);
    });

    it("should keep the gaps between primary events uniform on [10 s, 60 s] (Kolmogorov–Smirnov, p > 0.01)", () => {
      const times = [...new Set(primary.map((e) => Date.parse(e.event_time)))];
      const gaps = times
        .slice(1)
        .map((t, i) => t - (times[i] as number))
        .sort((a, b) => a - b);
      let d = 0;
      gaps.forEach((gap, i) => {
        const cdf = Math.min(1, Math.max(0, (gap - 10_000) / 50_000));
        d = Math.max(d, Math.abs(cdf - i / gaps.length), Math.abs(cdf - (i + 1) / gaps.length));
      });
      expect(gaps.length).to.be.above(15_000);
      expect(d).to.be.below(1.628 / Math.sqrt(gaps.length));
    });

    it("should raise restock alerts, only from real crossings, at 5% ± 1.5% of the primary events", () => {
      const alerts = events.filter((e) => e.event_type === "restock_alert").length;
      expect(alerts / primary.length).to.be.within(0.035, 0.065);
      const replay = checkInvariants(events, chain, 240 * 60_000);
      expect(replay.alerts).to.equal(alerts);
      expect(replay.receipts).to.be.above(alerts * 0.8);
    });

    it("should sell most units from a few products: the top 20% carry at least 60%", () => {
      const units = new Map<string, number>();
      for (const e of events)
        if (e.event_type === "sale") units.set(e.product_id, (units.get(e.product_id) ?? 0) + e.quantity);
      const sorted = [...units.values()].sort((a, b) => b - a);
      const total = sorted.reduce((a, b) => a + b, 0);
      const top = sorted.slice(0, Math.ceil(chain.products.length * 0.2)).reduce((a, b) => a + b, 0);
      expect(top / total).to.be.at.least(0.6);
    });

    it("should replay the week byte for byte", () => {
      expect(runCli(WEEK).stdout === text).to.equal(true);
    });

    it("should steer the alerts' share with --weights restock=10", () => {
      const steered = eventsOf(
        runCli([...WEEK, "--weights", "sales=50,inventory=20,customer=15,price=10,restock=10"]).stdout,
      );
      const alerts = steered.filter((e) => e.event_type === "restock_alert").length;
      const share = alerts / steered.filter((e) => !isCausedEvent(e)).length;
      // restock=10 of 105: 9.5% sought.
      expect(share).to.be.within(0.075, 0.12);
    });
  });
