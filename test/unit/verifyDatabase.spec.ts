import { expect } from "chai";
import { verifyDatabase } from "../../src/verify/database.js";
import type { DatabaseRows } from "../../src/wire/databaseRows.js";
import type { RetailEvent } from "../../src/model/events.js";
import { saleEvent } from "../support/events.js";

const T = Date.parse("2026-11-02T18:30:00Z");
const L1 = "00000000-0000-4000-8000-000000000001";
const L2 = "00000000-0000-4000-8000-000000000002";

/** A small database as the sink writes it: one checkout of two lines, their decrements, a restock, two price changes. */
function rows(): DatabaseRows {
  return {
    orders: [{ transaction_id: "T1", store_id: "S001", ordered_at: T, line_count: 2, total: "54.97", status: null }],
    orderLines: [
      {
        transaction_id: "T1",
        line_number: 1,
        product_id: "P1",
        quantity: 2,
        unit_price: "19.99",
        total_amount: "39.98",
        event_id: L1,
      },
      {
        transaction_id: "T1",
        line_number: 2,
        product_id: "P2",
        quantity: 1,
        unit_price: "14.99",
        total_amount: "14.99",
        event_id: L2,
      },
    ],
    movements: [
      {
        event_id: "m1",
        store_id: "S001",
        product_id: "P1",
        quantity_change: -2,
        reason: "sale",
        stock_after: 8,
        source_event_id: L1,
        moved_at: T,
      },
      {
        event_id: "m2",
        store_id: "S001",
        product_id: "P2",
        quantity_change: -1,
        reason: "sale",
        stock_after: 4,
        source_event_id: L2,
        moved_at: T,
      },
      // Same millisecond as the sale: chained by the stock it starts from, whichever way it was read.
      {
        event_id: "m0",
        store_id: "S001",
        product_id: "P1",
        quantity_change: 6,
        reason: "restock",
        stock_after: 10,
        source_event_id: null,
        moved_at: T,
      },
      {
        event_id: "m3",
        store_id: "S001",
        product_id: "P1",
        quantity_change: 20,
        reason: "restock",
        stock_after: 28,
        source_event_id: null,
        moved_at: T + 60_000,
      },
    ],
    stock: [
      { store_id: "S001", product_id: "P1", quantity: 28, updated_at: T + 60_000 },
      { store_id: "S001", product_id: "P2", quantity: 4, updated_at: T },
    ],
    priceChanges: [
      {
        event_id: "p2",
        store_id: "S001",
        product_id: "P1",
        old_price: "19.99",
        new_price: "17.99",
        changed_at: T + 120_000,
      },
      {
        event_id: "p1",
        store_id: "S001",
        product_id: "P1",
        old_price: "21.99",
        new_price: "19.99",
        changed_at: T - 60_000,
      },
    ],
    prices: [{ store_id: "S001", product_id: "P1", price: "17.99", updated_at: T + 120_000 }],
    visits: [{ event_id: "v1" }],
    alerts: [],
    payments: [],
    statusChanges: [],
    returns: [],
  };
}

const failing = (db: DatabaseRows, stream?: Parameters<typeof verifyDatabase>[1]): string[] =>
  verifyDatabase(db, stream)
    .summaries.filter((s) => s.violations > 0)
    .map((s) => s.check);

