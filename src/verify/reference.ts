import type { Chain, Product, Store } from "../model/chain.js";
import type { RawRecord } from "./findings.js";

/**
 * The chain a run wrote to its reference topics (the last record of each id), as far as checks need
 * it: stores with their channel, time zone and currency, products with their category and base price.
 * Undefined when the records hold no store or no product (a version 1 run writes none).
 */
export function chainOfReference(
  records: readonly RawRecord[],
  topics: { stores: string; products: string },
): Chain | undefined {
  const stores = new Map<string, Store>();
  const products = new Map<string, Product>();
  for (const record of records) {
    const value = parsed(record);
    if (value === undefined) continue;
    if (record.topic === topics.stores && typeof value.store_id === "string") {
      const channel = value.channel === "online" ? "online" : "store";
      stores.set(value.store_id, {
        store_id: value.store_id,
        name: text(value.name),
        city: text(value.city),
        region: text(value.region),
        timezone: text(value.timezone, "UTC"),
        channel,
        ...(channel === "store" ? { opening_hours: { open: "00:00", close: "23:59" } } : {}),
        ...(typeof value.currency === "string" ? { currency: value.currency } : {}),
      });
    }
    if (
      record.topic === topics.products &&
      typeof value.product_id === "string" &&
      typeof value.base_price === "number"
    ) {
      products.set(value.product_id, {
        sku: value.product_id,
        name: text(value.name),
        category: text(value.category),
        brand: text(value.brand),
        base_price: value.base_price,
        cost: value.base_price,
      });
    }
  }
  return stores.size === 0 || products.size === 0
    ? undefined
    : { stores: [...stores.values()], products: [...products.values()] };
}

const text = (value: unknown, otherwise = ""): string => (typeof value === "string" ? value : otherwise);

function parsed(record: RawRecord): Record<string, unknown> | undefined {
  if (record.value === null) return undefined;
  try {
    const data: unknown = JSON.parse(record.value.toString());
    return typeof data === "object" && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
