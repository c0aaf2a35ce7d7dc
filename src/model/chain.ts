import { ConfigError } from "../errors.js";
import { MAX_POPULARITY, MAX_PRICE, MAX_STOCK } from "./limits.js";
import { parseJson, schemaProblems } from "./validation.js";

/** A store of the chain (`data/stores.json`): a physical store, or the online shop (always open, stock in a warehouse). */
export interface Store {
  store_id: string;
  name: string;
  city: string;
  region: string;
  /** IANA time zone of the store's clock (`America/Denver`). */
  timezone: string;
  /** `store` (the default) sells and has visits only within its opening hours; `online` always. */
  channel?: "store" | "online";
  /** Local opening hours of a physical store, `HH:MM`, open before close. */
  opening_hours?: { open: string; close: string };
  /** An online shop's share of sales and visits while physical stores are open (0–1, default 0.1); it takes them all while every store is closed. */
  online_share?: number;
  /** ISO 4217 code of the store's money (default USD): schema version 2 says it with every amount. */
  currency?: string;
}

/** The currency of a store's amounts. */
export function currencyOf(store: Store): string {
  return store.currency ?? "USD";
}

/** A product the chain sells (`data/products.json`); prices in dollars with cents. */
export interface Product {
  sku: string;
  name: string;
  category: string;
  brand: string;
  base_price: number;
  cost: number;
  /** Relative demand (default 1): how often the product is picked for a sale, before a store's own variation. */
  popularity?: number;
  /**
   * Fixed stock levels in every store: the starting and refill level, and the
   * level at or below which a restock alert is raised (below `initial_stock`).
   * Without them, each store × product is stocked from its expected demand (see `stockPlan`).
   */
  initial_stock?: number;
  reorder_point?: number;
}

/** The chain: every store sells every product. */
export interface Chain {
  stores: readonly Store[];
  products: readonly Product[];
}

const text = { type: "string", minLength: 1 };
const money = { type: "number", exclusiveMinimum: 0, maximum: MAX_PRICE };
const hhmm = { type: "string", description: "a local time HH:MM (08:30)", pattern: "^([01]\\d|2[0-3]):[0-5]\\d$" };

/** JSON Schema of `stores.json`. */
const STORES_SCHEMA = {
  type: "array",
  minItems: 1,
  items: {
    type: "object",
    additionalProperties: false,
    required: ["store_id", "name", "city", "region", "timezone"],
    properties: {
      store_id: text,
      name: text,
      city: text,
      region: text,
      timezone: text,
      channel: { enum: ["store", "online"] },
      opening_hours: {
        type: "object",
        additionalProperties: false,
        required: ["open", "close"],
        properties: { open: hhmm, close: hhmm },
      },
      online_share: { type: "number", minimum: 0, maximum: 1 },
      currency: { type: "string", pattern: "^[A-Z]{3}$", description: "an ISO 4217 code (USD)" },
    },
    // A physical store needs its hours; only an online shop has a share.
    if: { properties: { channel: { const: "online" } }, required: ["channel"] },
    then: { properties: { opening_hours: false } },
    else: { required: ["opening_hours"], properties: { online_share: false } },
  },
} as const;

/** JSON Schema of `products.json`. */
const PRODUCTS_SCHEMA = {
  type: "array",
  minItems: 1,
  items: {
    type: "object",
    additionalProperties: false,
    required: ["sku", "name", "category", "brand", "base_price", "cost"],
    properties: {
      sku: text,
      name: text,
      category: text,
      brand: text,
      base_price: money,
      cost: money,
      popularity: { type: "number", exclusiveMinimum: 0, maximum: MAX_POPULARITY },
      initial_stock: { type: "integer", minimum: 1, maximum: MAX_STOCK },
      reorder_point: { type: "integer", minimum: 0, maximum: MAX_STOCK },
    },
    dependentRequired: { initial_stock: ["reorder_point"], reorder_point: ["initial_stock"] },
  },
} as const;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const cents = (v: number): boolean => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;

