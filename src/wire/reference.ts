import { currencyOf, type Chain } from "../model/chain.js";
import { REFERENCE_TOPICS, type ProductRow, type ReferenceRecord, type StoreRow } from "./envelope.js";

/**
 * The chain's reference data as records (schema version 2): every store, then
 * every product, keyed by id, stamped `at` (the run's start, so a temporal join
 * on them matches from the first event on).
 */
export function referenceRecords(
  chain: Chain,
  at: number,
  topics: { stores: string; products: string } = REFERENCE_TOPICS,
): ReferenceRecord[] {
  const currency = chain.stores[0] === undefined ? "USD" : currencyOf(chain.stores[0]);
  const stores = chain.stores.map((store): ReferenceRecord => {
    const value: StoreRow = {
      store_id: store.store_id,
      name: store.name,
      city: store.city,
      region: store.region,
      timezone: store.timezone,
      channel: store.channel ?? "store",
      currency: currencyOf(store),
      schema_version: 2,
    };
    return {
      topic: topics.stores,
      key: store.store_id,
      timestamp: at,
      headers: { event_type: "store", schema_version: "2" },
      value,
    };
  });
  const products = chain.products.map((product): ReferenceRecord => {
    const value: ProductRow = {
      product_id: product.sku,
      name: product.name,
      category: product.category,
      brand: product.brand,
      base_price: Math.round(product.base_price * 100) / 100,
      currency,
      schema_version: 2,
    };
    return {
      topic: topics.products,
      key: product.sku,
      timestamp: at,
      headers: { event_type: "product", schema_version: "2" },
      value,
    };
  });
  return [...stores, ...products];
}
