import { profileOfValue } from "./profiles.js";
import type { Store } from "./chain.js";
import { grouped } from "./grouped.js";
import {
  EVENT_TYPES,
  ORDER_STATUSES,
  WEIGHTED_TYPES,
  fromCents,
  toCents,
  type EventType,
  type OrderStatus,
  type RetailEvent,
} from "./events.js";

/** What a pipeline should compute from the sales and visits of a window: per store, or per channel. */
export interface SalesFigures {
  /** Sale events (lines). */
  sales: number;
  /** Distinct `transaction_id`s. */
  transactions: number;
  units: number;
  /** Sum of `total_amount`, exact to the cent. */
  revenue: number;
  /** `customer_event`s with action `enter`. */
  customers_entered: number;
  /** Revenue per transaction to the cent; null without a transaction. */
  avg_basket: number | null;
}

/**
 * What a window's after-sale life adds (schema version 3), by where the money
 * and goods move: refunds are counted where they are paid out (a return's store,
 * a refunded order's shop), so net revenue is what the store kept in the window.
 */
export interface RefundFigures {
  /** Return events handed in. */
  returns: number;
  units_returned: number;
  /** Units put back in stock: returns restocked, cancelled or undelivered orders' lines. */
  units_restocked: number;
  /** Returns' refunds and refunded orders' totals, exact to the cent. */
  refunds: number;
  /** `revenue` − `refunds`. */
  net_revenue: number;
  /** Checkout attempts declined. */
  payments_declined: number;
}

export interface WindowFields {
  /** ISO 8601 start (inclusive) and end (exclusive) of the tumbling event-time window. */
  window_start: string;
  window_end: string;
  /** False when the run stopped before the window's end: the figures cover the part that ran. */
  complete: boolean;
}

/** One store's window: its figures and the closing stock of every product whose stock changed in it. */
export interface StoreTruth extends WindowFields, SalesFigures, Partial<RefundFigures> {
  kind: "store";
  store_id: string;
  channel: "store" | "online";
  /** Stock after the window's last inventory update, per product touched. */
  closing_stock: Record<string, number>;
}

/** A channel's window (physical stores or the online shop) over the stores of `shard`. */
export interface ChannelTruth extends WindowFields, SalesFigures, Partial<RefundFigures> {
  kind: "channel";
  channel: "store" | "online";
  /** `i/N` when a shard wrote it (shards' channel rows add up), else `all`. */
  shard: string;
}

/** The window's events by type over the stores of `shard`. */
export interface ChainTruth extends WindowFields {
  kind: "chain";
  shard: string;
  events: Record<EventType, number>;
}

/** The online orders' window (schema version 3): status changes by status, and how long the ones delivered in it took. */
export interface OrdersTruth extends WindowFields {
  kind: "orders";
  shard: string;
  /** Orders that moved into each status in the window. */
  statuses: Record<OrderStatus, number>;
  /** Median hours from placed to delivered of the orders delivered in the window (to 0.01 h); null without one. */
  median_hours_to_delivery: number | null;
}

/** A category's window (schema version 2 sales): the lines, units and revenue of its products, and the checkouts that had one. */
export interface CategoryTruth extends WindowFields {
  kind: "category";
  category: string;
  shard: string;
  /** Sale lines of the category's products. */
  lines: number;
  /** Distinct checkouts with a line of the category. */
  transactions: number;
  units: number;
  /** Sum of the lines' `total_amount`, exact to the cent. */
  revenue: number;
}

/** One row of ground truth. */
export type TruthRow = StoreTruth | ChannelTruth | ChainTruth | CategoryTruth | OrdersTruth;

/** The Kafka key of a row: window start and store (or channel, or chain, with the shard). */
export function truthKey(row: TruthRow): string {
  if (row.kind === "store") return `${row.window_start}/${row.store_id}`;
  if (row.kind === "category") return `${row.window_start}/category:${row.category}/${row.shard}`;
  if (row.kind === "orders") return `${row.window_start}/orders/${row.shard}`;
  return row.kind === "channel"
    ? `${row.window_start}/channel:${row.channel}/${row.shard}`
    : `${row.window_start}/chain/${row.shard}`;
}

