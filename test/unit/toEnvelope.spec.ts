import { expect } from "chai";
import { envelopeOf } from "../../src/wire/envelope.js";
import type { PriceChangeEvent, RetailEvent } from "../../src/model/events.js";
import { toEnvelope } from "../../src/operators/toEnvelope.js";
import { testScheduler } from "../support/marbles.js";
import { saleEvent } from "../support/events.js";

const sale = saleEvent({
  event_id: "e1",
  event_time: "2026-01-01T10:00:00.123Z",
  schema_version: 1,
  store_id: "S004",
  product_id: "P0009",
  unit_price: 2.5,
});
const price = {
  event_id: "e2",
  event_type: "price_change",
  event_time: "2026-01-01T10:00:01.000Z",
  schema_version: 1,
  product_id: "P0009",
  store_id: "S004",
  old_price: 2.5,
  new_price: 1.99,
  reason: "promotion",
} satisfies PriceChangeEvent;

// Written out by hand: 2026-01-01T10:00:00.123Z is 1767261600123 ms after the epoch.
const SALE_RECORD = {
  topic: "retail-sales-transactions",
  key: "S004",
  timestamp: 1767261600123,
  headers: { event_type: "sale", schema_version: "1" },
  value: sale,
};
const PRICE_RECORD = {
  topic: "retail-price-changes",
  key: "P0009",
  timestamp: 1767261601000,
  headers: { event_type: "price_change", schema_version: "1" },
  value: price,
};

describe("toEnvelope", () => {
  it("should key by store, stamp event_time in epoch ms and carry type and version headers", () => {
    expect(envelopeOf(sale)).to.deep.equal(SALE_RECORD);
  });

  it("should key price changes by product", () => {
    expect(envelopeOf(price)).to.deep.equal(PRICE_RECORD);
  });

  it("should put each type on its own topic of the contract by default", () => {
    const of = (event_type: RetailEvent["event_type"]): string =>
      envelopeOf({ ...sale, event_type } as unknown as RetailEvent).topic;
    expect(
      ["sale", "inventory_update", "price_change", "customer_event", "restock_alert"].map((t) =>
        of(t as RetailEvent["event_type"]),
      ),
    ).to.deep.equal([
      "retail-sales-transactions",
      "retail-inventory-updates",
      "retail-price-changes",
      "retail-customer-events",
      "retail-restock-alerts",
    ]);
  });

  it("should wrap each event in its frame, with a topic overridden per type", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<RetailEvent>("s p|", { s: sale, p: price });
      expectObservable(source.pipe(toEnvelope({ sale: "my-sales" }))).toBe("s p|", {
        s: { ...SALE_RECORD, topic: "my-sales" },
        p: PRICE_RECORD,
      });
      expectSubscriptions(source.subscriptions).toBe("^ 1ms !");
    });
  });

  it("should pass an error on and unsubscribe", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<RetailEvent>("s #", { s: sale });
      expectObservable(source.pipe(toEnvelope())).toBe("s #", { s: SALE_RECORD });
      expectSubscriptions(source.subscriptions).toBe("^!");
    });
  });
});
