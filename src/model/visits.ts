import { codeFrom } from "../random/ids.js";
import { intBetween, logNormal, pick, type Rng } from "../random/rng.js";
import type { ChainState, Visit } from "./chainState.js";
import type { CustomerAction } from "./events.js";
import { closesAt } from "./hours.js";

/** Size of the stable customer pool that sales and visits draw from. */
const CUSTOMER_POOL = 5000;
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

/** The customer id of pool member `n`. */
function customerId(n: number): string {
  return `C${String(n).padStart(6, "0")}`;
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
 * Only stores in `stores` (this shard's) are visited.
 */
export class Visits {
  constructor(
    private readonly state: ChainState,
    private readonly stores: readonly number[],
    private readonly rng: Rng,
  ) {}

  /** The next step of some visit in an `open` store: a new customer enters, or a present one moves on. */
  step(
    time: number,
    open: readonly number[] = this.stores,
  ): { customer: string; store: number; action: CustomerAction } | undefined {
    const occupied = open.filter((s) => (this.state.present[s]?.length ?? 0) > 0);
    const occupancy = occupied.reduce((n, s) => n + (this.state.present[s]?.length ?? 0), 0);
    const target = TARGET_PER_STORE * open.length;
    if (occupancy === 0 || this.rng.next() < 0.5 * (1 - occupancy / (2 * target))) {
      const visit = this.enter(time, open);
      if (visit !== undefined) return { customer: visit.customer, store: visit.store, action: "enter" };
    }
    if (occupied.length === 0) return undefined;
    const store = pick(this.rng, occupied);
    const visit = pick(this.rng, this.state.present[store] as Visit[]);
    if (visit.steps >= MOST_STEPS) {
      // A visitor who has looked around enough makes room: someone new comes in (where anyone can).
      const fresh = this.enter(time, open);
      if (fresh !== undefined) return { customer: fresh.customer, store: fresh.store, action: "enter" };
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

  private enter(time: number, open: readonly number[]): Visit | undefined {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const customer = customerId(intBetween(this.rng, 1, CUSTOMER_POOL));
      if (this.state.visiting.has(customer)) continue;
      const store = pick(this.rng, open);
      const where = this.state.stores[store];
      const length = visitLength(this.rng, where?.channel === "online" ? "online" : "store");
      const closing = where === undefined ? undefined : closesAt(where, time);
      const visit: Visit = { customer, store, steps: 0, ends: Math.min(time + length, closing ?? Infinity) };
      this.state.visiting.set(customer, visit);
      this.state.present[visit.store]?.push(visit);
      return visit;
    }
    return undefined;
  }
}
