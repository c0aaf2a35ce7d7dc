import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.js";
import { parseChain, type Chain } from "../model/chain.js";
import { utf8Text } from "../model/validation.js";

/** The folder of the sample chain, schemas and scenarios shipped with the package (works from any working directory). */
export const SAMPLE_DATA_DIR = fileURLToPath(new URL("../../data", import.meta.url));

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
  return parseChain({ stores: read("stores.json"), products: read("products.json") });
}
