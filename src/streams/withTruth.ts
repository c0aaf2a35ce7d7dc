import { connect, ignoreElements, map, merge, tap, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { Chain, Store } from "../model/chain.js";
import { truthRecord, type OutRecord } from "../wire/envelope.js";
import type { EventType, RetailEvent } from "../model/events.js";
import type { TruthRow } from "../model/truth.js";
import { toEnvelope } from "../operators/toEnvelope.js";
import { truth } from "../operators/truth.js";
import { shardStores, type Shard } from "./shard.js";

/** Where the ground truth goes: a topic among the records, or each row to `write` (a file) instead. */
export interface TruthOutput {
  /** Window length, ms. */
  windowMs: number;
  /** Topic of the truth records (default `retail-truth`). */
  topic?: string;
  /** Takes each row instead of the sink. */
  write?: (row: TruthRow) => void;
}

/**
 * The records of a run's events and, when `output` is given, its ground truth
 * computed from those very events: each event's record goes out first, the
 * truth of a window when it closes on `scheduler`.
 *
 * @param topics topic overrides per event type
 * @param output the truth's window and destination, or undefined for none
 * @param context the chain and shard (the truth covers the shard's stores) and the clock
 */
export function withTruth(
  topics: Partial<Record<EventType, string>>,
  output: TruthOutput | undefined,
  { chain, shard, scheduler }: { chain: Chain; shard?: Shard; scheduler: SchedulerLike },
): OperatorFunction<RetailEvent, OutRecord> {
  if (output === undefined) return toEnvelope(topics);
  const stores = shardStores(chain.stores, shard).map((i) => chain.stores[i] as Store);
  const categories = new Map(chain.products.map((p) => [p.sku, p.category]));
  const rows = truth(output.windowMs, {
    stores,
    shard: shard === undefined ? "all" : `${shard.index}/${shard.count}`,
    scheduler,
    categoryOf: (sku) => categories.get(sku),
  });
  const { write } = output;
  return connect((events) =>
    merge(
      events.pipe(toEnvelope(topics)),
      write === undefined
        ? events.pipe(
            rows,
            map((row) => truthRecord(row, output.topic)),
          )
        : events.pipe(rows, tap(write), ignoreElements()),
    ),
  );
}
