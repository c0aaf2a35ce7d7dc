import type { Chain } from "../model/chain.js";
import { ORDER_STATUSES, toCents } from "../model/events.js";
import {
  WindowTruth,
  windowStart,
  type ChainTruth,
  type ChannelTruth,
  type OrdersTruth,
  type StoreTruth,
  type TruthRow,
} from "../model/truth.js";
import type { ReadEvent } from "./decode.js";
import type { Findings } from "./findings.js";

const FIGURES = [
  "sales",
  "transactions",
  "units",
  "revenue",
  "customers_entered",
  // Schema version 3's after-sale figures: absent from the rows of earlier versions.
  "returns",
  "units_returned",
  "units_restocked",
  "refunds",
  "net_revenue",
  "payments_declined",
] as const;
type Figure = (typeof FIGURES)[number];
type Figures = Partial<Record<Figure, number>>;
const MONEY: ReadonlySet<Figure> = new Set(["revenue", "refunds", "net_revenue"]);

/** Figures summed over rows (money in exact cents), each only where a row has it. */
function sum(rows: readonly Figures[]): Figures {
  const total: Figures = {};
  for (const row of rows)
    for (const f of FIGURES) {
      const value = row[f];
      if (value !== undefined) total[f] = (total[f] ?? 0) + (MONEY.has(f) ? toCents(value) : value);
    }
  for (const f of MONEY) if (total[f] !== undefined) total[f] = (total[f] as number) / 100;
  return total;
}

/** The figures that differ, `name truth≠recomputed`. */
function differences(truth: Figures, recomputed: Figures): string[] {
  const same = (f: Figure): boolean => {
    const [a, b] = [truth[f], recomputed[f]];
    if (a === undefined || b === undefined) return a === b || (a ?? 0) === (b ?? 0);
    return MONEY.has(f) ? toCents(a) === toCents(b) : a === b;
  };
  return FIGURES.filter((f) => !same(f)).map((f) => `${f} ${truth[f]}≠${recomputed[f]}`);
}

/**
 * The truth read back against the same aggregates recomputed from the events
 * read (in ledger order, so late events count in their window): each store's
 * row, the channels and the chain summed over the shards that wrote them.
 */
export function checkTruth(
  rows: readonly TruthRow[],
  events: readonly ReadEvent[],
  chain: Chain,
  findings: Findings,
): string {
  if (rows.length === 0) return "no truth records read (run with --truth to have them)";
  const size = Date.parse((rows[0] as TruthRow).window_end) - Date.parse((rows[0] as TruthRow).window_start);
  const windows = new Map<number, WindowTruth>();
  for (const start of new Set(rows.map((r) => Date.parse(r.window_start))))
    windows.set(start, new WindowTruth(start, size));
  for (const read of events) windows.get(windowStart(Date.parse(read.event.event_time), size))?.add(read.event);
  const recomputed = new Map<string, TruthRow>();
  for (const window of windows.values())
    for (const row of window.rows(chain.stores, { complete: true, shard: "all" })) recomputed.set(keyOf(row), row);

  const stores = rows.filter((r): r is StoreTruth => r.kind === "store");
  for (const row of stores) {
    const mine = recomputed.get(keyOf(row)) as StoreTruth | undefined;
    if (mine === undefined) {
      findings.add(
        "truth",
        `${row.window_start} ${row.store_id}: the truth has a row, the events read have nothing of this store in the window`,
        undefined,
        spanOf(row, row.store_id),
      );
      continue;
    }
    const diff = differences(row, mine);
    if (JSON.stringify(row.closing_stock) !== JSON.stringify(mine.closing_stock)) diff.push("closing stock");
    if (diff.length > 0)
      findings.add(
        "truth",
        `${row.window_start} ${row.store_id}: ${diff.join(", ")} (truth≠events read)`,
        undefined,
        spanOf(row, row.store_id),
      );
  }
  const told = new Set(stores.map(keyOf));
  for (const row of recomputed.values())
    if (row.kind === "store" && !told.has(keyOf(row)))
      findings.add("truth", `${row.window_start} ${row.store_id}: events read, but no truth row`);
  for (const [key, group] of groupBy(
    rows.filter((r): r is ChannelTruth => r.kind === "channel"),
    keyOf,
  )) {
    const mine = recomputed.get(key) as ChannelTruth | undefined;
    const diff = differences(sum(group), mine ?? sum([]));
    if (diff.length > 0)
      findings.add("truth", `${key}: ${diff.join(", ")} (truth≠events read)`, undefined, spanOf(group[0] as TruthRow));
  }
  for (const [key, group] of groupBy(
    rows.filter((r): r is ChainTruth => r.kind === "chain"),
    keyOf,
  )) {
    const mine = recomputed.get(key) as ChainTruth | undefined;
    for (const [type, n] of Object.entries(mine?.events ?? {})) {
      const told = group.reduce((a, r) => a + (r.events[type as keyof ChainTruth["events"]] ?? 0), 0);
      if (told !== n)
        findings.add(
          "truth",
          `${key}: ${type} ${told}≠${n} (truth≠events read)`,
          undefined,
          spanOf(group[0] as TruthRow),
        );
    }
  }
  for (const [key, group] of groupBy(
    rows.filter((r): r is OrdersTruth => r.kind === "orders"),
    keyOf,
  )) {
    const mine = recomputed.get(key) as OrdersTruth | undefined;
    const diff: string[] = ORDER_STATUSES.filter(
      (status) => group.reduce((a, r) => a + (r.statuses[status] ?? 0), 0) !== (mine?.statuses[status] ?? 0),
    );
    // A median is not a sum: it is compared where one process wrote the row.
    if (
      group.length === 1 &&
      mine !== undefined &&
      group[0]?.median_hours_to_delivery !== mine.median_hours_to_delivery
    )
      diff.push("median_hours_to_delivery");
    if (diff.length > 0)
      findings.add("truth", `${key}: ${diff.join(", ")} (truth≠events read)`, undefined, spanOf(group[0] as TruthRow));
  }
  return `${rows.length} truth rows over ${windows.size} windows of ${size / 60_000} min against the aggregates of the events read`;
}

/** Rows of all shards meet under one key: window, and store, channel or chain. */
function keyOf(row: TruthRow): string {
  switch (row.kind) {
    case "store":
      return `${row.window_start} ${row.store_id}`;
    case "channel":
      return `${row.window_start} channel ${row.channel}`;
    case "category":
      return `${row.window_start} category ${row.category}`;
    default:
      return `${row.window_start} ${row.kind}`;
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** A window (of a store's records, when one is named): where a record declared malformed explains a difference. */
function spanOf(row: TruthRow, store?: string): { store?: string; from: number; to: number } {
  return { store, from: Date.parse(row.window_start), to: Date.parse(row.window_end) - 1 };
}