/** The median of spans in ms, in hours to 0.01 h (the mean of the middle two of an even count); null for none. */
function medianHours(spans: readonly number[]): number | null {
  if (spans.length === 0) return null;
  const sorted = [...spans].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const ms =
    sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Math.round(ms / 36_000) / 100;
}

/** Start of the tumbling window of `size` ms that holds `time` (windows aligned to the epoch, as stream processors align them). */
export function windowStart(time: number, size: number): number {
  return Math.floor(time / size) * size;
}

class StoreTally {
  sales = 0;
  readonly transactions = new Set<string>();
  units = 0;
  revenueCents = 0;
  entered = 0;
  returns = 0;
  unitsReturned = 0;
  unitsRestocked = 0;
  refundCents = 0;
  declined = 0;
  readonly stock = new Map<string, number>();

  addTo(figures: Tally): void {
    figures.sales += this.sales;
    figures.transactions += this.transactions.size;
    figures.units += this.units;
    figures.revenueCents += this.revenueCents;
    figures.entered += this.entered;
    figures.returns += this.returns;
    figures.unitsReturned += this.unitsReturned;
    figures.unitsRestocked += this.unitsRestocked;
    figures.refundCents += this.refundCents;
    figures.declined += this.declined;
  }
}

interface Tally {
  sales: number;
  transactions: number;
  units: number;
  revenueCents: number;
  entered: number;
  returns: number;
  unitsReturned: number;
  unitsRestocked: number;
  refundCents: number;
  declined: number;
}

const emptyTally = (): Tally => ({
  sales: 0,
  transactions: 0,
  units: 0,
  revenueCents: 0,
  entered: 0,
  returns: 0,
  unitsReturned: 0,
  unitsRestocked: 0,
  refundCents: 0,
  declined: 0,
});

function figuresOf(tally: Tally, lifecycle: boolean): SalesFigures & Partial<RefundFigures> {
  const { sales, transactions, units, revenueCents, entered } = tally;
  const figures = {
    sales,
    transactions,
    units,
    revenue: fromCents(revenueCents),
    customers_entered: entered,
    avg_basket: transactions === 0 ? null : fromCents(revenueCents / transactions),
  };
  if (!lifecycle) return figures;
  return {
    ...figures,
    returns: tally.returns,
    units_returned: tally.unitsReturned,
    units_restocked: tally.unitsRestocked,
    refunds: fromCents(tally.refundCents),
    net_revenue: fromCents(revenueCents - tally.refundCents),
    payments_declined: tally.declined,
  };
}

/**
 * The ground truth of one window, tallied from the events that happened in it:
 * what a correct pipeline computes from the same events. Events are counted as
 * given; the caller decides which window each belongs to.
 */
export class WindowTruth {
  private readonly stores = new Map<string, StoreTally>();
  private readonly events = Object.fromEntries(EVENT_TYPES.map((type) => [type, 0])) as Record<EventType, number>;
  /** Whether an event of the window is of a version with after-sale life (its rows then say refunds, returns, orders). */
  private lifecycle = false;
  private readonly statuses = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  private readonly deliveryMs: number[] = [];
  private readonly categories = new Map<
    string,
    { lines: number; transactions: Set<string>; units: number; revenueCents: number }
  >();

  /** @param categoryOf a product's category, for the category rows of version 2 sales */
  constructor(
    readonly start: number,
    readonly size: number,
    private readonly categoryOf?: (product: string) => string | undefined,
  ) {}

