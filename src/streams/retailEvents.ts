import { profileOf } from "../model/profiles.js";
import {
  BehaviorSubject,
  EMPTY,
  asyncScheduler,
  defer,
  identity,
  map,
  takeUntil,
  takeWhile,
  tap,
  timer,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from "rxjs";
import { ConfigError } from "../errors.js";
import { uniformArrivals, type ArrivalModel } from "../model/arrivals.js";
import type { DrawnType, Tick } from "../model/tick.js";
import { paced } from "../operators/paced.js";
import type { Chain, Store } from "../model/chain.js";
import { meanBasketSize } from "../model/basket.js";
import { ChainState } from "../model/chainState.js";
import { Consequences } from "../model/consequences.js";
import { SCHEMA_VERSION, type RetailEvent, type SchemaVersion } from "../model/events.js";
import { EventFactory, type StoreWeight } from "../model/factory.js";
import { ProductPicker } from "../model/popularity.js";
import { stockPlan } from "../model/stockPlan.js";
import { DEFAULT_WEIGHTS, drawnWeights, type Weights } from "../model/weights.js";
import { chooseType } from "../operators/chooseType.js";
import { fanOutSale } from "../operators/fanOutSale.js";
import { restocks } from "../operators/restocks.js";
import { spread } from "../operators/spread.js";
import { visitEnds } from "../operators/visitEnds.js";
import { aftercare } from "../operators/aftercare.js";
import { anomalies } from "../operators/anomalies.js";
import type { AnomalyLabel, Episode } from "../model/anomalies.js";
import { DEFAULT_AFTERCARE, type AftercareRates } from "../model/aftercare.js";
import type { Rng } from "../random/rng.js";
import { StoreRngs } from "../random/storeRngs.js";
import { shardStores, type Shard } from "./shard.js";
import { stillClock } from "../clock/stillClock.js";

/** Options of `retailEvents$`: the chain, the generator and clock, timing, mix, bounds and scenario. */
export interface RetailEventsOptions {
  /** Stores and products to draw from. */
  chain: Chain;
  /**
   * The one seeded generator every choice comes from: it draws the skeleton (gaps, types, where each tick lands)
   * and the seed of every store's own generator, which draws what happens in that store.
   */
  rng: Rng;
  /** The pipeline clock; `now()` is each event's `event_time`. Defaults to `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Shortest gap between primary events, ms (default 10 000). */
  minDelayMs?: number;
  /** Longest gap between primary events, ms (default 60 000). */
  maxDelayMs?: number;
  /**
   * Mix of event types (default 50/20/15/10/5). Sales, inventory, customer and
   * price weights are drawn; restock alerts are never drawn but caused by stock
   * crossing its reorder point, and the stock is sized so that they come to the
   * restock weight's share.
   */
  weights?: Weights;
  /**
   * Stop after this many primary ticks that land in a store: a checkout (whatever it causes, a declined one too), a
   * visit step, a count or a price change each once; a flash sale's repricing not.
   */
  count?: number;
  /** Stop at this simulated time (epoch ms); nothing at or after it is emitted. */
  until?: number;
  /** Simulated time from a restock alert to its receipt, ms (default 4 h). */
  leadTimeMs?: number;
  /** Make only this shard's stores' events: exactly those of the one-process stream. */
  shard?: Shard;
  /** The gap model between primary events; overrides `minDelayMs`/`maxDelayMs`. */
  arrivals?: ArrivalModel;
  /** Whether the first primary event comes at the start (default) or after a first drawn gap (a scenario's curve decides). */
  first?: "now" | "drawn";
  /** How likely each store is to act at a time (a rate curve in its timezone); uniform by default. */
  storeWeight?: StoreWeight;
  /** The mix to draw from now (a `Steering`'s), read at each primary event; defaults to `weights`. */
  drawWeights?: () => Weights;
  /** Reshapes the primary ticks: compose `flashSale`, `storeOutage`, `surge` with `pipe()`. */
  scenario?: OperatorFunction<Tick, Tick>;
  /** The schema version of the events (default 1), or where to read it at each primary event (a `Steering`'s, for a live rollout). */
  schemaVersion?: SchemaVersion | ((time: number) => SchemaVersion);
  /** Version 3's after-sale life: return and decline rates (defaults in `DEFAULT_AFTERCARE`). */
  aftercare?: AftercareRates;
  /** A scenario's factor on the return rate of lines bought at a time (a returns wave). */
  returnFactor?: (time: number) => number;
  /** Told of each primary tick that lands in this process's stores (what `count` counts here), before its events go. */
  onLanded?: () => void;
  /** Told of the schema version at each tick where it changes (alike in every shard), with the tick's time. */
  onVersion?: (version: SchemaVersion, time: number) => void;
  /** Anomalies on purpose (`planEpisodes`), acted out in their stores; none by default. */
  anomalies?: readonly Episode[];
  /** Told of each anomaly's label when its episode ends, in the process that makes its store. */
  onLabel?: (label: AnomalyLabel) => void;
}

/** Ticks in a row that may land nowhere at one simulated time before the run is said to be stuck. */
const STUCK_TICKS = 100_000;

/**
 * The events each tick makes in this process's stores, up to `count` ticks that land in a store (counted alike in
 * every shard); fails when ticks keep landing nowhere while the simulated time stands still (gaps of 0, no store
 * serving customers, only customer-facing types weighted: the doors would never open).
 */
function madeBy(
  factory: EventFactory,
  state: ChainState,
  version: (time: number) => SchemaVersion,
  count?: number,
  tell: { onLanded?: () => void; onVersion?: (version: SchemaVersion, time: number) => void } = {},
): OperatorFunction<Tick, RetailEvent[]> {
  if (count !== undefined && count <= 0) return () => EMPTY;
  return (ticks) =>
    defer(() => {
      let empty = 0;
      let at = Number.NaN;
      let landed = 0;
      const made = ticks.pipe(
        map((tick) => {
          const now = version(tick.time);
          if (now !== state.version) tell.onVersion?.(now, tick.time);
          state.version = now;
          const events = factory.tick(tick);
          if (events !== undefined || tick.time !== at) [empty, at] = [0, tick.time];
          else if ((empty += 1) >= STUCK_TICKS)
            throw new ConfigError([
              `nothing can happen at ${new Date(at).toISOString()}: no store serves customers then, the weights draw only sales and visits, and gaps of 0 never reach opening time`,
            ]);
          if (events !== undefined && tick.reprice === undefined && tick.anomaly === undefined) {
            landed += 1;
            if (factory.landedHere) tell.onLanded?.();
          }
          return events ?? [];
        }),
      );
      return count === undefined ? made : made.pipe(takeWhile(() => landed < count, true));
    });
}

/**
 * The retail activity of the chain: primary events spaced by `randomDelay`,
 * their types drawn by weight, each built at the clock's time from a consistent
 * chain state; every sale followed by its inventory decrement, every crossing
 * of a reorder point by a restock alert and, a lead time later, its receipt;
 * every visit by its exit within its length and its store's hours.
 * Every shard draws the same skeleton (when each primary tick comes, its type,
 * the store it lands in) and makes only its own stores' events, each store's
 * from its own generator and state: the shards of a run together make exactly
 * the one-process stream.
 * Cold and lazy: each subscription is a fresh run with fresh state, and the
 * next primary event is requested only once the previous one has gone
 * downstream, so an endless run holds constant memory.
 *
 * @example
 * // minDelayMs 10, maxDelayMs 20, rng gaps 10, 15; types sale, price_change:
 * // result: (sd) 6ms p 14ms …
 */
export function retailEvents$(options: RetailEventsOptions): Observable<RetailEvent> {
  const {
    chain,
    rng,
    scheduler = asyncScheduler,
    minDelayMs = 10_000,
    maxDelayMs = 60_000,
    weights = DEFAULT_WEIGHTS,
    count,
    until,
    leadTimeMs = 4 * 3_600_000,
    shard,
    scenario,
  } = options;
  const arrivals = options.arrivals ?? uniformArrivals(minDelayMs, maxDelayMs);
  const own = shardStores(chain.stores, shard);
  if (own.length === 0)
    throw new RangeError(`shard ${shard?.index}/${shard?.count} has no stores (fewer stores than shards?)`);
  const stores = chain.stores.map((_, i) => i);
  const mine = new Uint8Array(stores.length);
  for (const s of own) mine[s] = 1;
  return defer(() => {
    // The skeleton's first draw seeds the stores' generators.
    const storeRngs = new StoreRngs(
      chain.stores.map((store) => store.store_id),
      Math.floor(rng.next() * 4_294_967_296) | 0,
    );
    const picker = new ProductPicker(chain);
    const start = scheduler.now();
    // Without a known finite rate (gaps of 0), size stock as for the default 10–60 s gaps.
    const perDay =
      arrivals.perDay !== undefined && Number.isFinite(arrivals.perDay) ? arrivals.perDay : 86_400_000 / 35_000;
    // Stock for the version the run starts in: a version 2 checkout sells a basket's lines per sale tick.
    const startVersion =
      typeof options.schemaVersion === "function"
        ? options.schemaVersion(start)
        : (options.schemaVersion ?? SCHEMA_VERSION);
    const linesPerSale = profileOf(startVersion).baskets
      ? (store: Store) => meanBasketSize(store.channel ?? "store")
      : undefined;
    const levels = stockPlan({
      chain,
      picker,
      weights,
      perDay,
      leadTimeMs,
      start,
      storeWeight: options.storeWeight,
      rngOf: (store) => storeRngs.of(store),
      linesPerSale,
    });
    const state = new ChainState(chain, levels);
    const consequences = new Consequences(state, storeRngs, {
      rates: options.aftercare,
      returnFactor: options.returnFactor,
    });
    const factory = new EventFactory(state, consequences, picker, {
      stores,
      mine: (store) => mine[store] === 1,
      skeleton: rng,
      rng: storeRngs,
      storeWeight: options.storeWeight,
      rates: options.aftercare ?? DEFAULT_AFTERCARE,
      ...(options.onLabel === undefined ? {} : { onLabel: options.onLabel }),
    });
    const demand = new BehaviorSubject<void>(undefined);
    const ticks$ = demand.pipe(
      paced(arrivals, { rng, scheduler }, options.first),
      chooseType(options.drawWeights ?? drawnWeights(weights), { rng }),
      until === undefined ? identity : takeUntil(timer(new Date(until), scheduler)),
      map((type): Tick => ({ type: type as DrawnType, time: scheduler.now(), rng })),
      // Pull the next primary tick only now, so nothing runs ahead of the pacing.
      tap(() => demand.next()),
      (scenario ?? identity) as OperatorFunction<Tick, Tick>,
      anomalies(options.anomalies ?? [], { scheduler, rng }),
    );
    // At gaps of 0 the clock never moves: what a tick causes later (a receipt, a visit's end, an order's next step)
    // would never fall due, and queueing it would grow the run's memory without end.
    const later = arrivals.still === true ? stillClock(scheduler) : scheduler;
    // The chain's state changes in three steps, each synchronous within the tick that causes it:
    // the factory (a price set, a count or write-off, a visit), fanOutSale (a sale's stock decrement and
    // the buyer's purchase, applied before the next tick draws, so every stock check sees every earlier
    // sale) and restocks (an alert's reorder and its receipt). Everything else in the pipe is pure.
    return ticks$.pipe(
      madeBy(
        factory,
        state,
        typeof options.schemaVersion === "function"
          ? options.schemaVersion
          : () => (options.schemaVersion as SchemaVersion | undefined) ?? SCHEMA_VERSION,
        count,
        options,
      ),
      spread((events: RetailEvent[]) => events),
      fanOutSale(consequences),
      restocks(consequences, { leadTimeMs, scheduler: later }),
      visitEnds(consequences, later),
      aftercare(consequences, later),
    );
  });
}
