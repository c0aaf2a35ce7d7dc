import { existsSync, readFileSync, readdirSync } from "node:fs";
import { extname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ConfigError } from "../errors.js";
import type { Chain } from "../model/chain.js";
import { scenarioProblems, type Scenario } from "../model/scenario.js";

const BUILT_IN = fileURLToPath(new URL("../../data/scenarios/", import.meta.url));

/** The built-in scenarios: name → description. */
export function builtInScenarios(): Array<{ name: string; description: string }> {
  return readdirSync(BUILT_IN).filter((f) => f.endsWith(".json")).sort().map((f) => ({
    name: f.replace(/\.json$/, ""),
    description: String((JSON.parse(readFileSync(BUILT_IN + f, "utf8")) as Scenario).description ?? ""),
  }));
}

/** Loads a built-in scenario by name, or a user's `.json` / `.mjs` / `.js` file (default export); validated against the chain. */
export async function loadScenario(nameOrPath: string, chain: Chain): Promise<Scenario> {
  const builtIn = `${BUILT_IN}${nameOrPath}.json`;
  const path = /^[a-z-]+$/.test(nameOrPath) && existsSync(builtIn) ? builtIn : resolve(nameOrPath);
  const where = `--scenario ${nameOrPath}`;
  if (!existsSync(path)) {
    throw new ConfigError([`${where}: no such built-in scenario or file (built-ins: ${builtInScenarios().map((s) => s.name).join(", ")})`]);
  }
  let data: unknown;
  try {
    data = extname(path) === ".json" ? JSON.parse(readFileSync(path, "utf8")) : ((await import(pathToFileURL(path).href)) as { default: unknown }).default;
  } catch (error) {
    throw new ConfigError([`${where}: cannot be read (${(error as Error).message.split("\n")[0]})`]);
  }
  const problems = scenarioProblems(data, where, chain);
  if (problems.length > 0) throw new ConfigError(problems);
  return data as Scenario;
}
