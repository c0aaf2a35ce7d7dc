import { expect } from "chai";
import { map } from "rxjs";
import type { CustomerEvent, RetailEvent } from "../../src/model/events.js";
import { closesAt } from "../../src/model/hours.js";
import { visitEnds, type VisitConsequences } from "../../src/operators/visitEnds.js";
import { tinyChain } from "../support/chain.js";
import { testScheduler } from "../support/marbles.js";

const enter: CustomerEvent = {
  event_id: "e",
  event_type: "customer_event",
  event_time: "1970-01-01T00:00:00.000Z",
  schema_version: 2,
  customer_id: "C000001",
  store_id: "S001",
  action: "enter",
};

/** A stand-in whose visits end at `at`; `leftFirst` says the customer left by a drawn step before then. */
function ending(at: number, leftFirst = false): VisitConsequences {
  return {
    endOf: () => ({
      at,
      exit: (time) =>
        leftFirst
          ? undefined
          : { ...enter, event_id: `x@${time}`, action: "exit", event_time: new Date(time).toISOString() },
    }),
  };
}

const brief = (e: RetailEvent): string =>
  e.event_type === "customer_event" ? `${e.action} ${e.event_id}` : e.event_type;

// Inside TestScheduler.run RxJS's asyncScheduler is virtual: the operator's default scheduler runs in frames.
describe("visitEnds", () => {
  it("should bring a visit's exit when its end falls due", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<RetailEvent>("e 39ms |", { e: enter });
      expectObservable(source.pipe(visitEnds(ending(30)), map(brief))).toBe("e 29ms x 9ms |", {
        e: "enter e",
        x: "exit x@30",
      });
    });
  });

  it("should bring nothing when the customer has left before the end", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<RetailEvent>("e 39ms |", { e: enter });
      expectObservable(source.pipe(visitEnds(ending(30, true)), map(brief))).toBe("e 39ms |", { e: "enter e" });
    });
  });

  it("should leave out exits not due when the run ends, and pass other events untouched", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const browse: CustomerEvent = { ...enter, event_id: "b", action: "browse" };
      const source = cold<RetailEvent>("e b 38ms |", { e: enter, b: browse });
      expectObservable(source.pipe(visitEnds(ending(50)), map(brief))).toBe("e b 38ms |", {
        e: "enter e",
        b: "browse b",
      });
    });
  });
});

describe("closesAt", () => {
  const denver = tinyChain.stores[0];

  it("should give the next local closing time of an open store, across zones and dates", () => {
    // 20:30 in Denver on 2 November 2026 (MST, UTC-7) is 03:30 UTC on the 3rd; it closes at 21:00, 04:00 UTC.
    expect(closesAt(denver!, Date.UTC(2026, 10, 3, 3, 30))).to.equal(Date.UTC(2026, 10, 3, 4, 0));
    // 08:00 in Denver in July (MDT, UTC-6) is 14:00 UTC; it closes thirteen hours later.
    expect(closesAt(denver!, Date.UTC(2026, 6, 1, 14, 0))).to.equal(Date.UTC(2026, 6, 2, 3, 0));
  });

  it("should have no closing time for an online shop or a store without hours", () => {
    expect(closesAt({ ...denver!, channel: "online" }, 0)).to.equal(undefined);
    expect(closesAt({ ...denver!, opening_hours: undefined }, 0)).to.equal(undefined);
  });
});
