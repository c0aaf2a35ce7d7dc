import type { Store } from "../model/chain.js";

/** One of N processes that together generate the chain: `index` in [0, count). */
export interface Shard {
  index: number;
  count: number;
}

/** FNV-1a of the store id: stable across processes, machines and versions. */
export function storeHash(storeId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < storeId.length; i += 1) hash = Math.imul(hash ^ storeId.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** Indexes of the stores this shard generates (`hash(store_id) mod N == i`). */
export function shardStores(stores: readonly Store[], shard: Shard = { index: 0, count: 1 }): number[] {
  return stores.flatMap((store, i) => (storeHash(store.store_id) % shard.count === shard.index ? [i] : []));
}
