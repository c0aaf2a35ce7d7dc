import type { Rng } from "../random/rng.js";
import type { Chain } from "./chain.js";

/** FNV-1a of a text, scaled to [0, 1): a fixed per-store taste, the same on every run and machine. */
function taste(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash / 4294967296;
}

/**
 * Which product a sale in a store is of: each product's `popularity` (skewed
 * like real retail, a few products selling most units) times the store's own
 * taste for it (between 0.6× and 1.4×, fixed per store × product).
 */
export class ProductPicker {
  private readonly cumulative = new Map<number, Float64Array>();

  constructor(private readonly chain: Chain) {}

  /** The relative weight of product `p` in store `s`. */
  weight(s: number, p: number): number {
    const product = this.chain.products[p];
    const store = this.chain.stores[s];
    if (product === undefined || store === undefined) return 0;
    return (product.popularity ?? 1) * (0.6 + 0.8 * taste(`${store.store_id}/${product.sku}`));
  }

  /** Product `p`'s share of store `s`'s sales. */
  share(s: number, p: number): number {
    const sums = this.sums(s);
    return this.weight(s, p) / (sums[sums.length - 1] as number);
  }

  /** Draws a product index for a sale in store `s`. */
  pick(s: number, rng: Rng): number {
    const sums = this.sums(s);
    const draw = rng.next() * (sums[sums.length - 1] as number);
    let lo = 0;
    let hi = sums.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sums[mid] as number) > draw) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private sums(s: number): Float64Array {
    let sums = this.cumulative.get(s);
    if (sums === undefined) {
      sums = new Float64Array(this.chain.products.length);
      let running = 0;
      for (let p = 0; p < sums.length; p += 1) sums[p] = running += this.weight(s, p);
      this.cumulative.set(s, sums);
    }
    return sums;
  }
}
