// `verify --postgres`: the database `--sink postgres` wrote, checked on its own (orders add up,
// every sold line has its decrement, the stock ledger and price history chain, the state tables
// hold their last change) and, given the seed's stream, against it (every event once, as made).
import { grouped } from "../model/grouped.js";
import { ORDER_STATUSES, toCents, type OrderStatus, type RetailEvent } from "../model/events.js";
import type { DatabaseRows, MovementRow, PriceChangeRow } from "../wire/databaseRows.js";

/** The checks, in the order they are reported. */
export const DATABASE_CHECKS = ["orders", "decrements", "ledger", "prices", "stream"] as const;
export type DatabaseCheck = (typeof DATABASE_CHECKS)[number];

export interface DatabaseVerdict {
  rows: number;
  summaries: Array<{ check: DatabaseCheck; covered: string; violations: number }>;
  violations: Array<{ check: DatabaseCheck; message: string }>;
}

/** Exact decimal text ("24.99", "-3.5") as integer cents. */
const cents = (text: string | number): number => toCents(Number(text));
const cell = (row: { store_id: string; product_id: string }): string => `${row.store_id} × ${row.product_id}`;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The seed's stream to check the database against: its events, and how many
 * records of each type it declared malformed (garbled on the wire, whole in
 * the database: as many rows of that type the stream cannot show are explained).
 */
export interface StreamToCompare {
  events: readonly RetailEvent[];
  malformed: ReadonlyMap<string, number>;
}

