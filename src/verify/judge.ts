// The referee: what a pipeline's output should hold (from the run's truth, or from the run's records under
// the pipeline's own event-time policy), what it holds (by its changelog semantics), and where they differ.
import type { RetailEvent, SaleEvent } from "../model/events.js";
import type { TruthRow } from "../model/truth.js";

/** The measures a mapping may name, and whether each is money. */
export const MEASURES = {
  revenue: { money: true },
  units: { money: false },
  sales: { money: false },
  transactions: { money: false },
  customers: { money: false },
  avg_basket: { money: true },
  /** Schema version 3: sales less the refunds paid out (returns handed in, orders cancelled or sent back). */
  net_revenue: { money: true },
  refunds: { money: true },
  closing_stock: { money: false },
  events: { money: false },
} as const;

export type Measure = keyof typeof MEASURES;

/** What a pipeline's output holds, in the truth's terms (data/judge/mapping.schema.json). */
export interface JudgeMapping {
  description?: string;
  measure: Measure;
  group: "store" | "channel" | "category" | "product" | "chain";
  window: "none" | { size: string; offset?: string; slide?: string };
  fields: { window_start?: string; key?: string; product?: string; event_type?: string; value: string; op?: string };
  money?: { as?: "decimal" | "string" | "float"; tolerance?: number };
  semantics?: "append" | "upsert" | "retract";
}

/**
 * A correct pipeline's event-time rules, as Flink applies them with bounded out-of-orderness and a watermark
 * emitted on every event: records of the measure's topic (sales, or visits for customers) are taken in the
 * order they were written; before each, the watermark is the latest event time seen so far less `watermarkDelayMs`; a window fires once the watermark reaches its end; a
 * record whose window ended `allowedLatenessMs` or more before the watermark is dropped (or, with
 * `late: "update"`, still counted); duplicates (same `event_id`) are kept or removed.
 */
export interface LatenessPolicy {
  watermarkDelayMs: number;
  allowedLatenessMs: number;
  late: "drop" | "update";
  duplicates: "keep" | "remove";
}

/** A record of the run as the judge reads it: its event, and the faults its headers declare. */
export interface RunRecord {
  event: RetailEvent;
  faults: readonly string[];
}

/** Minutes, or with a unit (m, h, d), in ms. */
export function durationMs(text: string): number {
  const match = /^(\d+)(m|h|d)?$/.exec(text.trim());
  if (match === null) return Number.NaN;
  return Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? "m") as "m" | "h" | "d"];
}

/** A value per window and key: the key of a cell is `window start ms|group key` (and `|product`, `|type`). */
export type Cells = Map<string, number>;

/** Where a cell sits: its window start (NaN for none) and its group key. */
export function cellId(windowStart: number, key: string): string {
  return `${Number.isFinite(windowStart) ? new Date(windowStart).toISOString() : "all"}|${key}`;
}

/**
 * The starts of every window of the mapping that holds `time`: one for tumbling windows, `size / slide` for
 * hopping ones (each `slide` apart), [NaN] without windows.
 */
export function windowsOf(time: number, mapping: JudgeMapping): number[] {
  if (mapping.window === "none") return [Number.NaN];
  const size = durationMs(mapping.window.size);
  const slide = mapping.window.slide === undefined ? size : durationMs(mapping.window.slide);
  const offset = mapping.window.offset === undefined ? 0 : durationMs(mapping.window.offset);
  const last = Math.floor((time - offset) / slide) * slide + offset;
  const starts: number[] = [];
  for (let start = last - Math.ceil(size / slide - 1) * slide; start <= last; start += slide)
    if (start <= time && time < start + size) starts.push(start);
  return starts;
}

interface Tally {
  revenueCents: number;
  refundCents: number;
  units: number;
  sales: number;
  transactions: Set<string> | number;
  customers: number;
}

const emptyTally = (): Tally => ({
  revenueCents: 0,
  refundCents: 0,
  units: 0,
  sales: 0,
  transactions: 0,
  customers: 0,
});

function measureOf(tally: Tally, measure: Measure): number {
  const transactions = typeof tally.transactions === "number" ? tally.transactions : tally.transactions.size;
  switch (measure) {
    case "revenue":
      return tally.revenueCents;
    case "units":
      return tally.units;
    case "sales":
      return tally.sales;
    case "transactions":
      return transactions;
    case "customers":
      return tally.customers;
    case "avg_basket":
      return transactions === 0 ? 0 : Math.round(tally.revenueCents / transactions);
    case "net_revenue":
      return tally.revenueCents - tally.refundCents;
    case "refunds":
      return tally.refundCents;
    default:
      return 0;
  }
}

