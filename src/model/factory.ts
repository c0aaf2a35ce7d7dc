import { profileOf } from "./profiles.js";
import { codeFrom, uuidFrom } from "../random/ids.js";
import { intBetween, pick, weighted, type Rng } from "../random/rng.js";
import type { FocusedRng } from "../random/storeRngs.js";
import type { ChainState } from "./chainState.js";
import type { Consequences } from "./consequences.js";
import { DEFAULT_AFTERCARE, drawPayment, otherMethod, type AftercareRates } from "./aftercare.js";
import {
  PAYMENT_METHODS,
  type DeclineReason,
  type PaymentEvent,
  type PaymentMethod,
  SCHEMA_VERSION,
  fromCents,
  isoFormatter,
  type CustomerAction,
  type CustomerEvent,
  type InventoryUpdateEvent,
  type RetailEvent,
  type SaleEvent,
} from "./events.js";
import { currencyOf, type Store } from "./chain.js";
import type { Tick } from "./tick.js";
import type { AnomalyLabel, Episode } from "./anomalies.js";
import { drawBasketSize, drawQuantity } from "./basket.js";
import { servingChances } from "./hours.js";
import type { ProductPicker } from "./popularity.js";
import { Pricing } from "./pricing.js";
import { Visits, walkInId } from "./visits.js";

const PAYMENT_WEIGHTS = PAYMENT_METHODS.map((value, i) => ({ value, weight: [45, 25, 12, 15, 3][i] ?? 1 }));
/** How busy a store is at a time (a rate curve in its timezone): its chance to be the one acting. */
export type StoreWeight = (store: Store, time: number) => number;

const RANDOM_REASONS = ["receipt", "adjustment", "damage", "theft"] as const;

/** Who acts in a run and what draws for them: see `EventFactory`. */
export interface FactoryOptions {
  /** Indexes of the stores that may act: the whole chain's, whichever of them this process makes. */
  stores: readonly number[];
  /** Whether this process makes `store`'s events (its shard's stores); every store by default. */
  mine?: (store: number) => boolean;
  /** Draws where each tick lands: the same draws in every shard. */
  skeleton: Rng;
  /** Draws everything else, in the store the tick landed in (`StoreRngs`). */
  rng: FocusedRng;
  storeWeight?: StoreWeight;
  rates?: AftercareRates;
  /** Told of each anomaly's label when its episode ends (in the process that makes its store). */
  onLabel?: (label: AnomalyLabel) => void;
}

/** How card testers' tries are declined. */
const CARD_TEST_DECLINES: readonly DeclineReason[] = [
  "do_not_honor",
  "insufficient_funds",
  "expired_card",
  "incorrect_pin",
];

/**
 * Builds the events of one primary tick at a simulated time, keeping the chain
 * consistent: sales only sell what is in stock at the price in force, stock
 * never goes negative, buyers are customers in the store. Where a tick lands
 * (which store) is drawn from the skeleton, alike in every shard; what
 * happens there from that store's own generator, so a shard makes exactly its
 * stores' part of the one-process stream. A sale's consequences (its ledger
 * change among them) are `Consequences'`.
 */
export class EventFactory {
  private readonly visits: Visits;
  private readonly prices: Pricing;
  private readonly iso = isoFormatter();
  private readonly stores: readonly number[];
  private readonly mine: (store: number) => boolean;
  private readonly skeleton: Rng;
  private readonly rng: FocusedRng;
  private readonly storeWeight?: StoreWeight;
  private readonly rates: AftercareRates;
  private readonly onLabel?: (label: AnomalyLabel) => void;
  /** Episodes under way here: when each started, and the events that show it. */
  private readonly episodes = new Map<string, { start: number; ids: string[] }>();
  /** Whether the last tick landed in one of this process's stores. */
  landedHere = false;
  /** The last chances drawn from without a store weight: the same stores in the same minute have the same ones (opening hours go by the minute). */
  private serving: { acting: readonly number[]; minute: number; chances: Array<[number, number]> } | undefined;