/** Every item whose `field` repeats an earlier item's, named by its pointer. */
function duplicates<T>(items: readonly T[], field: keyof T & string, where: string): string[] {
  const seen = new Set<unknown>();
  return items.flatMap((item, i) => {
    const id = item[field];
    const repeated = seen.has(id);
    seen.add(id);
    return repeated ? [`${where}: /${i}/${field}: duplicate ${field} "${String(id)}"`] : [];
  });
}

/** Rules across fields that a schema cannot say: unique ids, real time zones, hours in order, stock above its reorder point. */
function storeRules(stores: readonly Store[], where: string): string[] {
  const problems = duplicates(stores, "store_id", where);
  stores.forEach((s, i) => {
    if (!isTimeZone(s.timezone))
      problems.push(`${where}: /${i}/timezone: "${s.timezone}" is not an IANA time zone (e.g. America/Denver)`);
    if (s.opening_hours !== undefined && s.opening_hours.open >= s.opening_hours.close)
      problems.push(
        `${where}: /${i}/opening_hours: open (${s.opening_hours.open}) must be before close (${s.opening_hours.close})`,
      );
  });
  return problems;
}

function productRules(products: readonly Product[], where: string): string[] {
  const problems = duplicates(products, "sku", where);
  products.forEach((p, i) => {
    for (const field of ["base_price", "cost"] as const)
      if (!cents(p[field])) problems.push(`${where}: /${i}/${field}: ${p[field]} is not whole cents`);
    if (p.reorder_point !== undefined && p.initial_stock !== undefined && p.reorder_point >= p.initial_stock) {
      problems.push(
        `${where}: /${i}/reorder_point: ${p.reorder_point} must be below initial_stock (${p.initial_stock}), or the first crossing is never seen`,
      );
    }
  });
  return problems;
}

/** The first five problems, and how many more there are: one line stays readable. */
const firstFew = (problems: string[], where: string): string[] =>
  problems.slice(0, 5).concat(problems.length > 5 ? [`${where}: and ${problems.length - 5} more`] : []);

/** How to write a fresh chain into the folder of `file` (the user's, never the shipped one by default). */
const regenerate = (file: string): string => {
  const slash = file.lastIndexOf("/");
  return `regenerate it with: bin/retail-stream sample-data --out ${slash < 0 ? "." : file.slice(0, slash) || "/"} --force`;
};

function parseList<T>(
  file: { name: string; text: string },
  schema: object,
  rules: (items: T[], where: string) => string[],
  shipped: boolean,
): T[] {
  const { data, problem } = parseJson(file.text, file.name);
  if (problem !== undefined) throw new ConfigError([`${problem}; ${regenerate(file.name)}`]);
  // The shipped chain is checked by the project's tests, not again at every start.
  if (shipped) return data as T[];
  const problems = schemaProblems(schema, data, file.name);
  if (problems.length === 0) problems.push(...rules(data as T[], file.name));
  if (problems.length > 0) throw new ConfigError(firstFew(problems, file.name));
  return data as T[];
}

/** Parses and validates the two data files; a bad file is a `ConfigError` naming the file, the JSON pointer and the problem. */
export function parseChain(
  files: {
    stores: { name: string; text: string };
    products: { name: string; text: string };
  },
  { shipped = false }: { shipped?: boolean } = {},
): Chain {
  return {
    stores: parseList<Store>(files.stores, STORES_SCHEMA, storeRules, shipped),
    products: parseList<Product>(files.products, PRODUCTS_SCHEMA, productRules, shipped),
  };
}

/** Validates a chain built in code (a library user's); the same rules as the files. */
export function checkChain(chain: Chain, where = "chain"): Chain {
  const problems = [
    ...schemaProblems(STORES_SCHEMA, chain.stores, `${where}.stores`),
    ...schemaProblems(PRODUCTS_SCHEMA, chain.products, `${where}.products`),
  ];
  if (problems.length === 0)
    problems.push(...storeRules(chain.stores, `${where}.stores`), ...productRules(chain.products, `${where}.products`));
  if (problems.length > 0) throw new ConfigError(firstFew(problems, where));
  return chain;
}
