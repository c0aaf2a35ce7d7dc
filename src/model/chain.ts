import { ConfigError } from "../errors.js";

/** A store of the chain (`data/stores.json`). */
export interface Store {
  store_id: string;
  name: string;
  city: string;
  region: string;
  timezone: string;
  opening_hours: { open: string; close: string };
}

/** A product the chain sells (`data/products.json`); prices in dollars with cents. */
export interface Product {
  sku: string;
  name: string;
  category: string;
  brand: string;
  base_price: number;
  cost: number;
  initial_stock: number;
  reorder_point: number;
}

/** The sample chain: every store sells every product. */
export interface Chain {
  stores: readonly Store[];
  products: readonly Product[];
}

const REGENERATE = "regenerate it with: bin/retail-stream sample-data --out data/";
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

type Check = (value: unknown) => boolean;
const isText: Check = (v) => typeof v === "string" && v.length > 0;
const isMoney: Check = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;
const isCount: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const isHours: Check = (v) => {
  const h = v as { open?: unknown; close?: unknown } | null;
  return typeof h === "object" && h !== null && HHMM.test(String(h.open)) && HHMM.test(String(h.close));
};

const STORE_FIELDS: Record<keyof Store, Check> = {
  store_id: isText, name: isText, city: isText, region: isText, timezone: isText, opening_hours: isHours,
};
const PRODUCT_FIELDS: Record<keyof Product, Check> = {
  sku: isText, name: isText, category: isText, brand: isText,
  base_price: isMoney, cost: isMoney, initial_stock: isCount, reorder_point: isCount,
};

function parseList<T>(file: string, text: string, fields: Record<string, Check>, idField: string): T[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${file}: not valid JSON (${(error as Error).message}); ${REGENERATE}`]);
  }
  if (!Array.isArray(data)) throw new ConfigError([`${file}: expected a JSON array; ${REGENERATE}`]);
  if (data.length === 0) throw new ConfigError([`${file}: the list is empty; ${REGENERATE}`]);
  const seen = new Set<unknown>();
  data.forEach((item: Record<string, unknown>, index) => {
    for (const [field, check] of Object.entries(fields)) {
      if (typeof item !== "object" || item === null || !check(item[field])) {
        throw new ConfigError([`${file}: item ${index} has a missing or invalid "${field}"; ${REGENERATE}`]);
      }
    }
    if (seen.has(item[idField])) throw new ConfigError([`${file}: duplicate ${idField} "${String(item[idField])}"; ${REGENERATE}`]);
    seen.add(item[idField]);
  });
  return data as T[];
}

/** Parses and validates the two data files; a bad file is a `ConfigError` naming it. */
export function parseChain(files: { stores: { name: string; text: string }; products: { name: string; text: string } }): Chain {
  const stores = parseList<Store>(files.stores.name, files.stores.text, STORE_FIELDS, "store_id");
  const products = parseList<Product>(files.products.name, files.products.text, PRODUCT_FIELDS, "sku");
  return { stores, products };
}