  constructor(
    private readonly state: ChainState,
    private readonly consequences: Consequences,
    private readonly picker: ProductPicker,
    options: FactoryOptions,
  ) {
    this.stores = options.stores;
    this.mine = options.mine ?? (() => true);
    this.skeleton = options.skeleton;
    this.rng = options.rng;
    this.storeWeight = options.storeWeight;
    this.rates = options.rates ?? DEFAULT_AFTERCARE;
    this.onLabel = options.onLabel;
    this.visits = new Visits(state, this.rng);
    this.prices = new Pricing(state, this.rng, (time) => this.iso(time));
  }

  /**
   * The events a primary tick produces in this process's stores (a restock alert is never drawn: stock crossings
   * cause it); undefined when the tick lands in no store (none serves customers then), which every shard knows alike.
   */
  tick(tick: Tick): RetailEvent[] | undefined {
    this.landedHere = false;
    const acting =
      tick.closed === undefined || tick.closed.size === 0
        ? this.stores
        : this.stores.filter((s) => !tick.closed?.has(this.state.stores[s]?.store_id ?? ""));
    if (tick.reprice !== undefined) return this.reprice(tick, acting);
    if (tick.anomaly !== undefined) return this.anomaly(tick.anomaly.episode, tick.anomaly.phase, tick.time);
    if (acting.length === 0) return undefined;
    switch (tick.type) {
      // Customers come only where the doors are open (online, always); the back office works at any hour.
      case "sale":
        return this.withServing(acting, tick.time, (store) => this.sale(tick.time, store, tick.category));
      case "customer_event":
        return this.withServing(acting, tick.time, (store) => this.visit(tick.time, store));
      case "inventory_update":
        return this.at(pick(this.skeleton, acting), (store) => [this.inventory(tick.time, store)]);
      case "price_change":
        return this.at(pick(this.skeleton, acting), (store) => [this.prices.change(tick.time, store)]);
    }
  }

  /** `build`'s events in `store` if this process makes it (with its generator in focus), else none. */
  private at(store: number, build: (store: number) => RetailEvent[]): RetailEvent[] {
    this.landedHere = this.mine(store);
    if (!this.landedHere) return [];
    this.rng.focus(store);
    return build(store);
  }

  /** A flash sale's cut or restore in each open store of this process, each drawing from its own generator. */
  private reprice(tick: Tick, acting: readonly number[]): RetailEvent[] {
    const reprice = tick.reprice as NonNullable<Tick["reprice"]>;
    return acting.flatMap((store) => this.at(store, () => this.prices.reprice(tick.time, store, reprice)));
  }

  /** Runs `build` in a store that serves customers at `time`, drawn by its chance; undefined when none does. */
  private withServing(
    acting: readonly number[],
    time: number,
    build: (store: number) => RetailEvent[],
  ): RetailEvent[] | undefined {
    const chances = this.chancesAt(acting, time);
    if (chances.length === 0) return undefined;
    let draw = this.skeleton.next();
    for (const [store, chance] of chances) {
      draw -= chance;
      if (draw < 0) return this.at(store, build);
    }
    return this.at((chances[chances.length - 1] as [number, number])[0], build);
  }

  private chancesAt(acting: readonly number[], time: number): Array<[number, number]> {
    const { storeWeight } = this;
    if (storeWeight !== undefined)
      return servingChances(this.state.stores, acting, time, (store: Store) => storeWeight(store, time));
    const minute = Math.floor(time / 60_000);
    const last = this.serving;
    if (last !== undefined && last.acting === acting && last.minute === minute) return last.chances;
    const chances = servingChances(this.state.stores, acting, time);
    this.serving = { acting, minute, chances };
    return chances;
  }

  private visit(time: number, store: number): RetailEvent[] {
    const step = this.visits.step(time, store);
    return step === undefined ? [] : [this.customerEvent(time, step.customer, step.store, step.action)];
  }

