import { expect } from "chai";
import { NEVER, Subject, map } from "rxjs";
import { ChainState } from "../../src/model/chainState.js";
import type { InventoryUpdateEvent, RetailEvent } from "../../src/model/events.js";
import { EventFactory } from "../../src/model/factory.js";
import { restocks } from "../../src/operators/restocks.js";
import { SeededRng } from "../../src/random/rng.js";
import { tinyChain } from "../support/chain.js";
import { testScheduler } from "../support/marbles.js";

/** An update of S001/P0003 (initial 20, reorder point 5) from `before` to `after`, applied to the ledger. */
function update(state: ChainState, before: number, after: number): InventoryUpdateEvent {
  const cell = state.cell("S001", "P0003");
  state.apply(cell, before - state.stockAt(cell));
  state.apply(cell, after - before);
  return {
    event_id: `u${after}`, event_type: "inventory_update", event_time: "1970-01-01T00:00:00.000Z", schema_version: 1,
    store_id: "S001", product_id: "P0003", quantity_change: after - before, reason: "damage", stock_after: after,
  };
}

const brief = (e: RetailEvent): string =>
  e.event_type === "restock_alert" ? `alert ${e.current_stock}≤${e.reorder_point} +${e.suggested_quantity} ${e.priority}`
  : e.event_type === "inventory_update" ? `${e.reason} ${e.quantity_change} → ${e.stock_after}${e.source_event_id ? " (answers alert)" : ""}`
  : e.event_type;

describe("restocks", () => {
  it("should raise an alert on the crossing and bring the receipt a lead time later", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const state = new ChainState(tinyChain);
      const rng = new SeededRng(1);
      const factory = new EventFactory(state, [0], rng);
      const crossing = update(state, 7, 4);
      const source = cold<RetailEvent>("u", { u: crossing });
      const result = source.pipe(restocks({ state, factory, rng, leadTimeMs: 30, scheduler, stop$: NEVER }), map(brief));
      expectObservable(result).toBe("(ua) 26ms r", {
        u: "damage -3 → 4", a: "alert 4≤5 +16 low", r: "receipt 16 → 20 (answers alert)",
      });
    });
  });

  it("should alert once per crossing, not again while the receipt is on its way", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const state = new ChainState(tinyChain);
      const rng = new SeededRng(2);
      const factory = new EventFactory(state, [0], rng);
      const first = update(state, 6, 5);
      const events = { u: first, v: { ...first, event_id: "v", quantity_change: -5, stock_after: 0 } };
      const source = cold<RetailEvent>("u 4ms v", events);
      const result = source.pipe(restocks({ state, factory, rng, leadTimeMs: 100, scheduler, stop$: NEVER }), map(brief));
      expectObservable(result, "^ 50ms !").toBe("(ua) 1ms v", { u: "damage -1 → 5", a: "alert 5≤5 +15 low", v: "damage -5 → 0" });
    });
  });

  it("should leave out receipts not due when the run stops", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, hot, expectObservable }) => {
      const state = new ChainState(tinyChain);
      const rng = new SeededRng(3);
      const factory = new EventFactory(state, [0], rng);
      const stop$ = hot("10ms s");
      const source = cold<RetailEvent>("u 20ms |", { u: update(state, 6, 2) });
      const result = source.pipe(restocks({ state, factory, rng, leadTimeMs: 100, scheduler, stop$ }), map(brief));
      expectObservable(result).toBe("(ua) 17ms |", { u: "damage -4 → 2", a: "alert 2≤5 +18 medium" });
    });
  });

  it("should pass other events through untouched", () => {
    const state = new ChainState(tinyChain);
    const rng = new SeededRng(4);
    const seen: RetailEvent[] = [];
    const input = new Subject<RetailEvent>();
    input.pipe(restocks({ state, factory: new EventFactory(state, [0], rng), rng, leadTimeMs: 1, stop$: NEVER })).subscribe((e) => seen.push(e));
    const visit: RetailEvent = { event_id: "c", event_type: "customer_event", event_time: "1970-01-01T00:00:00.000Z", schema_version: 1, customer_id: "C000001", store_id: "S001", action: "enter" };
    input.next(visit);
    expect(seen).to.deep.equal([visit]);
  });
});
