import type { Weights } from "../operators/chooseType.js";
import { weightsFromMap } from "./weights.js";

/** What a `--config` file may set: the original plan's REALISTIC_GENERATOR_CONFIG shape. */
export interface FileConfig {
  minDeltaSeconds?: number;
  maxDeltaSeconds?: number;
  weights?: Weights;
  logLevel?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a config file's text; every problem names the file and the field. */
export function parseConfigFile(name: string, text: string): { config: FileConfig; problems: string[] } {
  const problems: string[] = [];
  const config: FileConfig = {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { config, problems: [`--config ${name}: not valid JSON (${(error as Error).message})`] };
  }
  if (!isObject(data)) return { config, problems: [`--config ${name}: expected a JSON object`] };
  const where = (path: string): string => `--config ${name}: ${path}`;
  for (const key of Object.keys(data)) if (key !== "timing" && key !== "logging") problems.push(`${where(key)} is not a known section (timing, logging)`);

  const { timing, logging } = data;
  if (timing !== undefined) {
    if (!isObject(timing)) problems.push(`${where("timing")} must be an object`);
    else {
      for (const key of Object.keys(timing)) {
        if (!["min_delta_seconds", "max_delta_seconds", "event_distribution"].includes(key)) problems.push(`${where(`timing.${key}`)} is not a known field`);
      }
      for (const [field, target] of [["min_delta_seconds", "minDeltaSeconds"], ["max_delta_seconds", "maxDeltaSeconds"]] as const) {
        const value = timing[field];
        if (value === undefined) continue;
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0) problems.push(`${where(`timing.${field}`)} must be a number ≥ 0, got ${JSON.stringify(value)}`);
        else config[target] = value;
      }
      const distribution = timing.event_distribution;
      if (distribution !== undefined) {
        if (!isObject(distribution)) problems.push(`${where("timing.event_distribution")} must be an object of name: weight`);
        else {
          const parsed = weightsFromMap(distribution, where("timing.event_distribution"));
          problems.push(...parsed.problems);
          config.weights = parsed.weights;
        }
      }
    }
  }
  if (logging !== undefined) {
    if (!isObject(logging)) problems.push(`${where("logging")} must be an object`);
    else if (logging.level !== undefined) {
      if (typeof logging.level !== "string") problems.push(`${where("logging.level")} must be a string, got ${JSON.stringify(logging.level)}`);
      else config.logLevel = logging.level;
    }
  }
  return { config, problems };
}
