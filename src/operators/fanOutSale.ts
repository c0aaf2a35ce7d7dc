import { Observable, type MonoTypeOperatorFunction } from "rxjs";
import type { RetailEvent, SaleEvent } from "../model/events.js";

/** What a sale causes at once (the chain's `Consequences`, or a stand-in in a test). */
export interface SaleConsequences {
  ofSale(sale: SaleEvent): RetailEvent[];
}

/**
 * Follows every sale at once, in the same frame, with what it causes (its
 * inventory decrement, and the buyer's purchase step); other events pass.
 * What `mergeMap((e) => e is a sale ? of(e, ...caused) : of(e))` does, without an
 * inner observable and its subscription per event (at full speed, one per record).
 *
 * @param consequences builds a sale's consequences (applying them to the ledger)
 *
 * @example
 * // source: s p|
 * // result: (sd) p|    (d = the decrement of sale s)
 */
export function fanOutSale(consequences: SaleConsequences): MonoTypeOperatorFunction<RetailEvent> {
  return (source) =>
    new Observable<RetailEvent>((subscriber) =>
      source.subscribe({
        next(event) {
          if (event.event_type !== "sale") return subscriber.next(event);
          let caused: RetailEvent[];
          try {
            caused = consequences.ofSale(event);
          } catch (error) {
            return subscriber.error(error);
          }
          subscriber.next(event);
          for (let i = 0; i < caused.length && !subscriber.closed; i += 1) subscriber.next(caused[i] as RetailEvent);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
