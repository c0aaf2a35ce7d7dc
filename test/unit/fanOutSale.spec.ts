import { expect } from "chai";
import type { CustomerEvent, RetailEvent, SaleEvent } from "../../src/model/events.js";
import { fanOutSale, saleDecrement } from "../../src/operators/fanOutSale.js";
import { SeededRng } from "../../src/random/rng.js";
import { testScheduler } from "../support/marbles.js";

const sale: SaleEvent = {
  event_id: "sale-1", event_type: "sale", event_time: "2026-01-01T10:00:00.000Z", schema_version: 1,
  transaction_id: "T-1", store_id: "S001", product_id: "P0001", quantity: 3, unit_price: 7.99, total_amount: 23.97,
  payment_method: "cash", customer_id: "C000001",
};
const visit: CustomerEvent = {
  event_id: "visit-1", event_type: "customer_event", event_time: "2026-01-01T10:00:05.000Z", schema_version: 1,
  customer_id: "C000002", store_id: "S002", action: "enter",
};

describe("fanOutSale", () => {
  it("should follow a sale at once with its decrement and pass other events through", () => {
    const scheduler = testScheduler();
    // The same seed yields the same decrement id, so the expected value is exact.
    const decrement = saleDecrement(sale, new SeededRng(1), 17);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<RetailEvent>("s 9ms v|", { s: sale, v: visit });
      expectObservable(source.pipe(fanOutSale({ rng: new SeededRng(1), stockAfter: () => 17 }))).toBe("(sd) 6ms v|", { s: sale, d: decrement, v: visit });
      expectSubscriptions(source.subscriptions).toBe("^ 10ms !");
    });
  });

  it("should build the decrement from the sale: negative quantity, same store, product and time, named source", () => {
    expect(saleDecrement(sale, new SeededRng(9), 4)).to.deep.include({
      event_type: "inventory_update", store_id: "S001", product_id: "P0001", quantity_change: -3,
      reason: "sale", source_event_id: "sale-1", event_time: sale.event_time, schema_version: 1, stock_after: 4,
    });
    expect(saleDecrement(sale, new SeededRng(9), 4).event_id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
