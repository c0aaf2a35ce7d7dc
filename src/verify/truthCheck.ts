import type { Chain } from "../model/chain.js";
import { ORDER_STATUSES, toCents } from "../model/events.js";
import {
  WindowTruth,
  combinedTruth,
  truthPlace,
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
  written: readonly TruthRow[],
  events: readonly ReadEvent[],
  chain: Chain,
  findings: Findings,
): string {
  if (written.length === 0) return "no truth records read (run with --truth to have them)";
  // The shards' rows added up as one process writes them.
  const rows = combinedTruth(written);
  const size = Date.parse((rows[0] as TruthRow).window_end) - Date.parse((rows[0] as TruthRow).window_start);
  const windows = new Map<number, WindowTruth>();
  for (const start of new Set(rows.map((r) => Date.parse(r.window_start))))
    windows.set(start, new WindowTruth(start, size));
  for (const read of events) windows.get(windowStart(Date.parse(read.event.event_time), size))?.add(read.event);
  const recomputed = new Map<string, TruthRow>();
  for (const window of windows.values())
    for (const row of window.rows(chain.stores, { complete: true, shard: "all" })) recomputed.set(truthPlace(row), row);

  const stores = rows.filter((r): r is StoreTruth => r.kind === "store");
  for (const row of stores) {
    const mine = recomputed.get(truthPlace(row)) as StoreTruth | undefined;
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
  const told = new Set(stores.map(truthPlace));
  for (const row of recomputed.values())
    if (row.kind === "store" && !told.has(truthPlace(row)))
      findings.add("truth", `${row.window_start} ${row.store_id}: events read, but no truth row`);
  for (const row of rows) {
    if (row.kind === "store" || row.kind === "category") continue;
    const key = truthPlace(row);
    const mine = recomputed.get(key);
    const diff: string[] = [];
    if (row.kind === "channel") diff.push(...differences(row, (mine as ChannelTruth | undefined) ?? sum([])));
    else if (row.kind === "chain") {
      for (const [type, n] of Object.entries((mine as ChainTruth | undefined)?.events ?? {})) {
        const told = row.events[type as keyof ChainTruth["events"]] ?? 0;
        if (told !== n) diff.push(`${type} ${told}≠${n}`);
      }
    } else {
      const orders = mine as OrdersTruth | undefined;
      diff.push(...ORDER_STATUSES.filter((status) => row.statuses[status] !== (orders?.statuses[status] ?? 0)));
      // A median is not a sum: it is compared where one process (or the online shop's shard) wrote the row.
      if (
        row.median_hours_to_delivery !== null &&
        orders !== undefined &&
        row.median_hours_to_delivery !== orders.median_hours_to_delivery
      )
        diff.push("median_hours_to_delivery");
    }
    if (diff.length > 0)
      findings.add("truth", `${key}: ${diff.join(", ")} (truth≠events read)`, undefined, spanOf(row));
  }
  return `${written.length} truth rows over ${windows.size} windows of ${size / 60_000} min against the aggregates of the events read`;
}

/** A window (of a store's records, when one is named): where a record declared malformed explains a difference. */
function spanOf(row: TruthRow, store?: string): { store?: string; from: number; to: number } {
  return { store, from: Date.parse(row.window_start), to: Date.parse(row.window_end) - 1 };
}