/** Checks the database's rows; with `stream` (the seed's events, as the run made them), also that it holds exactly those. */
export function verifyDatabase(db: DatabaseRows, stream?: StreamToCompare): DatabaseVerdict {
  const violations: DatabaseVerdict["violations"] = [];
  const covered = new Map<DatabaseCheck, string>();
  const fail = (check: DatabaseCheck, message: string): void => void violations.push({ check, message });

  // Orders: lines 1..line_count, each line quantity × unit price, the total their sum, to the cent.
  const linesOf = new Map<string, DatabaseRows["orderLines"]>();
  for (const line of db.orderLines)
    linesOf.set(line.transaction_id, [...(linesOf.get(line.transaction_id) ?? []), line]);
  for (const order of db.orders) {
    const lines = (linesOf.get(order.transaction_id) ?? []).sort((a, b) => a.line_number - b.line_number);
    linesOf.delete(order.transaction_id);
    const numbers = lines.map((l) => l.line_number).join(",");
    const expected = Array.from({ length: order.line_count }, (_, i) => i + 1).join(",");
    if (numbers !== expected)
      fail("orders", `order ${order.transaction_id} has lines [${numbers}], its line_count says ${order.line_count}`);
    const sum = lines.reduce((total, l) => total + cents(l.total_amount), 0);
    if (sum !== cents(order.total))
      fail(
        "orders",
        `order ${order.transaction_id} totals ${order.total}, its lines add up to ${(sum / 100).toFixed(2)}`,
      );
    for (const l of lines) {
      if (l.quantity * cents(l.unit_price) !== cents(l.total_amount))
        fail(
          "orders",
          `line ${order.transaction_id}#${l.line_number}: ${l.quantity} × ${l.unit_price} is not ${l.total_amount}`,
        );
    }
  }
  for (const id of linesOf.keys()) fail("orders", `lines of ${id} without their order`);
  // An online order's status is its latest change (ties in the order the changes follow one another).
  const changes = new Map<string, DatabaseRows["statusChanges"]>();
  for (const c of db.statusChanges) changes.set(c.order_id, [...(changes.get(c.order_id) ?? []), c]);
  const orderIds = new Set(db.orders.map((o) => o.transaction_id));
  for (const order of db.orders) {
    const history = changes.get(order.transaction_id) ?? [];
    const last = [...history]
      .sort(
        (a, b) =>
          a.changed_at - b.changed_at ||
          ORDER_STATUSES.indexOf(a.status as OrderStatus) - ORDER_STATUSES.indexOf(b.status as OrderStatus),
      )
      .at(-1);
    if ((last?.status ?? null) !== order.status)
      fail(
        "orders",
        `order ${order.transaction_id} says status ${String(order.status)}; its latest change is ${last?.status ?? "none"}`,
      );
  }
  for (const id of changes.keys()) if (!orderIds.has(id)) fail("orders", `status changes of ${id} without their order`);
  covered.set(
    "orders",
    `${db.orders.length} orders with ${db.orderLines.length} lines, each total the sum of its lines to the cent; ${changes.size} online orders' status their latest of ${db.statusChanges.length} changes`,
  );

  // Decrements: each sold line has its sale movement (same store and product, minus its quantity), and each sale movement its line.
  const storeOf = new Map(db.orders.map((o) => [o.transaction_id, o.store_id]));
  const saleMoves = new Map<string, MovementRow>();
  for (const m of db.movements)
    if (m.reason === "sale" && m.source_event_id !== null) saleMoves.set(m.source_event_id, m);
  for (const line of db.orderLines) {
    const move = saleMoves.get(line.event_id);
    saleMoves.delete(line.event_id);
    if (move === undefined)
      fail(
        "decrements",
        `sale ${line.event_id} (${line.transaction_id}#${line.line_number}) has no inventory movement`,
      );
    else if (
      move.product_id !== line.product_id ||
      move.store_id !== storeOf.get(line.transaction_id) ||
      move.quantity_change !== -line.quantity
    ) {
      fail(
        "decrements",
        `sale ${line.event_id} sold ${line.quantity} of ${line.product_id}, its movement ${move.event_id} changes ${cell(move)} by ${move.quantity_change}`,
      );
    }
  }
  for (const move of saleMoves.values())
    fail(
      "decrements",
      `movement ${move.event_id} decrements for sale ${move.source_event_id ?? "?"}, which the database does not have`,
    );
  covered.set("decrements", `${db.orderLines.length} sold lines, each with its decrement`);

  // Ledger: each store × product's movements chain (before + change = after, never below 0); stock holds the last.
  const ledger = chains(
    db.movements,
    (m) => m.moved_at,
    (a, b) => a.stock_after === b.stock_after - b.quantity_change,
  );
  const stockOf = new Map(db.stock.map((s) => [cell(s), s]));
  for (const [key, moves] of ledger) {
    moves.forEach((m, i) => {
      if (m.stock_after < 0) fail("ledger", `${key}: stock ${m.stock_after} after ${m.event_id} at ${iso(m.moved_at)}`);
      const prior = moves[i - 1];
      if (prior !== undefined && prior.stock_after !== m.stock_after - m.quantity_change) {
        fail(
          "ledger",
          `${key}: ${m.event_id} at ${iso(m.moved_at)} starts from ${m.stock_after - m.quantity_change}, the movement before left ${prior.stock_after}`,
        );
      }
    });
    const last = moves[moves.length - 1] as MovementRow;
    const held = stockOf.get(key);
    stockOf.delete(key);
    if (held === undefined) fail("ledger", `${key}: no stock row after ${moves.length} movements`);
    else if (held.quantity !== last.stock_after)
      fail(
        "ledger",
        `${key}: stock holds ${held.quantity}, the last movement (${last.event_id}) left ${last.stock_after}`,
      );
  }
  for (const key of stockOf.keys()) fail("ledger", `${key}: a stock row without movements`);
  covered.set(
    "ledger",
    `${db.movements.length} movements over ${ledger.size} store × product, chaining and never below 0; stock holds each one's last`,
  );

  // Prices: each store × product's changes chain (old = the previous new); prices holds the last.
  const history = chains(
    db.priceChanges,
    (c) => c.changed_at,
    (a, b) => cents(a.new_price) === cents(b.old_price),
  );
  const priceOf = new Map(db.prices.map((p) => [cell(p), p]));
  for (const [key, changes] of history) {
    changes.forEach((c, i) => {
      const prior = changes[i - 1];
      if (prior !== undefined && cents(prior.new_price) !== cents(c.old_price))
        fail(
          "prices",
          `${key}: ${c.event_id} at ${iso(c.changed_at)} changes from ${c.old_price}, the change before set ${prior.new_price}`,
        );
    });
    const last = changes[changes.length - 1] as PriceChangeRow;
    const held = priceOf.get(key);
    priceOf.delete(key);
    if (held === undefined) fail("prices", `${key}: no price row after ${changes.length} changes`);
    else if (cents(held.price) !== cents(last.new_price))
      fail("prices", `${key}: prices holds ${held.price}, the last change (${last.event_id}) set ${last.new_price}`);
  }
  for (const key of priceOf.keys()) fail("prices", `${key}: a price row without price changes`);
  covered.set(
    "prices",
    `${db.priceChanges.length} price changes over ${history.size} store × product, chaining; prices holds each one's last`,
  );

  if (stream !== undefined)
    covered.set(
      "stream",
      compareStream(db, stream, (m) => fail("stream", m)),
    );
  else covered.set("stream", "not compared (no --input of the seed's stream)");

  const rows =
    db.orders.length +
    db.orderLines.length +
    db.movements.length +
    db.stock.length +
    db.priceChanges.length +
    db.prices.length +
    db.visits.length +
    db.alerts.length;
  return {
    rows,
    violations,
    summaries: DATABASE_CHECKS.map((check) => ({
      check,
      covered: covered.get(check) ?? "",
      violations: violations.filter((v) => v.check === check).length,
    })),
  };
}

