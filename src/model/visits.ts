import { codeFrom } from "../random/ids.js";
import { intBetween, pick, type Rng } from "../random/rng.js";
import type { ChainState, Visit } from "./chainState.js";
import type { CustomerAction } from "./events.js";

/** Size of the stable customer pool that sales and visits draw from. */
const CUSTOMER_POOL = 5000;
/** Customers in a store at once, on average, that the visit model aims for. */
const TARGET_PER_STORE = 3;

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
 * loyalty programme, purchases (with a sale) and exits — once. Only stores in
 * `stores` (this shard's) are visited.
 */
export class Visits {
  constructor(
    private readonly state: ChainState,
    private readonly stores: readonly number[],
    private readonly rng: Rng,
  ) {}

  /** The next step of some visit in an `open` store: a new customer enters, or a present one moves on. */
  step(open: readonly number[] = this.stores): { customer: string; store: number; action: CustomerAction } | undefined {
    const occupied = open.filter((s) => (this.state.present[s]?.length ?? 0) > 0);
    const occupancy = occupied.reduce((n, s) => n + (this.state.present[s]?.length ?? 0), 0);
    const target = TARGET_PER_STORE * open.length;
    if (occupancy === 0 || this.rng.next() < 0.5 * (1 - occupancy / (2 * target))) {
      const visit = this.enter(open);
      if (visit !== undefined) return { customer: visit.customer, store: visit.store, action: "enter" };
    }
    if (occupied.length === 0) return undefined;
    const store = pick(this.rng, occupied);
    const visit = pick(this.rng, this.state.present[store] as Visit[]);
    visit.steps += 1;
    const draw = this.rng.next();
    if (visit.steps > 1 && draw < 0.35) {
      this.leave(visit);
      return { customer: visit.customer, store, action: "exit" };
    }
    if (draw > 0.9 && !this.state.signedUp.has(visit.customer)) {
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

  private enter(open: readonly number[]): Visit | undefined {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const customer = customerId(intBetween(this.rng, 1, CUSTOMER_POOL));
      if (this.state.visiting.has(customer)) continue;
      const visit: Visit = { customer, store: pick(this.rng, open), steps: 0 };
      this.state.visiting.set(customer, visit);
      this.state.present[visit.store]?.push(visit);
      return visit;
    }
    return undefined;
  }

  private leave(visit: Visit): void {
    this.state.visiting.delete(visit.customer);
    const present = this.state.present[visit.store] as Visit[];
    const at = present.indexOf(visit);
    present[at] = present[present.length - 1] as Visit;
    present.pop();
  }
}
