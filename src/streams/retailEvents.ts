import { BehaviorSubject, asyncScheduler, defer, identity, map, take, takeUntil, tap, timer, type Observable, type SchedulerLike } from "rxjs";
import type { Chain } from "../model/chain.js";
import type { RetailEvent } from "../model/events.js";
import { EventFactory } from "../model/factory.js";
import { DEFAULT_WEIGHTS, chooseType, type Weights } from "../operators/chooseType.js";
import { fanOutSale } from "../operators/fanOutSale.js";
import { randomDelay } from "../operators/randomDelay.js";
import type { Rng } from "../random/rng.js";

export interface RetailEventsOptions {
  /** Stores and products to draw from. */
  chain: Chain;
  /** The one seeded generator every choice comes from. */
  rng: Rng;
  /** The pipeline clock; `now()` is each event's `event_time`. Defaults to `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Shortest gap between primary events, ms (default 10 000). */
  minDelayMs?: number;
  /** Longest gap between primary events, ms (default 60 000). */
  maxDelayMs?: number;
  /** Mix of event types (default: the original plan's 50/20/15/10/5). */
  weights?: Weights;
  /** Stop after this many primary events (a sale and its decrement count once). */
  count?: number;
  /** Stop at this simulated time (epoch ms); nothing at or after it is emitted. */
  until?: number;
}

/**
 * The retail activity of the chain: primary events spaced by `randomDelay`,
 * their types drawn by weight, each built at the clock's time; every sale
 * followed by its inventory decrement. Cold and lazy: each subscription is a
 * fresh run, and the next primary event is only requested once the previous
 * one has gone downstream, so an endless run holds constant memory.
 *
 * @example
 * // minDelayMs 10, maxDelayMs 20, rng gaps 10, 15; types sale, price_change:
 * // result: (sd) 9ms p 14ms …
 */
export function retailEvents$(options: RetailEventsOptions): Observable<RetailEvent> {
  const { chain, rng, scheduler = asyncScheduler, minDelayMs = 10_000, maxDelayMs = 60_000, weights = DEFAULT_WEIGHTS, count, until } = options;
  return defer(() => {
    const factory = new EventFactory(chain, rng);
    const demand = new BehaviorSubject<void>(undefined);
    return demand.pipe(
      randomDelay(minDelayMs, maxDelayMs, { rng, scheduler }),
      chooseType(weights, { rng }),
      map((type) => factory.build(type, scheduler.now())),
      count === undefined ? identity : take(count),
      until === undefined ? identity : takeUntil(timer(new Date(until), scheduler)),
      // Pull the next primary event only now, so nothing runs ahead of the pacing.
      tap(() => demand.next()),
      fanOutSale({ rng }),
    );
  });
}
