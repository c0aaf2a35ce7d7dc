import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { parseChain, type Chain } from "../model/chain.js";

/** Reads and validates `stores.json` and `products.json` from `dir`. */
export function readChain(dir: string): Chain {
  const read = (file: string): { name: string; text: string } => {
    const name = join(dir, file);
    try {
      return { name, text: readFileSync(name, "utf8") };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : (error as Error).message;
      throw new ConfigError([`${name}: ${reason}; regenerate it with: bin/retail-stream sample-data --out ${dir}`]);
    }
  };
  return parseChain({ stores: read("stores.json"), products: read("products.json") });
}
