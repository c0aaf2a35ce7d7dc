import { performance } from "node:perf_hooks";
import type { WallClock } from "./driver.js";

/**
 * The real clock and Node's timers, for running a pipeline live. Only the code
 * that runs a pipeline (the CLI, a library user's script) hands it to the
 * driver; everything below reads time from the scheduler.
 */
export const realWall: WallClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setImmediate: (fn) => setImmediate(fn),
};
