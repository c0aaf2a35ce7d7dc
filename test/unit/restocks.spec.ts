import { expect } from "chai";
import { Subject, map, take } from "rxjs";
import { ChainState } from "../../src/model/chainState.js";
import { Consequences } from "../../src/model/consequences.js";
import type { InventoryUpdateEvent, RetailEvent } from "../../src/model/events.js";
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
    event_id: `u${after}`,
    event_type: "inventory_update",
    event_time: "1970-01-01T00:00:00.000Z",
    schema_version: 1,
    store_id: "S001",
    product_id: "P0003",
    quantity_change: after - before,
    reason: "damage",
    stock_after: after,
  };
}

const brief = (e: RetailEvent): string =>
  e.event_type === "restock_alert"
    ? `alert ${e.current_stock}≤${e.reorder_point} +${e.suggested_quantity} ${e.priority}`
    : e.event_type === "inventory_update"
      ? `${e.reason} ${e.quantity_change} → ${e.stock_after}${e.source_event_id ? " (answers alert)" : ""}`
      : e.event_type;

function chain(seed: number): { state: ChainState; consequences: Consequences } {
  const state = new ChainState(tinyChain);
  return { state, consequences: new Consequences(state, new SeededRng(seed)) };
}

// Inside TestScheduler.run RxJS's asyncScheduler is virtual: the operator's default scheduler runs in frames.
describe("restocks", () => {
  it("should raise an alert on the crossing and bring the receipt a lead time later", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const { state, consequences } = chain(1);
      const source = cold<RetailEvent>("u 40ms |", { u: update(state, 7, 4) });
      expectObservable(source.pipe(restocks(consequences, { leadTimeMs: 30 }), map(brief))).toBe("(ua) 26ms r 10ms |", {
        u: "damage -3 → 4",
        a: "alert 4≤5 +16 low",
        r: "receipt 16 → 20 (answers alert)",
      });
      expectSubscriptions(source.subscriptions).toBe("^ 40ms !");
    });
  });

  it("should schedule no receipt when the subscriber leaves while the alert goes out (take right after a crossing)", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const { state, consequences } = chain(1);
      const receipts: string[] = [];
      const counting = {
        alertAfter: (u: InventoryUpdateEvent) => consequences.alertAfter(u),
        receiptFor: (...args: Parameters<Consequences["receiptFor"]>) => {
          receipts.push(args[0].event_id);
          return consequences.receiptFor(...args);
        },
      };
      const source = cold<RetailEvent>("u 40ms |", { u: update(state, 7, 4) });
      expectObservable(source.pipe(restocks(counting, { leadTimeMs: 30 }), take(2), map(brief))).toBe("(ua|)", {
        u: "damage -3 → 4",
        a: "alert 4≤5 +16 low",
      });
      expectSubscriptions(source.subscriptions).toBe("(^!)");
      flush();
      // Nothing was left on the scheduler: the receipt (30 ms on) was never built.
      expect(receipts).to.deep.equal([]);
    });
  });

  it("should alert once per crossing, not again while the receipt is on its way", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const { state, consequences } = chain(2);
      const first = update(state, 6, 5);
      const events = { u: first, v: { ...first, event_id: "v", quantity_change: -5, stock_after: 0 } };
      const source = cold<RetailEvent>("u 4ms v", events);
      expectObservable(source.pipe(restocks(consequences, { leadTimeMs: 100 }), map(brief)), "^ 50ms !").toBe(
        "(ua) 1ms v",
        { u: "damage -1 → 5", a: "alert 5≤5 +15 low", v: "damage -5 → 0" },
      );
    });
  });

  it("should not alert on an update that stays above the reorder point or was already below it", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const { state, consequences } = chain(2);
      const above = update(state, 9, 6);
      const below = update(state, 4, 3);
      expectObservable(
        cold<RetailEvent>("a b|", { a: above, b: below }).pipe(restocks(consequences, { leadTimeMs: 1 }), map(brief)),
      ).toBe("a b|", { a: "damage -3 → 6", b: "damage -1 → 3" });
    });
  });

  it("should leave out receipts not due when the source completes", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const { state, consequences } = chain(3);
      const source = cold<RetailEvent>("u 20ms |", { u: update(state, 6, 2) });
      expectObservable(source.pipe(restocks(consequences, { leadTimeMs: 100 }), map(brief))).toBe("(ua) 17ms |", {
        u: "damage -4 → 2",
        a: "alert 2≤5 +18 medium",
      });
    });
  });

  it("should pass an error on at once, dropping the receipt on its way, and unsubscribe", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const { state, consequences } = chain(3);
      const source = cold<RetailEvent>("u 9ms #", { u: update(state, 6, 2) }, new Error("boom"));
      expectObservable(source.pipe(restocks(consequences, { leadTimeMs: 30 }), map(brief))).toBe(
        "(ua) 6ms #",
        { u: "damage -4 → 2", a: "alert 2≤5 +18 medium" },
        new Error("boom"),
      );
      expectSubscriptions(source.subscriptions).toBe("^ 9ms !");
    });
  });

  it("should cancel a pending receipt when its subscriber unsubscribes", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const { state, consequences } = chain(3);
      const source = cold<RetailEvent>("u 50ms |", { u: update(state, 6, 2) });
      expectObservable(source.pipe(restocks(consequences, { leadTimeMs: 30 }), map(brief)), "^ 10ms !").toBe("(ua)", {
        u: "damage -4 → 2",
        a: "alert 2≤5 +18 medium",
      });
      expectSubscriptions(source.subscriptions).toBe("^ 10ms !");
    });
  });

  it("should pass other events through untouched", () => {
    const { consequences } = chain(4);
    const seen: RetailEvent[] = [];
    const input = new Subject<RetailEvent>();
    input.pipe(restocks(consequences, { leadTimeMs: 1 })).subscribe((e) => seen.push(e));
    const visit: RetailEvent = {
      event_id: "c",
      event_type: "customer_event",
      event_time: "1970-01-01T00:00:00.000Z",
      schema_version: 1,
      customer_id: "C000001",
      store_id: "S001",
      action: "enter",
    };
    input.next(visit);
    expect(seen).to.deep.equal([visit]);
  });
});
