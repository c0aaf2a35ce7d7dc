import { mergeMap, of, type MonoTypeOperatorFunction } from "rxjs";
import type { RetailEvent, SaleEvent } from "../model/events.js";

/** What a sale causes at once (the chain's `Consequences`, or a stand-in in a test). */
export interface SaleConsequences {
  ofSale(sale: SaleEvent): RetailEvent[];
}

/**
 * Follows every sale at once, in the same frame, with what it causes (its
 * inventory decrement, and the buyer's purchase step); other events pass.
 *
 * @param consequences builds a sale's consequences (applying them to the ledger)
 *
 * @example
 * // source: s p|
 * // result: (sd) p|    (d = the decrement of sale s)
 */
export function fanOutSale(consequences: SaleConsequences): MonoTypeOperatorFunction<RetailEvent> {
  return mergeMap((event) => (event.event_type === "sale" ? of(event, ...consequences.ofSale(event)) : of(event)));
}
