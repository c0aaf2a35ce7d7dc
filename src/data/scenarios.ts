import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../errors.js";
import type { Chain } from "../model/chain.js";
import { scenarioProblems, type Scenario } from "../model/scenario.js";
import { parseJson, utf8Text } from "../model/validation.js";
import { SAMPLE_DATA_DIR } from "./chainFiles.js";

const BUILT_IN = join(SAMPLE_DATA_DIR, "scenarios");

/** The built-in scenarios: name → description. */
export function builtInScenarios(): Array<{ name: string; description: string }> {
  return readdirSync(BUILT_IN).filter((f) => f.endsWith(".json")).sort().map((f) => ({
    name: f.replace(/\.json$/, ""),
    description: String((JSON.parse(readFileSync(join(BUILT_IN, f), "utf8")) as Scenario).description ?? ""),
  }));
}

/**
 * Loads a built-in scenario by name, or a `.json` / `.mjs` / `.js` file (its
 * default export), validated against the chain.
 *
 * @param nameOrPath `weekday`, `weekend`, `black-friday`, or a path
 * @param chain the chain its stores and categories must belong to
 * @param where names the input in problems (default `--scenario <nameOrPath>`)
 */
export async function loadScenario(nameOrPath: string, chain: Chain, where = `--scenario ${nameOrPath}`): Promise<Scenario> {
  const builtIn = join(BUILT_IN, `${nameOrPath}.json`);
  const path = /^[a-z-]+$/.test(nameOrPath) && existsSync(builtIn) ? builtIn : resolve(nameOrPath);
  if (!existsSync(path) || statSync(path).isDirectory()) {
    throw new ConfigError([`${where}: no such built-in scenario or file (built-ins: ${builtInScenarios().map((s) => s.name).join(", ")})`]);
  }
  let data: unknown;
  if (extname(path) === ".json") {
    const parsed = parseJson(utf8Text(readFileSync(path), where), where);
    if (parsed.problem !== undefined) throw new ConfigError([parsed.problem]);
    data = parsed.data;
  } else {
    data = await loadModule(path, where);
  }
  const problems = scenarioProblems(data, where, chain);
  if (problems.length > 0) throw new ConfigError(problems);
  return data as Scenario;
}

/** How long a scenario module may take to load: one whose top level never settles is refused, not waited on for ever. */
export const MODULE_LOAD_MS = 5_000;

/** The default export of a scenario module; a module that throws, or does not settle within `MODULE_LOAD_MS`, is a `ConfigError`. */
async function loadModule(path: string, where: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConfigError([`${where}: did not finish loading within ${MODULE_LOAD_MS / 1000} s (a top-level await that never settles?)`])), MODULE_LOAD_MS);
  });
  try {
    return ((await Promise.race([import(pathToFileURL(path).href), timeout])) as { default: unknown }).default;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`${where}: cannot be loaded (${message.split("\n")[0]})`]);
  } finally {
    clearTimeout(timer);
  }
}
