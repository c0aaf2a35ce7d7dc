import type winston from "winston";
import type { Driver, WallClock } from "../clock/driver.js";
import type { CapacityConfig } from "../config/runConfig.js";
import type { Steering } from "../streams/steering.js";
import type { LoadSample, LoadWatch } from "./loadWatch.js";
import { writeOutput } from "./outputFiles.js";
import { capacityChart } from "./capacityChart.js";
import type { CapacityResult, CapacityStep } from "./capacityResult.js";

export type { CapacityResult, CapacityStep };

/** A step is held when the group consumes at least this share of what it is sent over the step. */
export const HELD_SHARE = 0.9;
/** The search stops narrowing once the rate it fails at is within this factor of the rate it held. */
const NARROW = 1.1;

/**
 * How fast the group's backlog grows, per second: the lag right after a commit is the backlog, so
 * the lowest lag of the span's first third is compared with the lowest of its last third (a group
 * that commits every few seconds saws its lag up between commits; the step must span three commits).
 */
function backlogGrowth(points: ReadonlyArray<{ at: number; lag: number }>): number {
  const third = Math.max(1, Math.floor(points.length / 3));
  const lowest = (part: ReadonlyArray<{ at: number; lag: number }>): { at: number; lag: number } =>
    part.reduce((low, p) => (p.lag < low.lag ? p : low));
  const early = lowest(points.slice(0, third));
  const late = lowest(points.slice(points.length - third));
  return late.at > early.at ? ((late.lag - early.lag) * 1000) / (late.at - early.at) : 0;
}

/**
 * The verdict on one step from its samples: what was sent is the growth of the partitions' ends;
 * the backlog's growth (`backlogGrowth`) says how much of it was not consumed. Held: the group consumed at least
 * `HELD_SHARE` of it, and latency p99 stayed within `maxP99Ms` where one is set.
 */
export function judgeStep(
  ratePerMinute: number,
  samples: readonly LoadSample[],
  { p99Ms, maxP99Ms }: { p99Ms?: number; maxP99Ms?: number } = {},
): CapacityStep {
  const read = samples.filter((s) => s.lag !== undefined && s.written !== undefined);
  const first = read[0];
  const last = read.at(-1);
  const base = { ratePerMinute, from: samples[0]?.at ?? 0, to: samples.at(-1)?.at ?? 0 };
  if (first === undefined || last === undefined || last.at <= first.at)
    return { ...base, sentPerSecond: 0, consumedPerSecond: 0, held: false, why: "the group's lag could not be read" };
  const seconds = (last.at - first.at) / 1000;
  const sent = ((last.written as number) - (first.written as number)) / seconds;
  const growth = backlogGrowth(read.map((s) => ({ at: s.at, lag: s.lag as number })));
  const consumed = Math.max(0, sent - growth);
  const latency = p99Ms === undefined ? {} : { p99Ms };
  const made =
    first.made === undefined || last.made === undefined ? {} : { madePerSecond: (last.made - first.made) / seconds };
  const result = { ...base, sentPerSecond: sent, consumedPerSecond: consumed, ...made, ...latency };
  if (sent <= 0)
    return { ...result, held: false, why: "the group committed no offsets on the run's topics over the step" };
  if (consumed < HELD_SHARE * sent)
    return {
      ...result,
      held: false,
      why: `consumed ${Math.round(consumed)} of ${Math.round(sent)} records/s: its lag grew ${Math.round(growth)} a second`,
    };
  if (maxP99Ms !== undefined && p99Ms !== undefined && p99Ms > maxP99Ms)
    return { ...result, held: false, why: `latency p99 ${p99Ms} ms over the bound of ${maxP99Ms} ms` };
  return { ...result, held: true, why: `consumed ${Math.round(consumed)} of ${Math.round(sent)} records/s` };
}

/** Runs one step at a rate and judges it; undefined when the run stopped meanwhile. */
export type Measure = (ratePerMinute: number) => Promise<CapacityStep | undefined>;

/**
 * The search: doubles the rate while steps are held, then halves the span
 * between the highest held and the lowest failed until they are within 10%,
 * within `budgetMs` of `now()` (each step takes `stepCostMs`). A step whose
 * input did not follow the rate (the run made less than 80% of the primary
 * events the rate asks, as a share of what the first step made, or, where it
 * does not count them, the records sent fell below 80% of the first step's
 * records per event at this rate) ends it: the generator, not the pipeline, is
 * the limit there; a step it held still counts.
 */
