import { expect } from "chai";
import {
  actualFromRows,
  cellId,
  expectedFromRecords,
  expectedFromTruth,
  judge,
  valueOf,
  verdictLines,
  timeOf,
  type JudgeMapping,
  type LatenessPolicy,
  type RunRecord,
} from "../../src/verify/judge.js";
import type { StoreTruth } from "../../src/model/truth.js";
import { saleEvent } from "../support/events.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-11-02T10:00:00Z");
const at = (ms: number): string => new Date(ms).toISOString();
const revenueByStore: JudgeMapping = {
  measure: "revenue",
  group: "store",
  window: { size: "1h" },
  fields: { window_start: "window_start", key: "store_id", value: "revenue" },
};
const chain = { online: new Set<string>(), categories: new Map<string, string>() };
/** A sale of `amount` at S001 at `ms`, with its own id unless given. */
const sale = (ms: number, amount: number, id = `s${ms}`, faults: string[] = []): RunRecord => ({
  event: saleEvent({ event_id: id, event_time: at(ms), transaction_id: `T-${id}`, unit_price: amount }),
  faults,
});
const policy = (delayMin: number, latenessMin = 0, more: Partial<LatenessPolicy> = {}): LatenessPolicy => ({
  watermarkDelayMs: delayMin * 60_000,
  allowedLatenessMs: latenessMin * 60_000,
  late: "drop",
  duplicates: "keep",
  ...more,
});
const cell10 = cellId(T0, "S001");

describe("judge: a correct pipeline's lateness, worked by hand", () => {
  // Window 10:00–11:00. A record at 11:05 moves the watermark (delay 5 min) to 11:00: the window fires.
  it("should keep a record that arrives while the watermark is just short of its window's end", () => {
    const records = [sale(T0 + 10 * 60_000, 1), sale(T0 + HOUR + 4 * 60_000 + 59_999, 2), sale(T0 + 30 * 60_000, 4)];
    // Watermark before the third record: 11:04:59.999 − 5 min = 10:59:59.999 < 11:00.
    const { cells, setAside } = expectedFromRecords(records, revenueByStore, policy(5), chain);
    expect(cells.get(cell10)).to.equal(500);
    expect(setAside.dropped.size).to.equal(0);
  });

  it("should drop a record whose window ended exactly at the watermark (no allowed lateness)", () => {
    const records = [sale(T0 + 10 * 60_000, 1), sale(T0 + HOUR + 5 * 60_000, 2), sale(T0 + 30 * 60_000, 4, "late")];
    // Watermark 11:05 − 5 min = 11:00 = the window's end: fired and, with no lateness allowed, closed.
    const { cells, setAside } = expectedFromRecords(records, revenueByStore, policy(5), chain);
    expect(cells.get(cell10)).to.equal(100);
    expect(setAside.dropped.get(cell10)).to.deep.equal(["late"]);
  });

  it("should count a late record within the allowed lateness, and drop it exactly at its end", () => {
    const within = [sale(T0, 1), sale(T0 + HOUR + 9 * 60_000 + 59_999, 2), sale(T0 + 1, 4, "late", ["late"])];
    const kept = expectedFromRecords(within, revenueByStore, policy(5, 5), chain);
    expect(kept.cells.get(cell10)).to.equal(500);
    expect(kept.setAside.late.get(cell10)).to.deep.equal(["late"]);
    // Watermark 11:10 − 5 = 11:05 = end + 5 min of lateness: dropped.
    const past = [sale(T0, 1), sale(T0 + HOUR + 10 * 60_000, 2), sale(T0 + 1, 4, "late")];
    const dropped = expectedFromRecords(past, revenueByStore, policy(5, 5), chain);
    expect(dropped.cells.get(cell10)).to.equal(100);
    expect(dropped.setAside.dropped.get(cell10)).to.deep.equal(["late"]);
    // Updating instead of dropping: counted.
    expect(
      expectedFromRecords(past, revenueByStore, policy(5, 5, { late: "update" }), chain).cells.get(cell10),
    ).to.equal(500);
  });

  it("should count a duplicate twice when kept, once when removed, and drop a late duplicate like any late record", () => {
    const records = [
      sale(T0, 3, "a"),
      sale(T0 + 60_000, 3, "a"),
      sale(T0 + 2 * HOUR, 1),
      sale(T0 + 2 * 60_000, 3, "a"),
    ];
    const kept = expectedFromRecords(records, revenueByStore, policy(5), chain);
    // The third copy comes after the watermark passed 11:00: dropped, as a late record.
    expect(kept.cells.get(cell10)).to.equal(600);
    expect(kept.setAside.duplicates.get(cell10)).to.deep.equal(["a", "a"]);
    expect(kept.setAside.dropped.get(cell10)).to.deep.equal(["a"]);
    const removed = expectedFromRecords(records, revenueByStore, policy(5, 0, { duplicates: "remove" }), chain);
    expect(removed.cells.get(cell10)).to.equal(300);
    expect(removed.setAside.dropped.has(cell10)).to.equal(false);
  });
});

