import { builtInScenarios } from "../data/scenarios.js";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { ConfigError } from "../errors.js";
import { checkChain } from "../model/chain.js";
import { sampleChain } from "../model/sampleChain.js";
import { Problems } from "../config/problems.js";
import { ensureFolder, writeOutput } from "./outputFiles.js";

/** `retail-stream sample-data`: writes a seeded chain; returns the files written. */
export function writeSampleData(options: {
  stores: string;
  products: string;
  seed: string;
  out: string;
  force: boolean;
}): string[] {
  const p = new Problems();
  const stores = p.number("--stores", options.stores, { integer: true, min: 1, max: 100_000 });
  const products = p.number("--products", options.products, { integer: true, min: 1, max: 1_000_000 });
  const seed = p.number("--seed", options.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
  if (options.out.trim() === "") p.add("--out: empty; name the folder to write stores.json and products.json into");
  const files = [join(options.out, "stores.json"), join(options.out, "products.json")];
  const existing = files.filter((file) => existsSync(file));
  if (options.out.trim() !== "" && existing.length > 0 && !options.force)
    p.add(
      `--out ${options.out}: holds a chain already (${existing.map((f) => basename(f)).join(", ")}); add --force to overwrite it`,
    );
  if (p.list.length > 0 || stores === undefined || products === undefined || seed === undefined)
    throw new ConfigError(p.list);
  ensureFolder("--out", options.out);
  // What is written must read back: the same rules as any chain.
  const chain = checkChain(sampleChain({ stores, products, seed }), "sample chain");
  writeOutput("--out", files[0] as string, JSON.stringify(chain.stores, null, 2) + "\n");
  writeOutput("--out", files[1] as string, JSON.stringify(chain.products, null, 2) + "\n");
  return files;
}

/** `list-scenarios`: one line per built-in scenario, its name and what it does. */
export function scenarioList(): string {
  return builtInScenarios()
    .map(({ name, description }) => `${name.padEnd(14)} ${description}\n`)
    .join("");
}
