import type { RetailEvent, SaleEvent } from "../../src/model/events.js";
import { takePrimary } from "../../src/operators/takePrimary.js";
import { testScheduler } from "../support/marbles.js";
import { saleEvent } from "../support/events.js";

const line = (n: number, of: number): SaleEvent =>
  saleEvent({
    event_id: `s${n}`,
    event_time: "2026-11-02T18:30:00.000Z",
    transaction_id: "T-000000000001",
    product_id: `P000${n}`,
    line_number: n,
    line_count: of,
  });
const visit: RetailEvent = {
  event_id: "v",
  event_type: "customer_event",
  event_time: "2026-11-02T18:30:00.000Z",
  schema_version: 2,
  customer_id: "C000002",
  store_id: "S001",
  action: "enter",
};

describe("takePrimary", () => {
  it("should count a checkout once and let its last lines through before completing", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: visit, x: line(1, 3), y: line(2, 3), z: line(3, 3), b: visit };
      expectObservable(cold("a 9ms (xyz) 9ms b 9ms a|", values).pipe(takePrimary(2))).toBe("a 9ms (xyz|)", values);
      expectObservable(cold("a 9ms (xyz) 9ms b 9ms a|", values).pipe(takePrimary(3))).toBe(
        "a 9ms (xyz) 9ms (b|)",
        values,
      );
    });
  });

  it("should complete at the count-th event like take() when no checkout is open (schema version 1)", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const one = { ...line(1, 1), line_number: undefined, line_count: undefined, schema_version: 1 } as RetailEvent;
      expectObservable(cold("a 4ms s 4ms a|", { a: visit, s: one }).pipe(takePrimary(2))).toBe("a 4ms (s|)", {
        a: visit,
        s: one,
      });
      expectObservable(cold("a|", { a: visit }).pipe(takePrimary(0))).toBe("|");
    });
  });
});
