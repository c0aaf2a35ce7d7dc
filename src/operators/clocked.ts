import type { SchedulerLike } from "rxjs";
import type { Rng } from "../random/rng.js";

/** The generator and scheduler a timed or random operator draws from. */
export interface Clocked {
  rng: Rng;
  /** Defaults to RxJS's `asyncScheduler`. */
  scheduler?: SchedulerLike;
}