export async function search(
  config: Pick<CapacityConfig, "startPerMinute" | "budgetMs">,
  stepCostMs: number,
  measure: Measure,
  now: () => number,
): Promise<CapacityResult> {
  const started = now();
  const steps: CapacityStep[] = [];
  let held: CapacityStep | undefined;
  let failedAt: number | undefined;
  let recordsPerEvent: number | undefined;
  let madeShare: number | undefined;
  let rate = config.startPerMinute;
  for (;;) {
    if (now() - started + stepCostMs > config.budgetMs) return { held, steps, stoppedBy: "budget" };
    const step = await measure(rate);
    if (step === undefined) return { held, steps, stoppedBy: "stopped" };
    steps.push(step);
    // No verdict on the pipeline can come of lower rates: it is not reading, or under another group's name.
    if (step.sentPerSecond <= 0) return { held, steps, stoppedBy: "unmeasured" };
    // The run's own count of primary events says it best, against the share of the rate the first step made
    // (draws for closed stores make nothing); else the records per event of the first step (which vary with
    // the checkouts' lines, so this is the rougher test).
    const expected = recordsPerEvent === undefined ? undefined : (recordsPerEvent * rate) / 60;
    const short =
      step.madePerSecond !== undefined
        ? step.madePerSecond < (0.8 * (madeShare ?? 1) * rate) / 60
        : expected !== undefined && step.sentPerSecond < 0.8 * expected;
    // A step held is the pipeline's figure even when the generator fell short of the rate set.
    if (step.held && (held === undefined || rate > held.ratePerMinute)) held = step;
    if (short) return { held, steps, stoppedBy: "generator" };
    recordsPerEvent ??= step.sentPerSecond / (rate / 60);
    if (step.madePerSecond !== undefined) madeShare ??= Math.min(1, step.madePerSecond / (rate / 60));
    if (!step.held) failedAt = Math.min(failedAt ?? Infinity, rate);
    if (failedAt === undefined) rate *= 2;
    else if (held === undefined) {
      rate = failedAt / 2;
      if (rate < config.startPerMinute / 64) return { steps, stoppedBy: "nothing held" };
    } else if (failedAt / held.ratePerMinute <= NARROW) return { held, steps, stoppedBy: "narrowed" };
    else rate = (held.ratePerMinute + failedAt) / 2;
  }
}

/** What the search runs on: the watch, the rate's control, the driver it stops, the wall clock, the log. */
export interface SearchParts {
  load: LoadWatch;
  steering: Steering;
  driver: Driver;
  wall: WallClock;
  log: winston.Logger;
}

/** Searches the pipeline's capacity on a live run, then stops the run. */
export async function searchCapacity(config: CapacityConfig, parts: SearchParts): Promise<CapacityResult> {
  const { load, steering, driver, wall, log } = parts;
  let stopped = false;
  void driver.done.then(() => (stopped = true));
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => wall.setTimeout(resolve, ms));
  const warmMs = Math.round(config.stepMs / 3);
  const measure: Measure = async (ratePerMinute) => {
    steering.setRate(ratePerMinute);
    log.info(`capacity: ${(ratePerMinute / 60).toFixed(1)} primary events/s for ${(warmMs + config.stepMs) / 1000} s`);
    // A backlog of the step before drains first (while the group keeps up it shrinks, which is no verdict on latency).
    for (let waited = 0; waited < warmMs && !stopped; waited += 1000) {
      await sleep(1000);
      await load.sample(ratePerMinute);
    }
    load.latency?.startWindow();
    const samples: LoadSample[] = [];
    for (let waited = 0; waited < config.stepMs && !stopped; waited += 1000) {
      await sleep(1000);
      samples.push(await load.sample(ratePerMinute));
    }
    if (stopped) return undefined;
    const p99 = load.latency?.window();
    const step = judgeStep(ratePerMinute, samples, {
      ...(p99 === undefined || p99.count === 0 ? {} : { p99Ms: p99.p99 }),
      ...(config.maxP99Ms === undefined ? {} : { maxP99Ms: config.maxP99Ms }),
    });
    log.info(`capacity: ${step.held ? "held" : "not held"}: ${step.why}`);
    return step;
  };
  try {
    return await search(config, warmMs + config.stepMs, measure, () => wall.now());
  } finally {
    driver.stop();
  }
}

/** Says the search's result in the log and writes its report and chart; the problems writing them, if any. */
export async function reportCapacity(
  result: CapacityResult,
  config: CapacityConfig,
  load: LoadWatch,
  io: { log: winston.Logger; stdout: NodeJS.WritableStream | { write(text: string): unknown } },
): Promise<string[]> {
  const { held } = result;
  const line = held
    ? `capacity: held ${Math.round(held.consumedPerSecond)} records/s (${(held.madePerSecond ?? held.ratePerMinute / 60).toFixed(1)} primary events/s); search ${result.stoppedBy} after ${result.steps.length} steps${result.stoppedBy === "generator" ? " (the run could not make more: the pipeline holds at least this)" : ""}`
    : `capacity: no step was held (${result.stoppedBy}); ${result.steps.at(-1)?.why ?? "no step ran"}`;
  io.stdout.write(line + "\n");
  const problems: string[] = [];
  const write = (flag: string, path: string | undefined, text: () => string): void => {
    if (path === undefined) return;
    try {
      writeOutput(flag, path, text());
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  };
  write("--capacity-report", config.report, () => JSON.stringify({ ...result, samples: load.samples }, null, 2) + "\n");
  write("--capacity-chart", config.chart, () => capacityChart(result, load.samples));
  return problems;
}
