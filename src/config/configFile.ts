import { parseJson, schemaProblems } from "../model/validation.js";
import type { Weights } from "../model/weights.js";
import { LOG_LEVELS } from "./logLevels.js";
import { weightsFromMap } from "./weights.js";

/** What a `--config` file may set: the original plan's REALISTIC_GENERATOR_CONFIG shape. */
export interface FileConfig {
  minDeltaSeconds?: number;
  maxDeltaSeconds?: number;
  weights?: Weights;
  logLevel?: string;
}

const seconds = { type: "number", minimum: 0, maximum: 604_800 };

/** JSON Schema of a `--config` file. */
const CONFIG_FILE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    timing: {
      type: "object",
      additionalProperties: false,
      properties: {
        min_delta_seconds: seconds,
        max_delta_seconds: seconds,
        event_distribution: { type: "object", additionalProperties: { type: "number", minimum: 0 } },
      },
    },
    logging: {
      type: "object",
      additionalProperties: false,
      // The original plan's logging section also carries a Python log format; it is accepted and not used.
      properties: {
        level: { enum: [...LOG_LEVELS, ...LOG_LEVELS.map((l) => l.toUpperCase())] },
        format: { type: "string" },
      },
    },
  },
} as const;

interface FileShape {
  timing?: { min_delta_seconds?: number; max_delta_seconds?: number; event_distribution?: Record<string, number> };
  logging?: { level?: string };
}

/** Parses a config file's text; every problem names the file, the JSON pointer and what is wrong. */
export function parseConfigFile(name: string, text: string): { config: FileConfig; problems: string[] } {
  const where = `--config ${name}`;
  const { data, problem } = parseJson(text, where);
  if (problem !== undefined) return { config: {}, problems: [problem] };
  const problems = schemaProblems(CONFIG_FILE_SCHEMA, data, where);
  if (problems.length > 0) return { config: {}, problems };
  const { timing, logging } = data as FileShape;
  const config: FileConfig = {
    minDeltaSeconds: timing?.min_delta_seconds,
    maxDeltaSeconds: timing?.max_delta_seconds,
    logLevel: logging?.level?.toLowerCase(),
  };
  if (timing?.event_distribution !== undefined) {
    const parsed = weightsFromMap(timing.event_distribution, `${where}: /timing/event_distribution`);
    problems.push(...parsed.problems);
    config.weights = parsed.weights;
  }
  if (
    config.minDeltaSeconds !== undefined &&
    config.maxDeltaSeconds !== undefined &&
    config.minDeltaSeconds > config.maxDeltaSeconds
  ) {
    problems.push(
      `${where}: /timing: min_delta_seconds (${config.minDeltaSeconds}) must not exceed max_delta_seconds (${config.maxDeltaSeconds})`,
    );
  }
  return { config, problems };
}
