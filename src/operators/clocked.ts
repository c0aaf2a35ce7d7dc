import type { SchedulerLike } from "rxjs";
import type { Rng } from "../random/rng.js";
import type { OutRecord } from "../wire/envelope.js";

/** One generator for a stream's draws, or one per record (each record's draws its own, however the stream is split). */
export type RecordRng = Rng | ((record: OutRecord) => Rng);

/** The generator for `record`'s draws. */
export function drawsFor(rng: RecordRng, record: OutRecord): Rng {
  return typeof rng === "function" ? rng(record) : rng;
}

/** The generator and scheduler a timed or random operator draws from. */
export interface Clocked {
  rng: Rng;
  /** Defaults to RxJS's `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** As `Clocked`, for an operator over records: one generator, or one per record. */
export interface RecordClocked {
  rng: RecordRng;
  /** Defaults to RxJS's `asyncScheduler`. */
  scheduler?: SchedulerLike;
}
