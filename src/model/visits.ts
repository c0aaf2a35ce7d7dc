import { codeFrom } from "../random/ids.js";
import { intBetween, logNormal, pick, type Rng } from "../random/rng.js";
import type { ChainState, Visit } from "./chainState.js";
import type { CustomerAction } from "./events.js";
import { closesAt } from "./hours.js";

/**
 * Size of the stable customer pool that sales and visits draw from: each customer belongs to one store (their
 * home store: a shop or the online shop), so a store's visits are its own and any shard can make them alone.
 */
const CUSTOMER_POOL = 5000;
/** The fewest customers a store has, however many stores share the pool. */
const LEAST_PER_STORE = 200;
/** Customers in a store at once, on average, that the visit model aims for. */
const TARGET_PER_STORE = 3;
/** Browsing and sign-up steps a visit makes at most: a quiet hour's few visitors do not take every step. */
const MOST_STEPS = 4;

/**
 * How long a visit lasts, by channel: log-normal around a median, clamped (minutes). The model's
 * assumption: a trip into a store typically takes a quarter to half an hour, a web session a few minutes.
 */
const VISIT_MINUTES = {
  store: { median: 20, spread: 0.6, shortest: 2, longest: 120 },
  online: { median: 8, spread: 0.8, shortest: 1, longest: 60 },
} as const;

/** The longest any visit lasts: every `enter` has its `exit` within this, and before its store closes. */
export const LONGEST_VISIT_MS = Math.max(VISIT_MINUTES.store.longest, VISIT_MINUTES.online.longest) * 60_000;

/** A visit's length in ms, drawn for its store's channel. */
function visitLength(rng: Rng, channel: "store" | "online"): number {
  return Math.round(logNormal(rng, VISIT_MINUTES[channel]) * 60_000);
}

/** Customer ids by number, made once: a store's next visitor is drawn from its pool, often one already asked. */
const customerIds: string[] = [];

/** The customer id of the `k`-th customer of store `store` of `stores`: ids of all stores interleave, `C000001` up. */
function customerId(store: number, k: number, stores: number): string {
  const n = k * stores + store + 1;
  return n < 1_000_000 ? (customerIds[n] ??= `C${String(n).padStart(6, "0")}`) : `C${n}`;
}

/** An anonymous walk-in: a sale with nobody known in the store. */
export function walkInId(rng: Rng): string {
  return `W-${codeFrom(rng, 8)}`;
}

/**
 * The visit model: a customer enters a store, browses, may sign up for the
 * loyalty programme, purchases (with a sale) and exits — once. The exit is
 * caused, not drawn: it comes when the length drawn on entering is up or the
 * store closes, whichever is sooner (`Visit.ends`; `Consequences.endOf`).
 * A store's visitors are its own customers, drawn from its generator (in focus).
 */
export class Visits {
  /** Customers per store. */
  private readonly perStore: number;

  constructor(
    private readonly state: ChainState,
    private readonly rng: Rng,
  ) {
    this.perStore = Math.max(LEAST_PER_STORE, Math.ceil(CUSTOMER_POOL / Math.max(1, state.stores.length)));
  }

  /** The next step of some visit in `store`: a new customer enters, or a present one moves on. */
  step(time: number, store: number): { customer: string; store: number; action: CustomerAction } | undefined {
    const present = this.state.present[store] ?? [];
    if (present.length === 0 || this.rng.next() < 0.5 * (1 - present.length / (2 * TARGET_PER_STORE))) {
      const visit = this.enter(time, store);
      if (visit !== undefined) return { customer: visit.customer, store, action: "enter" };
    }
    if (present.length === 0) return undefined;
    const visit = pick(this.rng, present);
    if (visit.steps >= MOST_STEPS) {
      // A visitor who has looked around enough makes room: someone new comes in (where anyone can).
      const fresh = this.enter(time, store);
      if (fresh !== undefined) return { customer: fresh.customer, store, action: "enter" };
    }
    visit.steps += 1;
    // A visit ends only when its time is up (`Consequences.endOf`): an exit is caused, never drawn.
    if (this.rng.next() > 0.9 && !this.state.signedUp.has(visit.customer)) {
      this.state.signedUp.add(visit.customer);
      return { customer: visit.customer, store, action: "signup" };
    }
    return { customer: visit.customer, store, action: "browse" };
  }

  /** Someone in `store` who has not checked out yet in this visit (schema version 2), if anyone is there. */
  buyer(store: number): Visit | undefined {
    const waiting = this.state.present[store]?.filter((visit) => visit.paid !== true) ?? [];
    return waiting.length > 0 ? pick(this.rng, waiting) : undefined;
  }

  /** Someone in `store` who can pay, if anyone is there. */
  shopper(store: number): Visit | undefined {
    const present = this.state.present[store];
    return present !== undefined && present.length > 0 ? pick(this.rng, present) : undefined;
  }

  private enter(time: number, store: number): Visit | undefined {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const customer = customerId(store, intBetween(this.rng, 0, this.perStore - 1), this.state.stores.length);
      if (this.state.visiting.has(customer)) continue;
      const where = this.state.stores[store];
      const length = visitLength(this.rng, where?.channel === "online" ? "online" : "store");
      const closing = where === undefined ? undefined : closesAt(where, time);
      const visit: Visit = { customer, store, steps: 0, ends: Math.min(time + length, closing ?? Infinity) };
      this.state.visiting.set(customer, visit);
      this.state.present[store]?.push(visit);
      return visit;
    }
    return undefined;
  }
}