describe("judge: reading a pipeline's output", () => {
  it("should take net revenue as sales less the refunds a store pays out, a late refund dropped like a late sale", () => {
    const netByStore: JudgeMapping = { ...revenueByStore, measure: "net_revenue" };
    const refund = (ms: number, amount: number, id: string, store = "S001"): RunRecord => ({
      event: {
        event_id: id,
        event_type: "return",
        event_time: at(ms),
        schema_version: 3,
        return_id: `R-${id}`,
        transaction_id: "T-x",
        line_number: 1,
        sale_event_id: "s0",
        store_id: store,
        purchase_store_id: store,
        product_id: "P1",
        customer_id: "C000001",
        quantity: 1,
        unit_price: amount,
        refund_amount: amount,
        currency: "USD",
        disposition: "restock",
        reason: "changed_mind",
        purchased_at: at(ms - HOUR),
      },
      faults: [],
    });
    const cancel: RunRecord = {
      event: {
        event_id: "c1",
        event_type: "order_status",
        event_time: at(T0 + 20 * 60_000),
        schema_version: 3,
        order_id: "T-o",
        store_id: "S001",
        customer_id: "C000002",
        status: "cancelled",
        previous_status: "paid",
        placed_at: at(T0),
        order_total: 3,
        currency: "USD",
        refund_amount: 3,
      },
      faults: [],
    };
    const paid = { ...cancel, event: { ...cancel.event, event_id: "p1", status: "paid", refund_amount: undefined } };
    // 10:00–11:00 at S001: sales of 10 and 4, a return of 2.50, an order refunded 3 (its payment step moves nothing).
    const records = [
      sale(T0 + 5 * 60_000, 10),
      refund(T0 + 10 * 60_000, 2.5, "r1"),
      paid as RunRecord,
      cancel,
      sale(T0 + 40 * 60_000, 4),
      // 11:10 moves the watermark (delay 5) past 11:00: the refund of 1 at 10:50 that comes after is dropped.
      sale(T0 + HOUR + 10 * 60_000, 1),
      refund(T0 + 50 * 60_000, 1, "late"),
    ];
    const { cells, setAside } = expectedFromRecords(records, netByStore, policy(5), chain);
    expect(cells.get(cell10)).to.equal(1000 - 250 - 300 + 400);
    expect(setAside.dropped.get(cell10)).to.deep.equal(["late"]);
    const refunds = expectedFromRecords(records, { ...netByStore, measure: "refunds" }, policy(5), chain);
    expect(refunds.cells.get(cell10)).to.equal(550);
    // From the truth: its refunds and net revenue as written.
    const row = {
      kind: "store",
      store_id: "S001",
      window_start: at(T0),
      window_end: at(T0 + HOUR),
      complete: true,
      revenue: 14,
      refunds: 5.5,
      net_revenue: 8.5,
      sales: 2,
      transactions: 2,
      units: 2,
      customers_entered: 0,
      avg_basket: 7,
      channel: "store",
      closing_stock: {},
    } as StoreTruth;
    expect(expectedFromTruth([row], netByStore).get(cell10)).to.equal(850);
  });

  it("should read money as decimal text exactly, numbers to the cent, and refuse what is not a number", () => {
    expect(valueOf("1159.01", true)).to.equal(115901);
    expect(valueOf("-0.5", true)).to.equal(-50);
    expect(valueOf(0.1 + 0.2, true)).to.equal(30);
    expect(valueOf("12", false)).to.equal(12);
    expect(valueOf("12 dollars", true)).to.equal(undefined);
    expect(valueOf(null, true)).to.equal(undefined);
  });

  it("should read window starts as ISO text, SQL timestamps in UTC, or epoch ms", () => {
    expect(timeOf("2026-11-02T10:00:00Z")).to.equal(T0);
    expect(timeOf("2026-11-02 10:00:00")).to.equal(T0);
    expect(timeOf("2026-11-02 11:00:00+01:00")).to.equal(T0);
    expect(timeOf(T0)).to.equal(T0);
    expect(timeOf(new Date(T0))).to.equal(T0);
    expect(Number.isNaN(timeOf("soon"))).to.equal(true);
  });

  it("should take the last row of a key in an upsert changelog, and apply a retracting one's ops", () => {
    const rows = [
      { window_start: at(T0), store_id: "S001", revenue: "1.00" },
      { window_start: at(T0), store_id: "S001", revenue: "2.50" },
    ];
    expect(actualFromRows(rows, { ...revenueByStore, semantics: "upsert" }).cells.get(cell10)).to.equal(250);
    const appended = actualFromRows(rows, revenueByStore);
    expect(appended.problems.map((p) => p.row)).to.deep.equal([2]);
    const retracting = [
      { ...rows[0], op: "+I" },
      { ...rows[0], op: "-U" },
      { ...rows[1], op: "+U" },
    ];
    const retracted = actualFromRows(retracting, { ...revenueByStore, semantics: "retract" });
    expect(retracted.cells.get(cell10)).to.equal(250);
    expect(retracted.problems).to.deep.equal([]);
  });
});

