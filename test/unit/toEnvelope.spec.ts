import { expect } from "chai";
import type { PriceChangeEvent, RetailEvent, SaleEvent } from "../../src/model/events.js";
import { DEFAULT_TOPICS, envelopeOf, toEnvelope } from "../../src/operators/toEnvelope.js";
import { testScheduler } from "../support/marbles.js";

const sale = {
  event_id: "e1", event_type: "sale", event_time: "2026-01-01T10:00:00.123Z", schema_version: 1, transaction_id: "T-1",
  store_id: "S004", product_id: "P0009", quantity: 1, unit_price: 2.5, total_amount: 2.5, payment_method: "cash", customer_id: "C000001",
} satisfies SaleEvent;
const price = {
  event_id: "e2", event_type: "price_change", event_time: "2026-01-01T10:00:01.000Z", schema_version: 1,
  product_id: "P0009", store_id: "S004", old_price: 2.5, new_price: 1.99, reason: "promotion",
} satisfies PriceChangeEvent;

describe("toEnvelope", () => {
  it("should key by store, stamp event_time in epoch ms and carry type and version headers", () => {
    expect(envelopeOf(sale)).to.deep.equal({
      topic: "retail-sales-transactions", key: "S004", timestamp: Date.UTC(2026, 0, 1, 10, 0, 0, 123),
      headers: { event_type: "sale", schema_version: "1" }, value: sale,
    });
  });

  it("should key price changes by product", () => {
    expect(envelopeOf(price)).to.include({ topic: "retail-price-changes", key: "P0009" });
  });

  it("should use one default topic per type, each overridable", () => {
    expect(new Set(Object.values(DEFAULT_TOPICS)).size).to.equal(5);
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<RetailEvent>("s p|", { s: sale, p: price });
      expectObservable(source.pipe(toEnvelope({ sale: "my-sales" }))).toBe("s p|", {
        s: { ...envelopeOf(sale), topic: "my-sales" },
        p: envelopeOf(price),
      });
    });
  });
});