describe("verify --postgres: the database's own checks", () => {
  it("should pass a database that adds up", () => {
    const verdict = verifyDatabase(rows());
    expect(verdict.violations).to.deep.equal([]);
    expect(verdict.rows).to.equal(13);
  });

  it("should fail an order whose total is not the sum of its lines, or that misses a line", () => {
    const db = rows();
    db.orders[0]!.total = "54.98";
    expect(failing(db)).to.deep.equal(["orders"]);
    const short = rows();
    short.orderLines.pop();
    short.movements.splice(1, 1);
    short.stock.pop();
    expect(failing(short)).to.deep.equal(["orders"]);
  });

  it("should hold an online order's status in place as its latest change, and fail one left behind or changes without an order", () => {
    const db = rows();
    const change = (event_id: string, status: string, minutes: number) => ({
      event_id,
      order_id: "T1",
      status,
      changed_at: T + minutes * 60_000,
    });
    db.statusChanges = [change("c1", "placed", 0), change("c2", "paid", 0), change("c3", "picked", 240)];
    db.orders[0]!.status = "picked";
    expect(verifyDatabase(db).violations).to.deep.equal([]);
    db.orders[0]!.status = "paid";
    expect(failing(db)).to.deep.equal(["orders"]);
    const stray = rows();
    stray.statusChanges = [{ ...change("c1", "placed", 0), order_id: "T9" }];
    expect(failing(stray)).to.deep.equal(["orders"]);
  });

  it("should fail a sold line without its decrement, or a decrement of another quantity", () => {
    const db = rows();
    db.movements[1]!.source_event_id = null;
    expect(failing(db)).to.deep.equal(["decrements"]);
    const other = rows();
    other.movements[0]!.quantity_change = -3;
    other.movements[0]!.stock_after = 7;
    other.movements[3]!.stock_after = 27;
    other.stock[0]!.quantity = 27;
    expect(failing(other)).to.deep.equal(["decrements"]);
  });

  it("should fail a ledger with a gap, a stock below zero, or a stock row that is not the last movement's", () => {
    const gap = rows();
    gap.movements[3]!.stock_after = 29;
    gap.stock[0]!.quantity = 29;
    expect(failing(gap)).to.deep.equal(["ledger"]);
    const stale = rows();
    stale.stock[0]!.quantity = 8;
    expect(failing(stale)).to.deep.equal(["ledger"]);
    const negative = rows();
    Object.assign(negative.movements[1]!, { stock_after: -1 });
    negative.stock[1]!.quantity = -1;
    expect(failing(negative)).to.deep.equal(["ledger"]);
  });

  it("should fail a price history that does not chain, or a price row set back", () => {
    const db = rows();
    db.priceChanges[0]!.old_price = "18.99";
    expect(failing(db)).to.deep.equal(["prices"]);
    const back = rows();
    back.prices[0]!.price = "19.99";
    expect(failing(back)).to.deep.equal(["prices"]);
  });
});

describe("verify --postgres against the seed's stream", () => {
  const sale = (id: string, product: string, quantity: number, unit: number, total: number): RetailEvent =>
    saleEvent({
      event_id: id,
      event_time: new Date(T).toISOString(),
      product_id: product,
      quantity,
      unit_price: unit,
      total_amount: total,
    });
  const move = (id: string, product: string, change: number, after: number, at: number): RetailEvent =>
    ({
      event_id: id,
      event_type: "inventory_update",
      event_time: new Date(at).toISOString(),
      store_id: "S001",
      product_id: product,
      quantity_change: change,
      stock_after: after,
    }) as unknown as RetailEvent;
  const price = (id: string, from: number, to: number, at: number): RetailEvent =>
    ({
      event_id: id,
      event_type: "price_change",
      event_time: new Date(at).toISOString(),
      store_id: "S001",
      product_id: "P1",
      old_price: from,
      new_price: to,
    }) as unknown as RetailEvent;
  const stream = (): RetailEvent[] => [
    sale(L1, "P1", 2, 19.99, 39.98),
    sale(L2, "P2", 1, 14.99, 14.99),
    move("m1", "P1", -2, 8, T),
    move("m2", "P2", -1, 4, T),
    move("m0", "P1", 6, 10, T),
    move("m3", "P1", 20, 28, T + 60_000),
    price("p1", 21.99, 19.99, T - 60_000),
    price("p2", 19.99, 17.99, T + 120_000),
    { event_id: "v1", event_type: "customer_event" } as unknown as RetailEvent,
  ];

  it("should pass when the database holds every event once with its values, and a duplicate in the stream counts once", () => {
    const events = stream();
    expect(failing(rows(), { events: [...events, events[0]!], malformed: new Map() })).to.deep.equal([]);
  });

  it("should fail an event missing from the database, a row the stream does not have, or a value that differs", () => {
    expect(failing(rows(), { events: [...stream(), move("m9", "P2", 1, 5, T)], malformed: new Map() })).to.deep.equal([
      "stream",
    ]);
    expect(
      failing(rows(), { events: stream().filter((e) => e.event_id !== "v1"), malformed: new Map() }),
    ).to.deep.equal(["stream"]);
    const changed = stream();
    (changed[7] as unknown as { new_price: number }).new_price = 18.99;
    expect(failing(rows(), { events: changed, malformed: new Map() })).to.deep.equal(["stream"]);
  });

  it("should explain rows the stream could not show because it declared them malformed, and no more than that", () => {
    const without = stream().filter((e) => e.event_id !== "v1");
    expect(failing(rows(), { events: without, malformed: new Map([["customer_event", 1]]) })).to.deep.equal([]);
    expect(failing(rows(), { events: without, malformed: new Map([["sale", 1]]) })).to.deep.equal(["stream"]);
  });
});
