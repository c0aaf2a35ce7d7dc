import { expect } from "chai";
import { ChainState } from "../../src/model/chainState.js";
import { Consequences } from "../../src/model/consequences.js";
import type { InventoryUpdateEvent, RestockAlertEvent, SaleEvent } from "../../src/model/events.js";
import { SeededRng } from "../../src/random/rng.js";
import { tinyChain } from "../support/chain.js";
import { saleEvent } from "../support/events.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A sale of 3 × P0001 (initial stock 100, reorder point 20) at S001 by `customer`. */
function sale(customer: string, quantity = 3): SaleEvent {
  return saleEvent({ schema_version: 1, quantity, unit_price: 7.99, total_amount: 23.97, customer_id: customer });
}

describe("Consequences (what one event causes)", () => {
  it("should take a sale's units off the ledger and record it in a decrement that names the sale", () => {
    const state = new ChainState(tinyChain);
    const [decrement, ...rest] = new Consequences(state, new SeededRng(1)).ofSale(sale("W-ANON"));
    expect(rest).to.deep.equal([]);
    expect(decrement).to.deep.include({
      event_type: "inventory_update",
      event_time: "2026-01-01T10:00:00.000Z",
      schema_version: 1,
      store_id: "S001",
      product_id: "P0001",
      quantity_change: -3,
      reason: "sale",
      stock_after: 97,
      source_event_id: "sale-1",
    });
    expect(decrement?.event_id).to.match(UUID);
    expect(state.stockAt(state.cell("S001", "P0001"))).to.equal(97);
  });

  it("should add the buyer's purchase step when the buyer is in that store, not when they are elsewhere", () => {
    const state = new ChainState(tinyChain);
    const visit = { customer: "C000007", store: 0, steps: 1, ends: 0 };
    state.visiting.set("C000007", visit);
    state.present[0]?.push(visit);
    const consequences = new Consequences(state, new SeededRng(2));
    const [, purchase] = consequences.ofSale(sale("C000007"));
    expect(purchase).to.deep.include({
      event_type: "customer_event",
      customer_id: "C000007",
      store_id: "S001",
      action: "purchase",
      event_time: "2026-01-01T10:00:00.000Z",
    });
    state.visiting.set("C000008", { customer: "C000008", store: 1, steps: 0, ends: 0 });
    expect(consequences.ofSale(sale("C000008"))).to.have.length(1);
  });

  it("should raise one alert when an update crosses the reorder point, sized to refill, and none until the receipt", () => {
    const state = new ChainState(tinyChain);
    const consequences = new Consequences(state, new SeededRng(3));
    const cell = state.cell("S001", "P0001");
    state.apply(cell, -78); // 22 left, reorder point 20
    const [crossing] = consequences.ofSale(sale("W-X", 3)); // 22 → 19
    const alert = consequences.alertAfter(crossing as never) as RestockAlertEvent;
    expect(alert).to.deep.include({
      event_type: "restock_alert",
      store_id: "S001",
      product_id: "P0001",
      current_stock: 19,
      reorder_point: 20,
      suggested_quantity: 81,
      priority: "low",
    });
    const [again] = consequences.ofSale(sale("W-Y", 15)); // 19 → 4: below, but a restock is on its way
    expect(consequences.alertAfter(again as never)).to.equal(undefined);
    const receipt = consequences.receiptFor(alert, Date.UTC(2026, 0, 1, 14)) as InventoryUpdateEvent;
    expect(receipt).to.deep.include({
      reason: "receipt",
      quantity_change: 81,
      stock_after: 85,
      source_event_id: alert.event_id,
      event_time: "2026-01-01T14:00:00.000Z",
    });
    state.apply(cell, -66); // 85 → 19: crosses again from above
    expect(consequences.alertAfter({ ...receipt, quantity_change: -66, stock_after: 19 })).to.include({
      current_stock: 19,
      suggested_quantity: 81,
    });
  });
});