/**
 * Groups rows by store × product, each group in time order; rows of one
 * millisecond in the order that chains (`follows(a, b)`: b can come after a).
 */
function chains<T extends { store_id: string; product_id: string }>(
  rows: readonly T[],
  time: (row: T) => number,
  follows: (a: T, b: T) => boolean,
): Map<string, T[]> {
  const groups = grouped(rows, cell);
  for (const [key, group] of groups) {
    group.sort((a, b) => time(a) - time(b));
    const ordered: T[] = [];
    for (let i = 0; i < group.length;) {
      let j = i;
      while (j < group.length && time(group[j] as T) === time(group[i] as T)) j += 1;
      const tied = group.slice(i, j);
      while (tied.length > 0) {
        const prior = ordered[ordered.length - 1];
        const next =
          prior === undefined
            ? tied.findIndex((b) => !tied.some((a) => a !== b && follows(a, b)))
            : tied.findIndex((b) => follows(prior, b));
        ordered.push(...tied.splice(Math.max(0, next), 1));
      }
      i = j;
    }
    groups.set(key, ordered);
  }
  return groups;
}

/** The database against the stream: every event in its table once with the values the stream gave it, and nothing else. */
function compareStream(db: DatabaseRows, stream: StreamToCompare, fail: (message: string) => void): string {
  const tables: Partial<
    Record<RetailEvent["event_type"], { name: string; rows: Map<string, Record<string, unknown>> }>
  > = {
    sale: {
      name: "order_lines",
      rows: new Map(
        db.orderLines.map((r) => [
          r.event_id,
          {
            product_id: r.product_id,
            quantity: r.quantity,
            unit_price: cents(r.unit_price),
            total_amount: cents(r.total_amount),
          },
        ]),
      ),
    },
    inventory_update: {
      name: "inventory_movements",
      rows: new Map(
        db.movements.map((r) => [
          r.event_id,
          { cell: cell(r), quantity_change: r.quantity_change, stock_after: r.stock_after, at: r.moved_at },
        ]),
      ),
    },
    price_change: {
      name: "price_changes",
      rows: new Map(
        db.priceChanges.map((r) => [
          r.event_id,
          { cell: cell(r), old_price: cents(r.old_price), new_price: cents(r.new_price), at: r.changed_at },
        ]),
      ),
    },
    customer_event: { name: "customer_visits", rows: new Map(db.visits.map((r) => [r.event_id, {}])) },
    restock_alert: { name: "restock_alerts", rows: new Map(db.alerts.map((r) => [r.event_id, {}])) },
    payment: {
      name: "payments",
      rows: new Map(
        db.payments.map((r) => [
          r.event_id,
          { payment_id: r.payment_id, transaction_id: r.transaction_id, amount: cents(r.amount), status: r.status },
        ]),
      ),
    },
    order_status: {
      name: "order_status_changes",
      rows: new Map(
        db.statusChanges.map((r) => [r.event_id, { order_id: r.order_id, status: r.status, at: r.changed_at }]),
      ),
    },
    return: {
      name: "returns",
      rows: new Map(
        db.returns.map((r) => [
          r.event_id,
          { return_id: r.return_id, quantity: r.quantity, refund_amount: cents(r.refund_amount) },
        ]),
      ),
    },
  };
  const made = (e: RetailEvent): Record<string, unknown> => {
    switch (e.event_type) {
      case "sale":
        return {
          product_id: e.product_id,
          quantity: e.quantity,
          unit_price: cents(e.unit_price),
          total_amount: cents(e.total_amount),
        };
      case "inventory_update":
        return {
          cell: cell(e),
          quantity_change: e.quantity_change,
          stock_after: e.stock_after,
          at: Date.parse(e.event_time),
        };
      case "price_change":
        return {
          cell: cell(e),
          old_price: cents(e.old_price),
          new_price: cents(e.new_price),
          at: Date.parse(e.event_time),
        };
      case "payment":
        return {
          payment_id: e.payment_id,
          transaction_id: e.transaction_id,
          amount: cents(e.amount),
          status: e.status,
        };
      case "order_status":
        return { order_id: e.order_id, status: e.status, at: Date.parse(e.event_time) };
      case "return":
        return { return_id: e.return_id, quantity: e.quantity, refund_amount: cents(e.refund_amount) };
      default:
        return {};
    }
  };
  const seen = new Set<string>();
  let missing = 0;
  for (const event of stream.events) {
    if (seen.has(event.event_id)) continue;
    seen.add(event.event_id);
    const table = tables[event.event_type] as { name: string; rows: Map<string, Record<string, unknown>> };
    const row = table.rows.get(event.event_id);
    table.rows.delete(event.event_id);
    if (row === undefined) {
      missing += 1;
      fail(`${event.event_type} ${event.event_id} at ${event.event_time} is not in ${table.name}`);
      continue;
    }
    const expected = made(event);
    const differs = Object.keys(expected).filter((k) => row[k] !== expected[k]);
    if (differs.length > 0)
      fail(
        `${event.event_type} ${event.event_id}: ${differs.map((k) => `${k} ${String(row[k])} in ${table.name}, ${String(expected[k])} in the stream`).join("; ")}`,
      );
  }
  let extra = 0;
  let explained = 0;
  for (const [type, { name, rows }] of Object.entries(tables)) {
    const garbled = stream.malformed.get(type) ?? 0;
    if (rows.size <= garbled) {
      explained += rows.size;
      continue;
    }
    for (const id of rows.keys()) {
      extra += 1;
      fail(`${name} has ${id}, which the stream does not`);
    }
  }
  const why = explained > 0 ? ` (${explained} rows explained by records the stream declared malformed)` : "";
  return `${seen.size} events of the stream, each in its table once with its values${missing + extra > 0 ? ` (${missing} missing, ${extra} not in the stream)` : `, nothing else${why}`}`;
}

/** The report, as `verify` prints it for Kafka. */
export function databaseReportLines(verdict: DatabaseVerdict, shown = 10): string[] {
  const lines = verdict.summaries.map(
    (s) =>
      `  ${s.violations === 0 ? "ok  " : "FAIL"} ${s.check.padEnd(10)} ${s.covered}${s.violations > 0 ? `: ${s.violations} violations` : ""}`,
  );
  const { violations } = verdict;
  if (violations.length > 0)
    lines.push(`  first ${Math.min(shown, violations.length)} of ${violations.length} violations:`);
  for (const v of violations.slice(0, shown)) lines.push(`    ${v.check}: ${v.message}`);
  lines.push(
    violations.length === 0
      ? `verify: OK — ${verdict.rows} rows`
      : `verify: FAILED — ${violations.length} violations in ${verdict.rows} rows`,
  );
  return lines;
}
