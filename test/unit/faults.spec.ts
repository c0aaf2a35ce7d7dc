import { expect } from "chai";
import { from, map, type MonoTypeOperatorFunction } from "rxjs";
import { envelopeOf, truthRecord, type Envelope, type OutRecord } from "../../src/wire/envelope.js";
import type { InventoryUpdateEvent, RetailEvent } from "../../src/model/events.js";
import { duplicates } from "../../src/operators/duplicates.js";
import { late } from "../../src/operators/late.js";
import { malformed } from "../../src/operators/malformed.js";
import { nulls } from "../../src/operators/nulls.js";
import { offlineStore } from "../../src/operators/offlineStore.js";
import { SeededRng, fixedRng } from "../../src/random/rng.js";
import { testScheduler } from "../support/marbles.js";
import { saleEvent } from "../support/events.js";

const at = (ms: number): string => new Date(ms).toISOString();
function sale(id: string, ms: number, store = "S001"): Envelope {
  return envelopeOf(
    saleEvent({
      event_id: id,
      event_time: at(ms),
      schema_version: 1,
      transaction_id: `T-${id}`,
      store_id: store,
      quantity: 2,
      unit_price: 1.5,
      customer_id: "C1",
    }),
  );
}
function receipt(id: string, ms: number): Envelope {
  const event: InventoryUpdateEvent = {
    event_id: id,
    event_type: "inventory_update",
    event_time: at(ms),
    schema_version: 1,
    store_id: "S001",
    product_id: "P0001",
    quantity_change: 10,
    reason: "receipt",
    stock_after: 12,
    source_event_id: "00000000-0000-4000-8000-000000000000",
  };
  return envelopeOf(event);
}
const TRUTH = truthRecord({
  kind: "chain",
  window_start: at(0),
  window_end: at(10),
  complete: true,
  shard: "all",
  events: {
    sale: 1,
    inventory_update: 0,
    customer_event: 0,
    price_change: 0,
    restock_alert: 0,
    payment: 0,
    order_status: 0,
    return: 0,
  },
});

/** A record as a line: its event id (or "truth"), its fault headers, its wire text when not its value's. */
function brief(record: OutRecord): string {
  const id = record.headers.event_type === "truth" ? "truth" : (record.value as RetailEvent).event_id;
  const fault =
    record.headers.fault === undefined
      ? ""
      : ` ${record.headers.fault}${record.headers.fault_detail === undefined ? "" : `(${record.headers.fault_detail})`}`;
  return `${id}${fault}`;
}

describe("fault operators", () => {
  it("duplicates: should produce a drawn record again within the window, marked, the truth untouched", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<OutRecord>("a 9ms t b 20ms |", { a: sale("a", 0), b: sale("b", 11), t: TRUTH });
      // Draws per record: whether (0.2 < 0.5: yes), then the delay (0.5 × 10 ms); b draws 0.9: no.
      const rng = fixedRng([0.2, 0.5, 0.9]);
      expectObservable(source.pipe(duplicates(0.5, 10, { rng }), map(brief))).toBe("a 4ms A 4ms t b 20ms |", {
        a: "a",
        A: "a duplicate",
        t: "truth",
        b: "b",
      });
      expectSubscriptions(source.subscriptions).toBe("^ 31ms !");
    });
  });

  it("duplicates: should let a copy still held go out when the source ends", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<OutRecord>("a 2ms |", { a: sale("a", 0) });
      expectObservable(source.pipe(duplicates(1, 100, { rng: fixedRng([0, 0.5]) }), map(brief))).toBe("a 2ms (A|)", {
        a: "a",
        A: "a duplicate",
      });
    });
  });

  it("late: should hold a drawn record back and produce it after later ones, with its own timestamp", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<OutRecord>("a 4ms b 19ms |", { a: sale("a", 0), b: sale("b", 5) });
      // a: late (0.1 < 0.3), delay 0.5 × 20 ms; b: on time (0.7).
      expectObservable(source.pipe(late(0.3, 20, { rng: fixedRng([0.1, 0.5, 0.7]) }), map(brief))).toBe(
        "5ms b 4ms A 14ms |",
        { b: "b", A: "a late" },
      );
    });
  });

  it("late: should keep the late record's timestamp and event time", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold }) => {
      const seen: OutRecord[] = [];
      cold<OutRecord>("a 4ms b |", { a: sale("a", 0), b: sale("b", 5) })
        .pipe(late(0.3, 20, { rng: fixedRng([0.1, 0.5, 0.7]) }))
        .subscribe((r) => seen.push(r));
      scheduler.flush();
      const a = seen.find((r) => (r.value as RetailEvent).event_id === "a") as Envelope;
      expect([a.timestamp, a.value.event_time]).to.deep.equal([0, at(0)]);
    });
  });

  it("offlineStore: should keep the store's records in the window and replay them in order at reconnection; other stores untouched", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<OutRecord>("a 4ms c 1ms d 2ms b 19ms |", {
        a: sale("a", 0),
        c: sale("c", 5),
        d: sale("d", 7),
        b: sale("b", 10, "S002"),
      });
      expectObservable(source.pipe(offlineStore("S001", { at: 5, duration: 10 }), map(brief))).toBe(
        "a 9ms b 4ms (CD) 11ms |",
        {
          a: "a",
          b: "b",
          C: "c offline-replay",
          D: "d offline-replay",
        },
      );
    });
  });

  it("malformed: should replace a drawn record's value with broken text, saying how, and keep key and timestamp", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<OutRecord>("a b c d |", {
        a: sale("a", 0),
        b: sale("b", 0),
        c: sale("c", 0),
        d: sale("d", 0),
      });
      // Whether, how (×3: invalid-json, missing-field, wrong-type), which field (× the fields but event_type).
      const rng = fixedRng([0, 0.1, 0, 0, 0.5, 0.3, 0, 0.9, 0.0, 0.9]);
      expectObservable(
        source.pipe(
          malformed(0.5, { rng }),
          map((r) => `${brief(r)} ${(r as Envelope).raw === undefined ? "" : "raw"}`.trim()),
        ),
      ).toBe("a b c d |", {
        a: "a malformed(invalid-json) raw",
        b: "b malformed(missing-field:transaction_id) raw",
        c: "c malformed(wrong-type:event_id) raw",
        d: "d",
      });
    });
  });

  it("nulls: should null a drawn record's optional fields only, leaving records without one alone", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<OutRecord>("r s q |", { r: receipt("r", 0), s: sale("s", 0), q: receipt("q", 0) });
      expectObservable(
        source.pipe(
          nulls(0.5, ["source_event_id"], { rng: fixedRng([0.1, 0.9]) }),
          map((r) => `${brief(r)} ${(r as Envelope).raw ?? ""}`.trim()),
        ),
      ).toBe("r s q |", {
        r: `r null(source_event_id) ${JSON.stringify({ ...receipt("r", 0).value, source_event_id: null })}`,
        s: "s",
        q: "q",
      });
    });
  });
});