/** The truth row's group key for the mapping, or undefined when the row is not of that group. */
function truthKeyOf(row: TruthRow, mapping: JudgeMapping): string | undefined {
  switch (mapping.group) {
    case "store":
      return row.kind === "store" ? row.store_id : undefined;
    case "channel":
      return row.kind === "channel" ? row.channel : undefined;
    case "category":
      return row.kind === "category" ? row.category : undefined;
    case "product":
      return undefined;
    case "chain":
      // Sales figures of the chain are its channels' summed; events by type are the chain rows'.
      return mapping.measure === "events"
        ? row.kind === "chain"
          ? "chain"
          : undefined
        : row.kind === "channel"
          ? "chain"
          : undefined;
  }
}

/**
 * The values a pipeline that sees every record in time computes, from the run's truth rows (windows the run
 * stopped inside are left out: a live run is judged on the windows closed so far). The mapping's windows are
 * unions of the truth's (its size a multiple of theirs).
 */
export function expectedFromTruth(rows: readonly TruthRow[], mapping: JudgeMapping): Cells {
  const tallies = new Map<string, Tally>();
  const stock = new Map<string, { at: number; value: number }>();
  const events = new Map<string, number>();
  for (const row of rows) {
    if (!row.complete) continue;
    // A truth window lies in every window of the mapping that holds its start (the mapping's sizes and slides
    // are multiples of the truth's).
    for (const start of windowsOf(Date.parse(row.window_start), mapping)) addTruth(row, start);
  }
  if (mapping.measure === "closing_stock") return new Map([...stock].map(([id, s]) => [id, s.value]));
  if (mapping.measure === "events") return events;
  return new Map([...tallies].map(([id, tally]) => [id, measureOf(tally, mapping.measure)]));

  function addTruth(row: TruthRow, start: number): void {
    if (mapping.measure === "closing_stock") {
      if (row.kind !== "store") return;
      for (const [product, value] of Object.entries(row.closing_stock)) {
        const id = cellId(start, `${row.store_id}|${product}`);
        const at = Date.parse(row.window_start);
        if ((stock.get(id)?.at ?? -Infinity) <= at) stock.set(id, { at, value });
      }
      return;
    }
    const key = truthKeyOf(row, mapping);
    if (key === undefined) return;
    if (mapping.measure === "events") {
      if (row.kind !== "chain") return;
      for (const [type, n] of Object.entries(row.events)) {
        const id = cellId(start, `${key}|${type}`);
        events.set(id, (events.get(id) ?? 0) + n);
      }
      return;
    }
    const id = cellId(start, key);
    const tally = tallies.get(id) ?? emptyTally();
    tallies.set(id, tally);
    if (row.kind === "category") {
      tally.revenueCents += Math.round(row.revenue * 100);
      tally.units += row.units;
      tally.sales += row.lines;
      tally.transactions = (tally.transactions as number) + row.transactions;
    } else if (row.kind === "store" || row.kind === "channel") {
      tally.revenueCents += Math.round(row.revenue * 100);
      tally.refundCents += Math.round((row.refunds ?? 0) * 100);
      tally.units += row.units;
      tally.sales += row.sales;
      tally.transactions = (tally.transactions as number) + row.transactions;
      tally.customers += row.customers_entered;
    }
  }
}

/** What the judge knows of each record the policy set aside, to name it in a verdict. */
export interface SetAside {
  /** Late records dropped by the policy, by cell. */
  dropped: Map<string, string[]>;
  /** Duplicates removed by the policy (or, kept, counted twice), by cell. */
  duplicates: Map<string, string[]>;
  /** Records the run made late (their headers say so) that the policy counted, by cell. */
  late: Map<string, string[]>;
}

/** The group key of a sale for the mapping (channel: online for the online shop's store ids, given by `online`). */
function saleKey(
  sale: SaleEvent,
  mapping: JudgeMapping,
  online: ReadonlySet<string>,
  categories: ReadonlyMap<string, string>,
): string | undefined {
  switch (mapping.group) {
    case "store":
      return sale.store_id;
    case "channel":
      return online.has(sale.store_id) ? "online" : "store";
    case "category":
      return categories.get(sale.product_id);
    case "product":
      return sale.product_id;
    case "chain":
      return "chain";
  }
}

