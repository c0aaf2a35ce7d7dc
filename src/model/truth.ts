import { profileOfValue } from "./profiles.js";
import type { Store } from "./chain.js";
import { EVENT_TYPES, fromCents, toCents, type EventType, type RetailEvent } from "./events.js";

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

export interface WindowFields {
  /** ISO 8601 start (inclusive) and end (exclusive) of the tumbling event-time window. */
  window_start: string;
  window_end: string;
  /** False when the run stopped before the window's end: the figures cover the part that ran. */
  complete: boolean;
}

/** One store's window: its figures and the closing stock of every product whose stock changed in it. */
export interface StoreTruth extends WindowFields, SalesFigures {
  kind: "store";
  store_id: string;
  channel: "store" | "online";
  /** Stock after the window's last inventory update, per product touched. */
  closing_stock: Record<string, number>;
}

/** A channel's window (physical stores or the online shop) over the stores of `shard`. */
export interface ChannelTruth extends WindowFields, SalesFigures {
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
export type TruthRow = StoreTruth | ChannelTruth | ChainTruth | CategoryTruth;

/** The Kafka key of a row: window start and store (or channel, or chain, with the shard). */
export function truthKey(row: TruthRow): string {
  if (row.kind === "store") return `${row.window_start}/${row.store_id}`;
  if (row.kind === "category") return `${row.window_start}/category:${row.category}/${row.shard}`;
  return row.kind === "channel"
    ? `${row.window_start}/channel:${row.channel}/${row.shard}`
    : `${row.window_start}/chain/${row.shard}`;
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
  readonly stock = new Map<string, number>();

  addTo(figures: Tally): void {
    figures.sales += this.sales;
    figures.transactions += this.transactions.size;
    figures.units += this.units;
    figures.revenueCents += this.revenueCents;
    figures.entered += this.entered;
  }
}

interface Tally {
  sales: number;
  transactions: number;
  units: number;
  revenueCents: number;
  entered: number;
}

function figuresOf({ sales, transactions, units, revenueCents, entered }: Tally): SalesFigures {
  return {
    sales,
    transactions,
    units,
    revenue: fromCents(revenueCents),
    customers_entered: entered,
    avg_basket: transactions === 0 ? null : fromCents(revenueCents / transactions),
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
        break;
      case "customer_event":
        if (event.action === "enter") tally.entered += 1;
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
    for (const channel of new Set(channelOf.values()))
      channels.set(channel, { sales: 0, transactions: 0, units: 0, revenueCents: 0, entered: 0 });
    const storeRows: StoreTruth[] = [];
    for (const id of [...this.stores.keys()].sort()) {
      const tally = this.stores.get(id) as StoreTally;
      const channel = channelOf.get(id) ?? "store";
      const sum: Tally = { sales: 0, transactions: 0, units: 0, revenueCents: 0, entered: 0 };
      tally.addTo(sum);
      const channelSum = channels.get(channel);
      if (channelSum !== undefined) tally.addTo(channelSum);
      const closing = Object.fromEntries([...tally.stock].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      storeRows.push({ kind: "store", ...fields, store_id: id, channel, ...figuresOf(sum), closing_stock: closing });
    }
    const channelRows = [...channels]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([channel, sum]): ChannelTruth => ({ kind: "channel", ...fields, channel, shard, ...figuresOf(sum) }));
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
    return [
      ...storeRows,
      ...channelRows,
      ...categoryRows,
      { kind: "chain", ...fields, shard, events: { ...this.events } },
    ];
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
