import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { sampleChain } from "../model/sampleChain.js";
import { Problems } from "./numbers.js";

/** `retail-stream sample-data`: writes a seeded chain; returns the files written. */
export function writeSampleData(options: { stores: string; products: string; seed: string; out: string }): string[] {
  const p = new Problems();
  const stores = p.number("--stores", options.stores, { integer: true, min: 1 });
  const products = p.number("--products", options.products, { integer: true, min: 1 });
  const seed = p.number("--seed", options.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
  if (p.list.length > 0 || stores === undefined || products === undefined || seed === undefined) throw new ConfigError(p.list);
  const chain = sampleChain({ stores, products, seed });
  mkdirSync(options.out, { recursive: true });
  const files = [join(options.out, "stores.json"), join(options.out, "products.json")];
  writeFileSync(files[0] as string, JSON.stringify(chain.stores, null, 2) + "\n");
  writeFileSync(files[1] as string, JSON.stringify(chain.products, null, 2) + "\n");
  return files;
}
