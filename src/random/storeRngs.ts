import { SeededRng, deriveSeed, type Rng } from "./rng.js";

/** A generator that draws for one store at a time: the store in focus. */
export interface FocusedRng extends Rng {
  /** Draws from now on come from `store`'s generator (a store index of the chain). */
  focus(store: number): void;
}

/** One generator for every store (a test's fixed draws): focusing changes nothing. */
export function unfocused(rng: Rng): FocusedRng {
  return { next: () => rng.next(), focus: () => undefined };
}

/**
 * One generator per store, each seeded from a run's base and the store's id,
 * so a store's draws are the same whichever process makes its events and
 * whatever other stores that process makes: the randomness of a shard's
 * stores. `next()` draws from the store in focus.
 */
export class StoreRngs implements FocusedRng {
  private readonly rngs: Array<Rng | undefined>;
  private current: Rng;

  /**
   * @param storeIds the chain's store ids, by store index
   * @param base the run's base seed for stores (drawn from the run's generator, so it follows its seed)
   */
  constructor(
    private readonly storeIds: readonly string[],
    private readonly base: number,
  ) {
    this.rngs = storeIds.map(() => undefined);
    this.current = this.of(0);
  }

  /** Store `store`'s own generator. */
  of(store: number): Rng {
    let rng = this.rngs[store];
    if (rng === undefined) {
      const id = this.storeIds[store];
      if (id === undefined) throw new RangeError(`no store ${store}`);
      this.rngs[store] = rng = new SeededRng(deriveSeed(this.base, `store ${id}`));
    }
    return rng;
  }

  focus(store: number): void {
    this.current = this.of(store);
  }

  next(): number {
    return this.current.next();
  }
}