const push = (map: Map<string, string[]>, id: string, value: string): void => {
  map.set(id, [...(map.get(id) ?? []), value]);
};

/**
 * The values a correct pipeline with `policy` computes from the run's records, in the order they were written
 * (as one partition holds them): revenue, units, sales, transactions and customers by store, channel, category
 * or chain. Also what the policy set aside, per cell, to explain a verdict.
 */
export function expectedFromRecords(
  records: readonly RunRecord[],
  mapping: JudgeMapping,
  policy: LatenessPolicy,
  chain: { online: ReadonlySet<string>; categories: ReadonlyMap<string, string> },
): { cells: Cells; setAside: SetAside; watermark: number } {
  const tallies = new Map<string, Tally>();
  const setAside: SetAside = { dropped: new Map(), duplicates: new Map(), late: new Map() };
  const seen = new Set<string>();
  let maxTime = -Infinity;
  const size = mapping.window === "none" ? Infinity : durationMs(mapping.window.size);
  for (const { event, faults } of records) {
    // The pipeline reads the topics of its measure: only their records move its watermark (net revenue and
    // refunds read the sales, the returns and the orders' status changes, as one union).
    const refund =
      event.event_type === "return" || event.event_type === "order_status" ? event.refund_amount : undefined;
    const money = mapping.measure === "net_revenue" || mapping.measure === "refunds";
    const counted =
      mapping.measure === "customers"
        ? event.event_type === "customer_event"
        : event.event_type === "sale" ||
          (money && (event.event_type === "return" || event.event_type === "order_status"));
    if (!counted) continue;
    const time = Date.parse(event.event_time);
    const watermark = maxTime - policy.watermarkDelayMs;
    maxTime = Math.max(maxTime, time);
    if (event.event_type === "customer_event" && event.action !== "enter") continue;
    // A status change moves money only when it refunds the order.
    if (event.event_type === "order_status" && refund === undefined) continue;
    const key =
      event.event_type === "sale"
        ? saleKey(event, mapping, chain.online, chain.categories)
        : mapping.group === "store"
          ? event.store_id
          : mapping.group === "channel"
            ? chain.online.has(event.store_id)
              ? "online"
              : "store"
            : mapping.group === "chain"
              ? "chain"
              : undefined;
    if (key === undefined) continue;
    const duplicate = seen.has(event.event_id);
    seen.add(event.event_id);
    // Hopping windows: the record in each window that holds it, each with its own end.
    for (const start of windowsOf(time, mapping)) {
      const id = cellId(start, key);
      if (duplicate) {
        push(setAside.duplicates, id, event.event_id);
        if (policy.duplicates === "remove") continue;
      }
      // Its window (ending at start + size) fired once the watermark reached its end; past the allowed
      // lateness too, the window is gone and the record dropped (or, updating, counted all the same).
      const windowEnd = Number.isFinite(start) ? start + size : Infinity;
      if (watermark >= windowEnd + policy.allowedLatenessMs && policy.late === "drop") {
        push(setAside.dropped, id, event.event_id);
        continue;
      }
      if (faults.includes("late") || faults.includes("offline-replay")) push(setAside.late, id, event.event_id);
      const tally = tallies.get(id) ?? { ...emptyTally(), transactions: new Set<string>() };
      tallies.set(id, tally);
      if (event.event_type === "sale") {
        tally.revenueCents += Math.round(event.total_amount * 100);
        tally.units += event.quantity;
        tally.sales += 1;
        (tally.transactions as Set<string>).add(event.transaction_id);
      } else if (refund !== undefined) tally.refundCents += Math.round(refund * 100);
      else tally.customers += 1;
    }
  }
  return {
    cells: new Map([...tallies].map(([id, tally]) => [id, measureOf(tally, mapping.measure)])),
    setAside,
    watermark: maxTime - policy.watermarkDelayMs,
  };
}

