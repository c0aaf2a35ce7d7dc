import { spawn } from "node:child_process";
import { expect } from "chai";
import { BIN, ROOT, type Result } from "./cli.js";

/** Runs the CLI to completion without blocking, so a test's processes share the cores. */
export function runCliAsync(args: string[], timeout = 120_000): Promise<Result> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
  return new Promise((resolve) =>
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

interface Line {
  topic: string;
  key: string;
  value: Record<string, unknown>;
}

/** Records by topic and key, each key's in the order written. */
export function byKey(lines: readonly string[]): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const line of lines) {
    const { topic, key } = JSON.parse(line) as Line;
    const id = `${topic} ${key}`;
    const list = keys.get(id);
    if (list === undefined) keys.set(id, [line]);
    else list.push(line);
  }
  return keys;
}

const cents = (value: number): number => Math.round(value * 100);
const MONEY = new Set(["revenue", "refunds", "net_revenue"]);

/**
 * Truth rows of shards added up as the one process writes them, by this test's own arithmetic: the rows of one
 * window and place (a store — its own shard's, and an online order's returns handed in there —, a channel, a
 * category, the chain, the orders) summed field by field (money in cents, closing stock merged), the average
 * basket again from the sums, a median where one shard wrote the row.
 */
export function addedUp(rows: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  const groups = new Map<string, Array<Record<string, unknown>>>();
  for (const row of rows) {
    const place = [row.kind, row.window_start, row.store_id, row.channel, row.category].join(" ");
    groups.set(place, [...(groups.get(place) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Record<string, unknown>;
    const sum: Record<string, unknown> = "shard" in first ? { ...first, shard: "all" } : { ...first };
    // Every field of any row: a shard's row may lack the after-sale figures (no version 3 event of its stores in the window).
    const fields = new Map(group.flatMap((row) => Object.entries(row)));
    for (const [field, value] of fields) {
      if (typeof value === "number" && field !== "median_hours_to_delivery") {
        const of = (row: Record<string, unknown>): number => (row[field] as number | undefined) ?? 0;
        const total = group.reduce((a, row) => a + (MONEY.has(field) ? cents(of(row)) : of(row)), 0);
        sum[field] = MONEY.has(field) ? total / 100 : total;
      } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const counts: Record<string, number> = {};
        for (const row of group)
          for (const [k, n] of Object.entries((row[field] ?? {}) as Record<string, number>))
            counts[k] = (counts[k] ?? 0) + n;
        sum[field] = counts;
      }
    }
    if ("avg_basket" in first) {
      const transactions = sum.transactions as number;
      sum.avg_basket = transactions === 0 ? null : Math.round(cents(sum.revenue as number) / transactions) / 100;
    }
    if ("median_hours_to_delivery" in first)
      sum.median_hours_to_delivery = group.length === 1 ? first.median_hours_to_delivery : null;
    return sum;
  });
}

/** A value with its keys in order, so equal rows print equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
    .join(",")}}`;
}

/**
 * Holds that the shards' records together are the one process's: the same records, each key's in the same order,
 * and the truth rows (if any) the same once the shards' are added up.
 */
export function expectOneStream(one: string, shards: readonly string[]): void {
  const lines = (text: string): string[] => text.split("\n").filter((l) => l !== "");
  const isTruth = (line: string): boolean => line.startsWith('{"topic":"retail-truth"');
  const oneLines = lines(one);
  const shardLines = shards.map(lines);
  const events = oneLines.filter((l) => !isTruth(l));
  const shardEvents = shardLines.flatMap((l) => l.filter((x) => !isTruth(x)));
  expect(events.length, "records").to.be.above(0);
  expect(shardEvents.length, "records of the shards").to.equal(events.length);
  expect([...shardEvents].sort()).to.deep.equal([...events].sort());
  // Order within every key: each shard writes a key's records in the one process's order; a key is one shard's
  // (every key of version 2 and later names one store's state), save version 1's price changes, keyed by product.
  const oneKeys = byKey(events);
  for (const shard of shardLines)
    for (const [key, records] of byKey(shard.filter((l) => !isTruth(l)))) {
      const order = oneKeys.get(key) ?? [];
      const whole = records.length === order.length;
      const inOrder = order.filter((line) => records.includes(line));
      expect(records, key).to.deep.equal(inOrder);
      if (!whole) expect(JSON.parse(records[0] as string).headers?.schema_version, `${key} spans shards`).to.equal("1");
    }
  const rows = (list: readonly string[]): Array<Record<string, unknown>> =>
    list.filter(isTruth).map((l) => (JSON.parse(l) as Line).value);
  const truth = rows(oneLines).map(canonical).sort();
  expect(addedUp(shardLines.flatMap(rows)).map(canonical).sort()).to.deep.equal(truth);
}