  add(event: RetailEvent): void {
    this.events[event.event_type] += 1;
    if (!this.lifecycle && profileOfValue(event.schema_version).lifecycle) this.lifecycle = true;
    const tally = this.store(event.store_id);
    switch (event.event_type) {
      case "sale":
        tally.sales += 1;
        tally.transactions.add(event.transaction_id);
        tally.units += event.quantity;
        tally.revenueCents += toCents(event.total_amount);
        if (profileOfValue(event.schema_version).categoryTruth) this.addToCategory(event);
        break;
      case "inventory_update":
        // Events of a store × product come in order (one partition per store), so the last one holds.
        tally.stock.set(event.product_id, event.stock_after);
        if (event.reason === "return" || event.reason === "cancellation") tally.unitsRestocked += event.quantity_change;
        break;
      case "customer_event":
        if (event.action === "enter") tally.entered += 1;
        break;
      case "payment":
        if (event.status === "declined") tally.declined += 1;
        break;
      case "return":
        tally.returns += 1;
        tally.unitsReturned += event.quantity;
        tally.refundCents += toCents(event.refund_amount);
        break;
      case "order_status":
        this.statuses[event.status] += 1;
        if (event.refund_amount !== undefined) tally.refundCents += toCents(event.refund_amount);
        if (event.status === "delivered")
          this.deliveryMs.push(Date.parse(event.event_time) - Date.parse(event.placed_at));
        break;
      default:
    }
  }

  /**
   * The window's rows: one per store with events, one per channel of the
   * chain's stores, one for the chain; sorted, so equal tallies print equal.
   */
  rows(stores: readonly Store[], { complete, shard }: { complete: boolean; shard: string }): TruthRow[] {
    const fields = {
      window_start: new Date(this.start).toISOString(),
      window_end: new Date(this.start + this.size).toISOString(),
      complete,
    };
    const channelOf = new Map(stores.map((store) => [store.store_id, store.channel ?? "store"] as const));
    const channels = new Map<"store" | "online", Tally>();
    for (const channel of new Set(channelOf.values())) channels.set(channel, emptyTally());
    const lifecycle = this.lifecycle;
    const storeRows: StoreTruth[] = [];
    for (const id of [...this.stores.keys()].sort()) {
      const tally = this.stores.get(id) as StoreTally;
      const channel = channelOf.get(id) ?? "store";
      const sum = emptyTally();
      tally.addTo(sum);
      const channelSum = channels.get(channel);
      if (channelSum !== undefined) tally.addTo(channelSum);
      const closing = Object.fromEntries([...tally.stock].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      storeRows.push({
        kind: "store",
        ...fields,
        store_id: id,
        channel,
        ...figuresOf(sum, lifecycle),
        closing_stock: closing,
      });
    }
    const channelRows = [...channels]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([channel, sum]): ChannelTruth => ({
        kind: "channel",
        ...fields,
        channel,
        shard,
        ...figuresOf(sum, lifecycle),
      }));
    const categoryRows = [...this.categories]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([category, c]): CategoryTruth => ({
        kind: "category",
        ...fields,
        category,
        shard,
        lines: c.lines,
        transactions: c.transactions.size,
        units: c.units,
        revenue: fromCents(c.revenueCents),
      }));
    const types = lifecycle ? EVENT_TYPES : WEIGHTED_TYPES;
    const events = Object.fromEntries(types.map((type) => [type, this.events[type]])) as Record<EventType, number>;
    // Orders are the online shop's: a shard without one writes no orders row, so the one that has it says its median.
    const orders: OrdersTruth[] =
      lifecycle && stores.some((store) => store.channel === "online")
        ? [
            {
              kind: "orders",
              ...fields,
              shard,
              statuses: { ...this.statuses },
              median_hours_to_delivery: medianHours(this.deliveryMs),
            },
          ]
        : [];
    return [...storeRows, ...channelRows, ...categoryRows, ...orders, { kind: "chain", ...fields, shard, events }];
  }

  private addToCategory(sale: Extract<RetailEvent, { event_type: "sale" }>): void {
    const category = this.categoryOf?.(sale.product_id) ?? "unknown";
    let c = this.categories.get(category);
    if (c === undefined)
      this.categories.set(category, (c = { lines: 0, transactions: new Set(), units: 0, revenueCents: 0 }));
    c.lines += 1;
    c.transactions.add(sale.transaction_id);
    c.units += sale.quantity;
    c.revenueCents += toCents(sale.total_amount);
  }

  /** Every event names a store (prices are set per store). */
  private store(id: string): StoreTally {
    let tally = this.stores.get(id);
    if (tally === undefined) this.stores.set(id, (tally = new StoreTally()));
    return tally;
  }
}