  /** A sale of what is on the shelf, at the price in force, to someone in the store (or a walk-in): one line, or in version 2 a checkout's basket. */
  private sale(time: number, store: number, category?: string, given?: number): RetailEvent[] {
    const cell = given ?? this.inStock(store, category);
    if (cell === undefined) return this.visit(time, store);
    if (profileOf(this.state.version).baskets) return this.checkout(time, store, cell);
    const stock = this.state.stockAt(cell);
    const quantity = Math.min(stock, drawQuantity(this.state.productAt(cell).category, this.rng));
    const unitCents = this.state.chargedAt(cell);
    const shopper = this.visits.shopper(store);
    const sale: SaleEvent = {
      event_id: uuidFrom(this.rng),
      event_type: "sale",
      event_time: this.iso(time),
      schema_version: SCHEMA_VERSION,
      transaction_id: `T-${codeFrom(this.rng, 12)}`,
      store_id: this.state.storeAt(cell).store_id,
      product_id: this.state.productAt(cell).sku,
      quantity,
      unit_price: fromCents(unitCents),
      total_amount: fromCents(quantity * unitCents),
      payment_method: weighted(this.rng, PAYMENT_WEIGHTS),
      customer_id: shopper?.customer ?? walkInId(this.rng),
    };
    this.state.mispriced.get(cell)?.lines.push(sale.event_id);
    return [sale];
  }

  /**
   * A checkout (version 2): a basket of lines of distinct products in stock, the
   * first `first`, its size drawn for the store's channel; every line shares the
   * transaction, time, payer and payment, and says its place and the line count.
   * Version 3 pays first: each attempt a payment event; a declined checkout whose
   * customer does not try again sells nothing.
   */
  private checkout(time: number, store: number, first: number): RetailEvent[] {
    const wanted = drawBasketSize(this.state.stores[store]?.channel ?? "store", this.rng);
    const cells = [first];
    for (let attempt = 0; cells.length < wanted && attempt < wanted * 3; attempt += 1) {
      const cell = this.inStock(store);
      if (cell !== undefined && !cells.includes(cell)) cells.push(cell);
    }
    // One checkout per visit: a customer who paid goes on browsing or leaves, the next checkout is someone else's.
    const shopper = this.visits.buyer(store);
    const transaction = `T-${codeFrom(this.rng, 12)}`;
    const payment = weighted(this.rng, PAYMENT_WEIGHTS);
    const customer = shopper?.customer ?? walkInId(this.rng);
    const iso = this.iso(time);
    const currency = currencyOf(this.state.storeAt(first));
    const version = this.state.version;
    const lines = this.lines(cells, { iso, transaction, payment, customer, currency, version });
    if (!profileOf(version).lifecycle) {
      if (shopper !== undefined) shopper.paid = true;
      this.noteMispriced(cells, lines);
      return lines;
    }
    const channel = this.state.stores[store]?.channel ?? "store";
    const plan = drawPayment(this.rng, channel, this.rates);
    const cents = lines.reduce((sum, line) => sum + Math.round(line.total_amount * 100), 0);
    const attempt = (n: number, method: PaymentMethod, reason?: DeclineReason): PaymentEvent => ({
      event_id: uuidFrom(this.rng),
      event_type: "payment",
      event_time: iso,
      schema_version: version,
      payment_id: `P-${transaction.slice(2)}-${n}`,
      transaction_id: transaction,
      attempt: n,
      store_id: this.state.storeAt(first).store_id,
      customer_id: customer,
      payment_method: method,
      amount: fromCents(cents),
      currency,
      status: reason === undefined ? "approved" : "declined",
      ...(reason === undefined ? {} : { decline_reason: reason }),
    });
    const payments = plan.declined.map((reason, i) => attempt(i + 1, payment, reason));
    if (!plan.approved) return payments;
    if (shopper !== undefined) shopper.paid = true;
    this.noteMispriced(cells, lines);
    const method = payments.length === 0 ? payment : otherMethod(this.rng, PAYMENT_METHODS, payment);
    const paid = attempt(payments.length + 1, method);
    return [
      ...payments,
      paid,
      ...lines.map((line) => (method === payment ? line : { ...line, payment_method: method })),
    ];
  }

  /** Keeps the lines sold (not a declined checkout's) of cells under a pricing error, for its label. */
  private noteMispriced(cells: readonly number[], lines: readonly SaleEvent[]): void {
    if (this.state.mispriced.size === 0) return;
    cells.forEach((cell, i) => this.state.mispriced.get(cell)?.lines.push((lines[i] as SaleEvent).event_id));
  }

