import { map } from "rxjs";
import type { CustomerEvent, InventoryUpdateEvent, RetailEvent, SaleEvent } from "../../src/model/events.js";
import type { TruthRow } from "../../src/model/truth.js";
import { truth } from "../../src/operators/truth.js";
import { openChain } from "../support/chain.js";
import { testScheduler } from "../support/marbles.js";
import { saleEvent } from "../support/events.js";

const at = (ms: number): string => new Date(ms).toISOString();
const base = (id: string, ms: number) => ({ event_id: id, event_time: at(ms), schema_version: 1 });

function sale(
  id: string,
  ms: number,
  store: string,
  quantity: number,
  unitPrice: number,
  transaction = `T-${id}`,
): SaleEvent {
  return saleEvent({
    ...base(id, ms),
    transaction_id: transaction,
    store_id: store,
    quantity,
    unit_price: unitPrice,
    customer_id: "C1",
  });
}
const decrement = (id: string, ms: number, store: string, change: number, after: number): InventoryUpdateEvent => ({
  ...base(id, ms),
  event_type: "inventory_update",
  store_id: store,
  product_id: "P0001",
  quantity_change: change,
  reason: "sale",
  stock_after: after,
});
const enter = (id: string, ms: number, store: string): CustomerEvent => ({
  ...base(id, ms),
  event_type: "customer_event",
  customer_id: "C1",
  store_id: store,
  action: "enter",
});

/** A row as a line: enough to see which window, whose, and its figures. */
function brief(row: TruthRow): string {
  const window = `[${Date.parse(row.window_start)},${Date.parse(row.window_end)})${row.complete ? "" : " partial"}`;
  if (row.kind === "chain")
    return [
      `chain ${row.shard} ${window}`,
      ...Object.entries(row.events)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${t}=${n}`),
    ].join(" ");
  if (row.kind === "category")
    return `category ${row.category} ${window} lines=${row.lines} transactions=${row.transactions} units=${row.units} revenue=${row.revenue}`;
  if (row.kind === "orders")
    return `orders ${window} ${Object.entries(row.statuses)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t}=${n}`)
      .join(" ")} median=${row.median_hours_to_delivery}`;
  const figures = `sales=${row.sales} units=${row.units} revenue=${row.revenue} entered=${row.customers_entered} basket=${row.avg_basket}`;
  if (row.kind === "channel") return `channel ${row.channel} ${window} ${figures}`;
  return `store ${row.store_id} ${window} ${figures} stock=${JSON.stringify(row.closing_stock)}`;
}

describe("truth", () => {
  it("should emit a window's rows when it closes on the clock, and the window under way, marked partial, at the end", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<RetailEvent>("a 1ms (bc) d 15ms e 7ms |", {
        a: sale("a", 0, "S001", 2, 7.99),
        b: sale("b", 2, "S001", 1, 12.49),
        c: decrement("c", 2, "S001", -1, 49),
        d: enter("d", 6, "WEB"),
        e: sale("e", 22, "WEB", 3, 0.1),
      });
      expectObservable(source.pipe(truth(20, { stores: openChain.stores }), map(brief))).toBe(
        "20ms (vwxyz) 3ms (pqrs|)",
        {
          v: 'store S001 [0,20) sales=2 units=3 revenue=28.47 entered=0 basket=14.24 stock={"P0001":49}',
          w: "store WEB [0,20) sales=0 units=0 revenue=0 entered=1 basket=null stock={}",
          x: "channel online [0,20) sales=0 units=0 revenue=0 entered=1 basket=null",
          y: "channel store [0,20) sales=2 units=3 revenue=28.47 entered=0 basket=14.24",
          z: "chain all [0,20) sale=2 inventory_update=1 customer_event=1",
          p: "store WEB [20,40) partial sales=1 units=3 revenue=0.3 entered=0 basket=0.3 stock={}",
          q: "channel online [20,40) partial sales=1 units=3 revenue=0.3 entered=0 basket=0.3",
          r: "channel store [20,40) partial sales=0 units=0 revenue=0 entered=0 basket=null",
          s: "chain all [20,40) partial sale=1",
        },
      );
      expectSubscriptions(source.subscriptions).toBe("^ 29ms !");
    });
  });

  it("should say so when a window passes without events, and pass an error on without rows", () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const quiet = cold<RetailEvent>("a 44ms |", { a: enter("a", 0, "S002") });
      const stores = [openChain.stores[1] as NonNullable<(typeof openChain.stores)[1]>];
      expectObservable(quiet.pipe(truth(20, { stores }), map(brief))).toBe("20ms (abc) 15ms (de) 1ms (fg|)", {
        a: "store S002 [0,20) sales=0 units=0 revenue=0 entered=1 basket=null stock={}",
        b: "channel store [0,20) sales=0 units=0 revenue=0 entered=1 basket=null",
        c: "chain all [0,20) customer_event=1",
        d: "channel store [20,40) sales=0 units=0 revenue=0 entered=0 basket=null",
        e: "chain all [20,40)",
        f: "channel store [40,60) partial sales=0 units=0 revenue=0 entered=0 basket=null",
        g: "chain all [40,60) partial",
      });
      const broken = cold<RetailEvent>("a 5ms #", { a: enter("a", 0, "S002") }, new Error("boom"));
      expectObservable(broken.pipe(truth(20, { stores }), map(brief))).toBe("6ms #", undefined, new Error("boom"));
      expectSubscriptions(broken.subscriptions).toBe("^ 5ms !");
    });
  });
});