/** A value as the output wrote it, in the measure's units (money in cents); undefined when it is not a number. */
export function valueOf(raw: unknown, money: boolean): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? (money ? Math.round(raw * 100) : raw) : undefined;
  if (typeof raw !== "string" || !/^-?\d+(\.\d+)?$/.test(raw.trim())) return undefined;
  if (!money) return Number(raw);
  // Decimal text, exact: whole units and up to two decimals as cents (more decimals are rounded half away from zero).
  const [whole, fraction = ""] = raw.trim().replace("-", "").split(".") as [string, string?];
  const cents = Number(whole) * 100 + Math.round(Number(`0.${fraction || "0"}`) * 100);
  return raw.trim().startsWith("-") ? -cents : cents;
}

/** A window start as the output wrote it: epoch ms, a Date, or ISO 8601 / SQL timestamp text (no zone: UTC). */
export function timeOf(raw: unknown): number {
  if (typeof raw === "number") return raw;
  // A database driver's timestamp.
  if (raw instanceof Date) return raw.getTime();
  if (typeof raw !== "string") return Number.NaN;
  const text = raw.trim().replace(" ", "T");
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
}

/** Problems with an output row, named by its position. */
export interface RowProblem {
  row: number;
  problem: string;
}

/**
 * What the output holds, by its semantics: `append` takes each row once (a second row for a cell is a
 * problem), `upsert` the last row of each cell, `retract` applies each row's op (+I and +U set, -U and -D
 * withdraw the value they name).
 */
export function actualFromRows(
  rows: readonly Record<string, unknown>[],
  mapping: JudgeMapping,
): { cells: Cells; problems: RowProblem[] } {
  const money = MEASURES[mapping.measure].money;
  const cells: Cells = new Map();
  const problems: RowProblem[] = [];
  const { fields } = mapping;
  const semantics = mapping.semantics ?? "append";
  rows.forEach((row, index) => {
    const at = index + 1;
    // The window as the output names it: one not on the mapping's grid (another offset, another time zone) is
    // a cell no expectation has.
    const start = mapping.window === "none" ? Number.NaN : timeOf(row[fields.window_start ?? "window_start"]);
    if (mapping.window !== "none" && !Number.isFinite(start)) {
      problems.push({
        row: at,
        problem: `${fields.window_start ?? "window_start"}: not a time (${JSON.stringify(row[fields.window_start ?? "window_start"])})`,
      });
      return;
    }
    const parts = [
      mapping.group === "chain" ? "chain" : String(row[fields.key ?? `${mapping.group}_id`] ?? ""),
      ...(mapping.measure === "closing_stock" ? [String(row[fields.product ?? "product_id"] ?? "")] : []),
      ...(mapping.measure === "events" ? [String(row[fields.event_type ?? "event_type"] ?? "")] : []),
    ];
    const id = cellId(start, parts.join("|"));
    const value = valueOf(row[fields.value], money);
    if (value === undefined) {
      problems.push({ row: at, problem: `${fields.value}: not a number (${JSON.stringify(row[fields.value])})` });
      return;
    }
    if (semantics === "retract") {
      const op = String(row[fields.op ?? "op"] ?? "+I");
      if (op === "-U" || op === "-D") {
        if (cells.get(id) === value) cells.delete(id);
        else problems.push({ row: at, problem: `${op} of ${id} withdraws ${value}, which it did not hold` });
      } else cells.set(id, value);
      return;
    }
    if (semantics === "append" && cells.has(id))
      problems.push({ row: at, problem: `a second row for ${id} in an append-only output` });
    cells.set(id, value);
  });
  return { cells, problems };
}

/** One cell where the output and the expectation differ. */
export interface Difference {
  cell: string;
  kind: "missing" | "extra" | "wrong";
  expected?: number;
  actual?: number;
  /** The records that explain it: duplicates counted, late records dropped or counted. */
  explained?: { duplicates?: string[]; dropped?: string[]; late?: string[] };
}

/** The verdict: cells that match, and every difference. */
export interface Verdict {
  matched: number;
  expected: number;
  differences: Difference[];
  rowProblems: RowProblem[];
}

/**
 * Compares cell by cell. An expected value of 0 may be absent (a pipeline emits no row for a window without
 * sales); money differs when it is further apart than the tolerance (cents).
 */