  /** The lines of a checkout, in basket order: each line's quantity what the shelf holds at most, at the price in force. */
  private lines(
    cells: readonly number[],
    c: {
      iso: string;
      transaction: string;
      payment: PaymentMethod;
      customer: string;
      currency: string;
      version: number;
    },
  ): SaleEvent[] {
    const { iso, transaction, payment, customer, currency } = c;
    return cells.map((cell, i) => {
      const quantity = Math.min(this.state.stockAt(cell), drawQuantity(this.state.productAt(cell).category, this.rng));
      const unitCents = this.state.chargedAt(cell);
      return {
        event_id: uuidFrom(this.rng),
        event_type: "sale",
        event_time: iso,
        schema_version: c.version,
        transaction_id: transaction,
        store_id: this.state.storeAt(cell).store_id,
        product_id: this.state.productAt(cell).sku,
        quantity,
        unit_price: fromCents(unitCents),
        total_amount: fromCents(quantity * unitCents),
        payment_method: payment,
        customer_id: customer,
        line_number: i + 1,
        line_count: cells.length,
        currency,
      };
    });
  }

  /** A product of `store` with stock, by popularity (of `category` only, if given): a few tries, then the best-stocked one. */
  private inStock(store: number, category?: string): number | undefined {
    const products = category === undefined ? undefined : this.state.productsOf(category);
    const count = products?.length ?? this.state.products.length;
    if (count === 0) return undefined;
    const productAt = (i: number): number => (products === undefined ? i : (products[i] as number));
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const product =
        products === undefined ? this.picker.pick(store, this.rng) : productAt(Math.floor(this.rng.next() * count));
      const cell = this.state.cellOf(store, product);
      if (this.state.stockAt(cell) > 0) return cell;
    }
    if (products === undefined) return this.state.bestStocked(store);
    let best: number | undefined;
    for (let i = 0; i < count; i += 1) {
      const cell = this.state.cellOf(store, productAt(i));
      if (this.state.stockAt(cell) > (best === undefined ? 0 : this.state.stockAt(best))) best = cell;
    }
    return best;
  }

  private inventory(time: number, store: number): InventoryUpdateEvent {
    const product = Math.floor(this.rng.next() * this.state.products.length);
    let cell = this.state.cellOf(store, product);
    // A stock-out's shelf is counted as empty and gets nothing: the count is of the next product.
    if (this.state.held.has(cell)) cell = this.state.cellOf(store, (product + 1) % this.state.products.length);
    // The original plan's range, −5..+10, with signs that fit the reason; never below zero.
    let reason: (typeof RANDOM_REASONS)[number] = pick(this.rng, RANDOM_REASONS);
    let change =
      reason === "receipt"
        ? intBetween(this.rng, 1, 10)
        : reason === "adjustment"
          ? pick(this.rng, [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
          : -intBetween(this.rng, 1, 5);
    change = Math.max(change, -this.state.stockAt(cell));
    if (change === 0) {
      reason = "receipt";
      change = intBetween(this.rng, 1, 10);
    }
    return this.consequences.update(time, cell, change, reason);
  }

  /** An anomaly's step in its store (if this process makes it), with the events that show it kept for its label. */
  private anomaly(episode: Episode, phase: "start" | "act" | "end", time: number): RetailEvent[] {
    return this.at(episode.store, (store) => {
      const cell = this.state.cellOf(store, episode.product);
      let open = this.episodes.get(episode.id);
      if (open === undefined) {
        open = { start: time, ids: [] };
        this.episodes.set(episode.id, open);
      }
      const { ids } = open;
      if (phase === "start") return this.anomalyStarts(episode, cell, ids, time);
      if (phase === "act") return this.anomalyActs(episode, store, cell, ids, time);
      const events = this.anomalyEnds(episode, cell, ids, time);
      this.episodes.delete(episode.id);
      if (ids.length > 0) this.label(episode, cell, { start: open.start, end: time, ids });
      return events;
    });
  }

  private anomalyStarts(episode: Episode, cell: number, ids: string[], time: number): RetailEvent[] {
    if (episode.kind === "pricing_error")
      this.state.mispriced.set(cell, { factor: episode.priceFactor ?? 0.1, lines: ids });
    if (episode.kind !== "stockout") return [];
    // The shelf is found empty (written down at a count) and its deliveries are held until the end.
    this.state.held.set(cell, {});
    const stock = this.state.stockAt(cell);
    if (stock === 0) return [];
    const emptied = this.consequences.update(time, cell, -stock, "adjustment");
    ids.push(emptied.event_id);
    return [emptied];
  }

  private anomalyActs(episode: Episode, store: number, cell: number, ids: string[], time: number): RetailEvent[] {
    switch (episode.kind) {
      case "shrinkage": {
        const taken = this.inStock(store);
        if (taken === undefined) return [];
        const theft = this.consequences.update(
          time,
          taken,
          -Math.min(this.state.stockAt(taken), intBetween(this.rng, 1, 3)),
          "theft",
        );
        ids.push(theft.event_id);
        return [theft];
      }
      case "card_testing":
        return this.cardTry(episode, store, ids, time);
      case "demand_spike":
      case "pricing_error": {
        // Shoppers buy where the doors are open, and what is on the shelf.
        if (this.state.stockAt(cell) === 0 || servingChances(this.state.stores, [store], time).length === 0) return [];
        const events = profileOf(this.state.version).baskets
          ? this.checkout(time, store, cell)
          : this.sale(time, store, undefined, cell);
        // A pricing error's lines are kept as they are rung up (every line of the cell, not only these).
        if (episode.kind === "demand_spike")
          for (const event of events)
            if (event.event_type === "sale" && event.product_id === this.state.productAt(cell).sku)
              ids.push(event.event_id);
        return events;
      }
      case "stockout":
        return [];
    }
  }

  /** A card tester's try (version 3's payments): a tiny amount, declined, one account trying again and again. */
  private cardTry(episode: Episode, store: number, ids: string[], time: number): RetailEvent[] {
    if (!profileOf(this.state.version).lifecycle) return [];
    const at = this.state.stores[store] as Store;
    const transaction = `T-${codeFrom(this.rng, 12)}`;
    const attempt: PaymentEvent = {
      event_id: uuidFrom(this.rng),
      event_type: "payment",
      event_time: this.iso(time),
      schema_version: this.state.version,
      payment_id: `P-${transaction.slice(2)}-1`,
      transaction_id: transaction,
      attempt: 1,
      store_id: at.store_id,
      customer_id: episode.customer ?? walkInId(this.rng),
      payment_method: "credit_card",
      amount: fromCents(intBetween(this.rng, 50, 199)),
      currency: currencyOf(at),
      status: "declined",
      decline_reason: pick(this.rng, CARD_TEST_DECLINES),
    };
    ids.push(attempt.event_id);
    return [attempt];
  }

  private anomalyEnds(episode: Episode, cell: number, ids: string[], time: number): RetailEvent[] {
    if (episode.kind === "pricing_error") this.state.mispriced.delete(cell);
    if (episode.kind !== "stockout") return [];
    const held = this.state.held.get(cell);
    this.state.held.delete(cell);
    if (held?.alert === undefined) return [];
    // The held delivery arrives at last: the receipt answers the alert, late.
    this.state.setRestocking(cell, false);
    const receipt = this.consequences.update(time, cell, held.alert.quantity, "receipt", held.alert.id);
    ids.push(receipt.event_id);
    return [receipt];
  }

  private label(
    episode: Episode,
    cell: number,
    { start, end, ids }: { start: number; end: number; ids: string[] },
  ): void {
    const product =
      episode.kind === "shrinkage" || episode.kind === "card_testing" ? null : this.state.productAt(cell).sku;
    const detail: Record<Episode["kind"], string> = {
      shrinkage: `${ids.length} thefts at the store`,
      card_testing: `${ids.length} tiny declined card tries by one account`,
      stockout: "shelf emptied, its delivery held until the end",
      pricing_error: `rung up at ${episode.priceFactor ?? 0.1} of the price in force`,
      demand_spike: `${ids.length} extra sale lines of the product`,
    };
    this.onLabel?.({
      label_id: episode.id,
      kind: episode.kind,
      start_time: this.iso(start),
      end_time: this.iso(end),
      store_id: this.state.storeAt(cell).store_id,
      product_id: product,
      customer_id: episode.customer ?? null,
      detail: detail[episode.kind],
      event_ids: [...ids],
      events: ids.length,
    });
  }

  private customerEvent(time: number, customer: string, store: number, action: CustomerAction): CustomerEvent {
    return {
      event_id: uuidFrom(this.rng),
      event_type: "customer_event",
      event_time: this.iso(time),
      schema_version: this.state.version,
      customer_id: customer,
      store_id: (this.state.stores[store] as { store_id: string }).store_id,
      action,
    };
  }
}
