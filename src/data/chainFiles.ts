import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.js";
import { parseChain, type Chain } from "../model/chain.js";
import { utf8Text } from "../model/validation.js";

/** The folder of the sample chain, schemas and scenarios shipped with the package (works from any working directory). */
export const SAMPLE_DATA_DIR = fileURLToPath(new URL("../../data", import.meta.url));

/**
 * The SHA-256 of the shipped chain's `stores.json` and `products.json` as the project's tests check them (a test
 * validates the files and compares this): files with these bytes are not validated again at every start.
 */
export const SHIPPED_CHAIN_SHA256 = "3a1a4588823dbead23802f8fdf8b8c0288cd69228f835a03074fe6a9532f84bd";

/** Whether the chain's files are the shipped ones, byte for byte. */
function isShipped(stores: { text: string }, products: { text: string }): boolean {
  return createHash("sha256").update(stores.text).update(products.text).digest("hex") === SHIPPED_CHAIN_SHA256;
}

/**
 * Reads and validates `stores.json` and `products.json`.
 *
 * @param dir the folder holding them (default: the sample chain shipped with the package)
 * @returns the chain; a missing or bad file is a `ConfigError` naming it
 */
export function readChain(dir: string = SAMPLE_DATA_DIR): Chain {
  const read = (file: string): { name: string; text: string } => {
    const name = join(dir, file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === "ENOENT" ? "missing" : code === "EISDIR" ? "is a folder" : (error as Error).message;
      throw new ConfigError([`${name}: ${reason}; regenerate it with: bin/retail-stream sample-data --out ${dir}`]);
    }
    return { name, text: utf8Text(bytes, name) };
  };
  // The package's own chain, unchanged since its tests checked it (same bytes), skips the checks at start.
  const stores = read("stores.json");
  const products = read("products.json");
  return parseChain({ stores, products }, { shipped: resolve(dir) === SAMPLE_DATA_DIR && isShipped(stores, products) });
}
