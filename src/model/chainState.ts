import { SCHEMA_VERSION, type SchemaVersion } from "./events.js";
import type { Chain, Product, Store } from "./chain.js";
import { toCents } from "./events.js";
import type { StockLevels } from "./stockPlan.js";

/** A customer's visit to a store. */
export interface Visit {
  customer: string;
  store: number;
  /** Number of browse steps so far. */
  steps: number;
  /** Whether the customer has checked out in this visit (schema version 2: one checkout per visit). */
  paid?: boolean;
  /** When the visit ends at the latest (epoch ms): its drawn length, or its store's closing time if sooner. */
  ends: number;
}

/**
 * The chain's state a run carries: stock per store × product (the ledger),
 * prices in force per store × product, who is in which store, and which
 * restocks are on their way. Owned by one pipeline subscription; no globals.
 */
export class ChainState {
  readonly stores: readonly Store[];
  readonly products: readonly Product[];
  private readonly stock: Int32Array;
  /**
   * Per store, a max tree over its products' stock: leaves from `leaves` on (one per product, then -1 as padding),
   * each node above the larger of its two children. `bestStocked` walks it down instead of scanning every product.
   */
  private readonly stockTree: Int32Array;
  private readonly leaves: number;
  private readonly reorder: Int32Array;
  private readonly target: Int32Array;
  private readonly prices: Int32Array;
  private readonly restocking: Uint8Array;
  private readonly storeIndex = new Map<string, number>();
  private readonly productIndex = new Map<string, number>();
  /** Customers in each store, by store index. */
  readonly present: Visit[][];
  readonly visiting = new Map<string, Visit>();
  readonly signedUp = new Set<string>();
  /** The schema version events are made in now: a run may switch from 1 to 2 while it goes (a rollout). */
  version: SchemaVersion = SCHEMA_VERSION;
  /** Cells rung up at a wrong price (a pricing error): the share of the price in force, and the lines sold so. */
  readonly mispriced = new Map<number, { factor: number; lines: string[] }>();
  /**
   * Cells whose deliveries are held (a stock-out): the restock alert whose receipt waits for the episode's end.
   * Nothing refills them meanwhile but what customers bring back.
   */
  readonly held = new Map<number, { alert?: { id: string; quantity: number } }>();

  /**
   * @param chain the stores and products
   * @param levels stock levels per cell (`stockPlan`); by default each product's
   *   fixed `initial_stock`/`reorder_point` (100 and 20 where it has none)
   */
  constructor(chain: Chain, levels?: StockLevels) {
    this.stores = chain.stores;
    this.products = chain.products;
    const cells = this.stores.length * this.products.length;
    this.prices = new Int32Array(cells);
    this.restocking = new Uint8Array(cells);
    this.stores.forEach((s, i) => this.storeIndex.set(s.store_id, i));
    this.products.forEach((p, i) => this.productIndex.set(p.sku, i));
    const fixed = (pick: (p: Product) => number): Int32Array => {
      const values = new Int32Array(cells);
      for (let cell = 0; cell < cells; cell += 1)
        values[cell] = pick(this.products[cell % this.products.length] as Product);
      return values;
    };
    this.stock = levels?.start.slice() ?? fixed((p) => p.initial_stock ?? 100);
    this.target = levels?.target ?? fixed((p) => p.initial_stock ?? 100);
    this.reorder = levels?.reorder ?? fixed((p) => p.reorder_point ?? 20);
    for (let cell = 0; cell < cells; cell += 1)
      this.prices[cell] = toCents((this.products[cell % this.products.length] as Product).base_price);
    this.present = this.stores.map(() => []);
    this.leaves = 2 ** Math.ceil(Math.log2(Math.max(1, this.products.length)));
    this.stockTree = new Int32Array(this.stores.length * 2 * this.leaves).fill(-1);
    for (let store = 0; store < this.stores.length; store += 1) {
      const base = store * 2 * this.leaves;
      for (let product = 0; product < this.products.length; product += 1)
        this.stockTree[base + this.leaves + product] = this.stock[this.cellOf(store, product)] as number;
      for (let node = this.leaves - 1; node >= 1; node -= 1)
        this.stockTree[base + node] = Math.max(
          this.stockTree[base + 2 * node] as number,
          this.stockTree[base + 2 * node + 1] as number,
        );
    }
  }

