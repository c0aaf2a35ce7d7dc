import type { CustomerEvent, InventoryUpdateEvent, RetailEvent, SaleEvent } from "../../src/model/events.js";
import { fanOutSale, type SaleConsequences } from "../../src/operators/fanOutSale.js";
import { testScheduler } from "../support/marbles.js";
import { saleEvent } from "../support/events.js";

const sale: SaleEvent = saleEvent({ schema_version: 1, quantity: 3, unit_price: 7.99, total_amount: 23.97 });
const visit: CustomerEvent = {
  event_id: "visit-1",
  event_type: "customer_event",
  event_time: "2026-01-01T10:00:05.000Z",
  schema_version: 1,
  customer_id: "C000002",
  store_id: "S002",
  action: "enter",
};
const decrement: InventoryUpdateEvent = {
  event_id: "dec-1",
  event_type: "inventory_update",
  event_time: sale.event_time,
  schema_version: 1,
  store_id: "S001",
  product_id: "P0001",
  quantity_change: -3,
  reason: "sale",
  stock_after: 17,
  source_event_id: "sale-1",
};
const purchase: CustomerEvent = {
  ...visit,
  event_id: "buy-1",
  customer_id: "C000001",
  store_id: "S001",
  action: "purchase",
};

/** A stand-in that answers every sale with the given events and records which sales it was asked about. */
function fixed(events: RetailEvent[]): SaleConsequences & { asked: string[] } {
  const asked: string[] = [];
  return { asked, ofSale: (s) => (asked.push(s.event_id), events) };
}

describe("fanOutSale", () => {
  it("should follow a sale in the same frame with its consequences, in order, and pass other events through", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<RetailEvent>("s 9ms v|", { s: sale, v: visit });
      expectObservable(source.pipe(fanOutSale(fixed([decrement, purchase])))).toBe("(sdp) 5ms v|", {
        s: sale,
        d: decrement,
        p: purchase,
        v: visit,
      });
      expectSubscriptions(source.subscriptions).toBe("^ 10ms !");
    });
  });

  it("should ask about sales only", () => {
    const consequences = fixed([decrement]);
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<RetailEvent>("v 9ms s 9ms v|", { s: sale, v: visit }).pipe(fanOutSale(consequences))).toBe(
        "v 9ms (sd) 6ms v|",
        { s: sale, d: decrement, v: visit },
      );
    });
    if (consequences.asked.join() !== "sale-1") throw new Error(`asked about ${consequences.asked.join()}`);
  });

  it("should pass an error on at its frame, after what came before", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<RetailEvent>("s 4ms #", { s: sale }, new Error("boom"));
      expectObservable(source.pipe(fanOutSale(fixed([decrement])))).toBe(
        "(sd) 1ms #",
        { s: sale, d: decrement },
        new Error("boom"),
      );
      expectSubscriptions(source.subscriptions).toBe("^ 4ms !");
    });
  });

  it("should unsubscribe from its source when its subscriber does", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<RetailEvent>("v 9ms v 9ms v|", { v: visit });
      expectObservable(source.pipe(fanOutSale(fixed([]))), "^ 12ms !").toBe("v 9ms v", { v: visit });
      expectSubscriptions(source.subscriptions).toBe("^ 12ms !");
    });
  });
});
