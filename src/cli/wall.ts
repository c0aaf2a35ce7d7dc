import { performance } from "node:perf_hooks";
import type { WallClock } from "../clock/driver.js";

/** The real clock and Node's timers. */
export const realWall: WallClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setImmediate: (fn) => setImmediate(fn),
};