/** A row's place among the rows of every shard: its window and what it covers (a store, a channel, a category…). */
export function truthPlace(row: TruthRow): string {
  switch (row.kind) {
    case "store":
      return `${row.window_start} store ${row.store_id}`;
    case "channel":
      return `${row.window_start} channel ${row.channel}`;
    case "category":
      return `${row.window_start} category ${row.category}`;
    default:
      return `${row.window_start} ${row.kind}`;
  }
}

/** Sales and refund figures added up, money in exact cents; the after-sale figures where a row has them. */
function addedFigures(
  rows: ReadonlyArray<SalesFigures & Partial<RefundFigures>>,
): SalesFigures & Partial<RefundFigures> {
  const tally = emptyTally();
  let lifecycle = false;
  for (const row of rows) {
    tally.sales += row.sales;
    tally.transactions += row.transactions;
    tally.units += row.units;
    tally.revenueCents += toCents(row.revenue);
    tally.entered += row.customers_entered;
    if (row.refunds === undefined) continue;
    lifecycle = true;
    tally.returns += row.returns ?? 0;
    tally.unitsReturned += row.units_returned ?? 0;
    tally.unitsRestocked += row.units_restocked ?? 0;
    tally.refundCents += toCents(row.refunds);
    tally.declined += row.payments_declined ?? 0;
  }
  return figuresOf(tally, lifecycle);
}

/**
 * The truth of N shards as one process writes it: the rows of a window and place added up, `shard` "all" (a
 * store's are its own shard's and, where online orders came back at it, the online shop's shard's). A median is not a sum: the orders row's is
 * kept where one shard wrote it (the one with the online shop), else null.
 */
export function combinedTruth(rows: readonly TruthRow[]): TruthRow[] {
  return [...grouped(rows, truthPlace).values()].map((group): TruthRow => {
    const first = group[0] as TruthRow;
    if (group.length === 1 && first.kind !== "orders")
      return { ...first, ...("shard" in first ? { shard: "all" } : {}) };
    const fields = {
      window_start: first.window_start,
      window_end: first.window_end,
      complete: group.every((row) => row.complete),
    };
    switch (first.kind) {
      case "store": {
        // A store's own shard's row, and that of the shard whose online orders came back there (its refunds paid out).
        const stores = group as StoreTruth[];
        const closing = Object.assign({}, ...stores.map((row) => row.closing_stock)) as Record<string, number>;
        return {
          kind: "store",
          ...fields,
          store_id: first.store_id,
          channel: first.channel,
          ...addedFigures(stores),
          closing_stock: Object.fromEntries(Object.entries(closing).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        };
      }
      case "channel":
        return {
          kind: "channel",
          ...fields,
          channel: first.channel,
          shard: "all",
          ...addedFigures(group as ChannelTruth[]),
        };
      case "category": {
        const categories = group as CategoryTruth[];
        const sumOf = (f: (row: CategoryTruth) => number): number => categories.reduce((a, row) => a + f(row), 0);
        return {
          kind: "category",
          ...fields,
          category: first.category,
          shard: "all",
          lines: sumOf((row) => row.lines),
          transactions: sumOf((row) => row.transactions),
          units: sumOf((row) => row.units),
          revenue: fromCents(sumOf((row) => toCents(row.revenue))),
        };
      }
      case "orders": {
        const orders = group as OrdersTruth[];
        const statuses = Object.fromEntries(
          ORDER_STATUSES.map((status) => [status, orders.reduce((a, row) => a + (row.statuses[status] ?? 0), 0)]),
        ) as Record<OrderStatus, number>;
        return {
          kind: "orders",
          ...fields,
          shard: "all",
          statuses,
          median_hours_to_delivery: orders.length === 1 ? first.median_hours_to_delivery : null,
        };
      }
      case "chain": {
        const events: Partial<Record<EventType, number>> = {};
        for (const row of group as ChainTruth[])
          for (const [type, n] of Object.entries(row.events))
            events[type as EventType] = (events[type as EventType] ?? 0) + n;
        const types = EVENT_TYPES.filter((type) => events[type] !== undefined);
        return {
          kind: "chain",
          ...fields,
          shard: "all",
          events: Object.fromEntries(types.map((type) => [type, events[type]])) as Record<EventType, number>,
        };
      }
    }
  });
}