  /** Ends `visit`: the customer is no longer in its store. */
  leave(visit: Visit): void {
    this.visiting.delete(visit.customer);
    const present = this.present[visit.store] as Visit[];
    const at = present.indexOf(visit);
    present[at] = present[present.length - 1] as Visit;
    present.pop();
  }

  cell(storeId: string, sku: string): number {
    const s = this.storeIndex.get(storeId);
    const p = this.productIndex.get(sku);
    if (s === undefined || p === undefined) throw new RangeError(`unknown store/product ${storeId}/${sku}`);
    return s * this.products.length + p;
  }

  /** The index of the store with id `storeId`. */
  storeIndexOf(storeId: string): number {
    const s = this.storeIndex.get(storeId);
    if (s === undefined) throw new RangeError(`unknown store ${storeId}`);
    return s;
  }

  cellOf(store: number, product: number): number {
    return store * this.products.length + product;
  }

  productAt(cell: number): Product {
    return this.products[cell % this.products.length] as Product;
  }

  storeAt(cell: number): Store {
    return this.stores[Math.floor(cell / this.products.length)] as Store;
  }

  stockAt(cell: number): number {
    return this.stock[cell] as number;
  }

  /** The stock at or below which `cell` raises a restock alert. */
  reorderPointAt(cell: number): number {
    return this.reorder[cell] as number;
  }

  /** The level a receipt refills `cell` to. */
  targetAt(cell: number): number {
    return this.target[cell] as number;
  }

  /** Applies a signed change; returns the stock after it. Never below zero. */
  apply(cell: number, change: number): number {
    const after = (this.stock[cell] as number) + change;
    if (after < 0)
      throw new RangeError(`stock of ${this.storeAt(cell).store_id}/${this.productAt(cell).sku} would go below zero`);
    this.stock[cell] = after;
    const products = this.products.length;
    const base = Math.floor(cell / products) * 2 * this.leaves;
    const tree = this.stockTree;
    let node = this.leaves + (cell % products);
    tree[base + node] = after;
    for (node >>= 1; node >= 1; node >>= 1) {
      const larger = Math.max(tree[base + 2 * node] as number, tree[base + 2 * node + 1] as number);
      if (tree[base + node] === larger) break;
      tree[base + node] = larger;
    }
    return after;
  }

  /** The cell of `store`'s product with the most stock (the first such product), or undefined when none has any. */
  bestStocked(store: number): number | undefined {
    const base = store * 2 * this.leaves;
    const most = this.stockTree[base + 1] as number;
    if (most <= 0) return undefined;
    let node = 1;
    while (node < this.leaves) node = this.stockTree[base + 2 * node] === most ? 2 * node : 2 * node + 1;
    return this.cellOf(store, node - this.leaves);
  }

  priceAt(cell: number): number {
    return this.prices[cell] as number;
  }

  /** What a line of `cell` is rung up at: the price in force, or a pricing error's share of it (a cent at least). */
  chargedAt(cell: number): number {
    const wrong = this.mispriced.get(cell);
    const price = this.prices[cell] as number;
    return wrong === undefined ? price : Math.max(1, Math.round(price * wrong.factor));
  }

  setPrice(cell: number, cents: number): void {
    this.prices[cell] = cents;
  }

  private readonly byCategory = new Map<string, number[]>();
  private readonly saved = new Map<string, Map<number, number>>();

  /** Indexes of the products of a category. */
  productsOf(category: string): readonly number[] {
    let list = this.byCategory.get(category);
    if (list === undefined) {
      list = this.products.flatMap((p, i) => (p.category === category ? [i] : []));
      this.byCategory.set(category, list);
    }
    return list;
  }

  /** Remembers a price to go back to when promotion `id` ends. */
  savePrice(id: string, cell: number, cents: number): void {
    let prices = this.saved.get(id);
    if (prices === undefined) this.saved.set(id, (prices = new Map()));
    prices.set(cell, cents);
  }

  /** The price saved by promotion `id` for `cell`, forgotten once read. */
  restorePrice(id: string, cell: number): number | undefined {
    const cents = this.saved.get(id)?.get(cell);
    this.saved.get(id)?.delete(cell);
    return cents;
  }

  isRestocking(cell: number): boolean {
    return this.restocking[cell] === 1;
  }

  setRestocking(cell: number, on: boolean): void {
    this.restocking[cell] = on ? 1 : 0;
  }
}