describe("fault rates over 20,000 records (seeded; bounds of 4 standard deviations)", () => {
  const N = 20_000;
  const records: OutRecord[] = Array.from({ length: N }, (_, i) =>
    i % 2 === 0 ? sale(`s${i}`, i) : receipt(`r${i}`, i),
  );
  /** The records an operator makes of the 20,000, all at once on a virtual clock (what it holds goes out at the end). */
  function through(op: (rng: SeededRng) => MonoTypeOperatorFunction<OutRecord>, seed = 5): OutRecord[] {
    const out: OutRecord[] = [];
    testScheduler().run(() => {
      from(records)
        .pipe(op(new SeededRng(seed)))
        .subscribe((r) => out.push(r));
    });
    return out;
  }
  const within = (count: number, n: number, p: number): void => {
    const sd = Math.sqrt(n * p * (1 - p));
    expect(count).to.be.within(n * p - 4 * sd, n * p + 4 * sd);
  };
  const marked = (out: readonly OutRecord[], kind: string): OutRecord[] =>
    out.filter((r) => r.headers.fault?.split(",").includes(kind));

  it("should duplicate p of the records, each copy equal to its original but for the header", () => {
    const out = through((rng) => duplicates(0.01, 2000, { rng }));
    const copies = marked(out, "duplicate");
    within(copies.length, N, 0.01);
    expect(out).to.have.length(N + copies.length);
    const byId = new Map(records.map((r) => [(r.value as RetailEvent).event_id, r]));
    for (const copy of copies)
      expect({ ...copy, headers: {} }).to.deep.equal({
        ...(byId.get((copy.value as RetailEvent).event_id) as OutRecord),
        headers: {},
      });
  });

  it("should make p of the records late, losing none", () => {
    const out = through((rng) => late(0.02, 300_000, { rng }));
    within(marked(out, "late").length, N, 0.02);
    expect(new Set(out.map((r) => (r.value as RetailEvent).event_id)).size).to.equal(N);
  });

  it("should malform p of the records, each way about a third of them", () => {
    const out = through((rng) => malformed(0.05, { rng }));
    const broken = marked(out, "malformed");
    within(broken.length, N, 0.05);
    for (const how of ["invalid-json", "missing-field", "wrong-type"])
      within(broken.filter((r) => r.headers.fault_detail?.startsWith(how)).length, broken.length, 1 / 3);
    for (const r of broken.filter((b) => b.headers.fault_detail === "invalid-json"))
      expect(() => JSON.parse((r as Envelope).raw as string)).to.throw();
  });

  it("should null p of the records that have an optional field, and only those", () => {
    const out = through((rng) => nulls(0.1, ["source_event_id"], { rng }));
    const nulled = marked(out, "null");
    within(nulled.length, N / 2, 0.1);
    expect(nulled.every((r) => (r.value as RetailEvent).event_type === "inventory_update")).to.equal(true);
  });

  it("should draw the same faults for the same seed, and others for another", () => {
    const op = (rng: SeededRng) => duplicates(0.01, 2000, { rng });
    const ids = (out: OutRecord[]): string[] => marked(out, "duplicate").map((r) => (r.value as RetailEvent).event_id);
    expect(ids(through(op, 5))).to.deep.equal(ids(through(op, 5)));
    expect(ids(through(op, 5))).to.not.deep.equal(ids(through(op, 6)));
  });
});
