import type { Chain } from "../model/chain.js";
import { SCHEMA_VERSIONS, type SchemaVersion } from "../model/events.js";
import { schemaProblems } from "../model/validation.js";
import { MAX_RATE, MAX_SPEED, MIN_SPEED } from "../model/limits.js";
import type { Weights } from "../model/weights.js";
import { scenarioOptions, type ScenarioOptions } from "../streams/scenario.js";
import { parseWeights } from "../config/weights.js";
import type { LiveRun } from "./liveRun.js";

/** A change asked of a running run through `POST /control`. */
export interface ControlBody {
  speed?: number;
  paused?: boolean;
  /** Primary events per minute. */
  rate?: number;
  /** `sales=50,inventory=20,…`, or an object of the same. */
  weights?: string | Record<string, number>;
  /** A built-in scenario or a scenario file. */
  scenario?: string;
  /** The schema version of the events made from now on. */
  schema_version?: SchemaVersion;
}

const CONTROL_SCHEMA = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    speed: { type: "number", minimum: MIN_SPEED, maximum: MAX_SPEED },
    paused: { type: "boolean" },
    rate: { type: "number", exclusiveMinimum: 0, maximum: MAX_RATE },
    weights: {
      oneOf: [
        { type: "string", minLength: 1 },
        { type: "object", minProperties: 1, additionalProperties: { type: "number", minimum: 0 } },
      ],
    },
    scenario: { type: "string", minLength: 1 },
    schema_version: { enum: [...SCHEMA_VERSIONS] },
  },
} as const;

/** The scenario loader (the CLI's, reading files and built-ins), so this module stays testable. */
export type LoadScenario = (name: string, chain: Chain) => Promise<import("../model/scenario.js").Scenario>;

/** Everything that is wrong with a body, or the change ready to apply; nothing is applied here. */
export async function planControl(
  data: unknown,
  context: { chain: Chain; load: LoadScenario; run: LiveRun },
): Promise<{ problems: string[]; apply?: () => string[] }> {
  const problems = schemaProblems(CONTROL_SCHEMA, data, "body");
  if (problems.length > 0) return { problems };
  const body = data as ControlBody;
  let weights: Weights | undefined;
  if (body.weights !== undefined) {
    const text =
      typeof body.weights === "string"
        ? body.weights
        : Object.entries(body.weights)
            .map(([k, v]) => `${k}=${v}`)
            .join(",");
    const parsed = parseWeights(text);
    if (parsed.problems.length > 0)
      return { problems: parsed.problems.map((p) => `body: /weights: ${p.replace(/^--weights:\s*/, "")}`) };
    weights = parsed.weights;
  }
  let scenario: ScenarioOptions | undefined;
  if (body.scenario !== undefined) {
    try {
      scenario = scenarioOptions(await context.load(body.scenario, context.chain), context.chain);
    } catch (error) {
      return {
        problems: [
          `body: /scenario: ${(error as { problems?: string[] }).problems?.join("; ") ?? (error as Error).message}`,
        ],
      };
    }
  }
  const { steering } = context.run;
  const driver = context.run.driver();
  // The rate of the scenario it switches to, when both change at once.
  if (body.rate !== undefined && scenario === undefined && steering.state.ratePerMinute === undefined) {
    return { problems: ["body: /rate: this run's arrivals have no finite rate to change (gaps of 0)"] };
  }
  return {
    problems: [],
    apply: () => {
      const said: string[] = [];
      const was = steering.state;
      if (scenario !== undefined && body.scenario !== undefined) {
        steering.setScenario(body.scenario, scenario);
        said.push(`scenario ${was.scenario ?? "none"} → ${body.scenario}`);
      }
      if (body.rate !== undefined) {
        steering.setRate(body.rate);
        said.push(`rate ${was.ratePerMinute?.toFixed(2) ?? "?"} → ${body.rate} primary events/min`);
      }
      if (body.schema_version !== undefined && body.schema_version !== was.schemaVersion) {
        steering.setSchemaVersion(body.schema_version);
        said.push(`schema version ${was.schemaVersion} → ${body.schema_version}`);
      }
      if (weights !== undefined) {
        steering.setWeights(weights);
        said.push(
          `weights → ${Object.entries(weights)
            .map(([k, v]) => `${k}=${v}`)
            .join(",")}`,
        );
      }
      if (body.speed !== undefined && driver !== undefined) {
        said.push(`speed ${driver.speed} → ${body.speed}`);
        driver.setSpeed(body.speed);
      }
      if (body.paused === true && driver !== undefined && !driver.isPaused) {
        driver.pause();
        said.push("paused");
      }
      if (body.paused === false && driver !== undefined && driver.isPaused) {
        driver.resume();
        said.push("resumed");
      }
      return said;
    },
  };
}