describe("judge: the verdict", () => {
  const truth = (store: string, start: number, revenue: number): StoreTruth => ({
    kind: "store",
    store_id: store,
    channel: "store",
    window_start: at(start),
    window_end: at(start + HOUR),
    complete: true,
    sales: 1,
    transactions: 1,
    units: 1,
    revenue,
    customers_entered: 0,
    avg_basket: revenue,
    closing_stock: { P0001: 7 },
  });

  it("should name the cells that are wrong, missing and extra, with the records that explain them", () => {
    const expected = expectedFromTruth(
      [truth("S001", T0, 10.5), truth("S002", T0, 3), truth("S001", T0 + HOUR, 0)],
      revenueByStore,
    );
    const { cells } = actualFromRows(
      [
        { window_start: at(T0), store_id: "S001", revenue: 13.5 },
        { window_start: at(T0 + HOUR), store_id: "S003", revenue: "1.00" },
      ],
      revenueByStore,
    );
    const setAside = { duplicates: new Map([[cell10, ["dup-1"]]]), dropped: new Map(), late: new Map() };
    const verdict = judge(expected, cells, revenueByStore, setAside);
    expect(verdict.differences.map((d) => [d.kind, d.cell])).to.deep.equal([
      ["wrong", cell10],
      ["missing", cellId(T0, "S002")],
      ["extra", cellId(T0 + HOUR, "S003")],
    ]);
    const text = verdictLines(verdict, revenueByStore).join("\n");
    expect(text).to.match(/^judge: WRONG/);
    expect(text).to.include("expected 10.50, got 13.50 (duplicates dup-1)");
    // The window with no sales asks for no row: two cells were required, none right.
    expect([verdict.expected, verdict.matched]).to.deep.equal([2, 0]);
  });

  it("should sum the truth's hours into the mapping's days, and take the last closing stock of each day", () => {
    const daily: JudgeMapping = { ...revenueByStore, window: { size: "1d" } };
    const rows = [truth("S001", T0, 1), { ...truth("S001", T0 + HOUR, 2), closing_stock: { P0001: 3 } }];
    const day = cellId(Date.parse("2026-11-02T00:00:00Z"), "S001");
    expect(expectedFromTruth(rows, daily).get(day)).to.equal(300);
    const stock: JudgeMapping = { ...daily, measure: "closing_stock", fields: { ...daily.fields, value: "stock" } };
    expect(expectedFromTruth(rows, stock).get(`${day}|P0001`)).to.equal(3);
    // A window the run stopped inside is not judged.
    expect(expectedFromTruth([{ ...truth("S001", T0, 1), complete: false }], revenueByStore).size).to.equal(0);
  });

  it("should sum hopping windows of two hours every hour from the truth's hours, and count a record in each window it is in", () => {
    const hopping: JudgeMapping = { ...revenueByStore, window: { size: "2h", slide: "1h" } };
    const rows = [truth("S001", T0, 1), truth("S001", T0 + HOUR, 2)];
    const expected = expectedFromTruth(rows, hopping);
    // 09:00–11:00 holds 10:00's hour; 10:00–12:00 both; 11:00–13:00 holds 11:00's.
    expect(expected.get(cellId(T0 - HOUR, "S001"))).to.equal(100);
    expect(expected.get(cellId(T0, "S001"))).to.equal(300);
    expect(expected.get(cellId(T0 + HOUR, "S001"))).to.equal(200);
    expect(expected.size).to.equal(3);
    const { cells } = expectedFromRecords([sale(T0 + HOUR + 60_000, 5)], hopping, policy(5), chain);
    expect([...cells]).to.deep.equal([
      [cellId(T0, "S001"), 500],
      [cellId(T0 + HOUR, "S001"), 500],
    ]);
  });

  it("should pass money within the mapping's tolerance and fail it beyond", () => {
    const expected = new Map([[cell10, 1000]]);
    const floaty: JudgeMapping = { ...revenueByStore, money: { as: "float", tolerance: 0.01 } };
    expect(judge(expected, new Map([[cell10, 1001]]), floaty).differences).to.deep.equal([]);
    expect(judge(expected, new Map([[cell10, 1002]]), floaty).differences).to.have.length(1);
    expect(judge(expected, new Map([[cell10, 1001]]), revenueByStore).differences).to.have.length(1);
  });
});
