import { expect } from "chai";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { readChain } from "../../src/data/chainFiles.js";
import { EVENT_TYPES, type RetailEvent } from "../../src/model/events.js";
import { SeededRng } from "../../src/random/rng.js";
import { retailEvents$ } from "../../src/streams/retailEvents.js";
import { MONEY_FIELDS, MONEY_OF_TYPE } from "../../src/wire/jsonValue.js";

describe("MONEY_OF_TYPE", () => {
  it("should list every money field each event type has, in every schema version (a type missing one would write 24, not 24.00)", () => {
    const chain = readChain();
    const start = Date.UTC(2026, 10, 2);
    const seen = new Map<string, Set<string>>();
    for (const schemaVersion of [1, 2, 3] as const) {
      const scheduler = new SimulatedScheduler(start);
      retailEvents$({
        chain,
        rng: new SeededRng(5),
        scheduler,
        schemaVersion,
        until: start + 3 * 86_400_000,
      }).subscribe((event: RetailEvent) => {
        const fields = seen.get(event.event_type) ?? new Set<string>();
        seen.set(event.event_type, fields);
        for (const field of MONEY_FIELDS) if (field in event) fields.add(field);
      });
      while (scheduler.runNext());
    }
    expect([...seen.keys()]).to.have.members([...EVENT_TYPES]);
    expect([...MONEY_OF_TYPE.keys()]).to.have.members([...EVENT_TYPES]);
    for (const [type, fields] of seen) expect(MONEY_OF_TYPE.get(type), type).to.include.members([...fields]);
    // Refunds on orders are the rare field: the stream above must have shown it, or this proves less than it says.
    expect([...(seen.get("order_status") ?? [])]).to.include("refund_amount");
  });
});