export function judge(
  expected: Cells,
  actual: Cells,
  mapping: JudgeMapping,
  setAside?: SetAside,
  rowProblems: RowProblem[] = [],
): Verdict {
  const money = MEASURES[mapping.measure].money;
  const tolerance = money ? Math.round((mapping.money?.tolerance ?? 0) * 100) : 0;
  const differences: Difference[] = [];
  let matched = 0;
  const explain = (cell: string): Difference["explained"] => {
    if (setAside === undefined) return undefined;
    const found = {
      ...(setAside.duplicates.has(cell) ? { duplicates: setAside.duplicates.get(cell) } : {}),
      ...(setAside.dropped.has(cell) ? { dropped: setAside.dropped.get(cell) } : {}),
      ...(setAside.late.has(cell) ? { late: setAside.late.get(cell) } : {}),
    };
    return Object.keys(found).length === 0 ? undefined : found;
  };
  let required = 0;
  for (const [cell, value] of expected) {
    const got = actual.get(cell);
    // A cell of 0 with no row asks nothing of the output.
    if (got === undefined && value === 0) continue;
    required += 1;
    if (got === undefined) differences.push({ cell, kind: "missing", expected: value, explained: explain(cell) });
    else if (Math.abs(got - value) > tolerance)
      differences.push({ cell, kind: "wrong", expected: value, actual: got, explained: explain(cell) });
    else matched += 1;
  }
  for (const [cell, value] of actual)
    if (!expected.has(cell) && value !== 0)
      differences.push({ cell, kind: "extra", actual: value, explained: explain(cell) });
  differences.sort((a, b) => a.cell.localeCompare(b.cell));
  return { matched, expected: required, differences, rowProblems };
}

/** A value in the measure's units, as the verdict says it. */
export function shown(value: number | undefined, mapping: JudgeMapping): string {
  if (value === undefined) return "none";
  return MEASURES[mapping.measure].money ? (value / 100).toFixed(2) : String(value);
}

/** Record ids named per reason in a text verdict (the JSON report names them all). */
const IDS_SHOWN = 5;

/** The verdict as text: a summary line, then the first `show` differences with their explanations. */
export function verdictLines(verdict: Verdict, mapping: JudgeMapping, show = 10): string[] {
  const ok = verdict.differences.length === 0 && verdict.rowProblems.length === 0;
  const by = (kind: Difference["kind"]): number => verdict.differences.filter((d) => d.kind === kind).length;
  const lines = [
    `judge: ${ok ? "OK" : "WRONG"} — ${mapping.measure} by ${mapping.group}: ${verdict.matched} of ${verdict.expected} expected cells match; ${by("wrong")} wrong, ${by("missing")} missing, ${by("extra")} extra; ${verdict.rowProblems.length} rows not understood`,
  ];
  for (const d of verdict.differences.slice(0, show)) {
    const values =
      d.kind === "wrong"
        ? `expected ${shown(d.expected, mapping)}, got ${shown(d.actual, mapping)}`
        : d.kind === "missing"
          ? `expected ${shown(d.expected, mapping)}, no row`
          : `got ${shown(d.actual, mapping)}, none expected`;
    const why = d.explained;
    const ids = (list: readonly string[]): string =>
      list.length <= IDS_SHOWN
        ? list.join(", ")
        : `${list.slice(0, IDS_SHOWN).join(", ")} and ${list.length - IDS_SHOWN} more`;
    const reasons = [
      ...(why?.duplicates === undefined ? [] : [`duplicates ${ids(why.duplicates)}`]),
      ...(why?.dropped === undefined ? [] : [`late records a correct pipeline drops ${ids(why.dropped)}`]),
      ...(why?.late === undefined ? [] : [`late records a correct pipeline counts ${ids(why.late)}`]),
    ];
    lines.push(`  ${d.kind.padEnd(7)} ${d.cell}: ${values}${reasons.length > 0 ? ` (${reasons.join("; ")})` : ""}`);
  }
  for (const p of verdict.rowProblems.slice(0, show)) lines.push(`  row ${p.row}: ${p.problem}`);
  return lines;
}

/**
 * The cells of windows a live pipeline has closed by `watermark` (its window's end reached), the rest left out:
 * a live run is judged on the windows closed so far. Cells without a window (running totals) are all kept.
 */
export function closedBy(cells: Cells, mapping: JudgeMapping, watermark: number): Cells {
  if (mapping.window === "none") return cells;
  const size = durationMs(mapping.window.size);
  return new Map([...cells].filter(([cell]) => Date.parse(cell.split("|")[0] as string) + size <= watermark));
}
