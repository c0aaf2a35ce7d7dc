import type { Rng } from "../random/rng.js";

/** Draws the gap (ms) to the next primary event, given the simulated time of the last one. */
export type ArrivalModel = (rng: Rng, now: number) => number;

/** Uniform gaps in [minMs, maxMs] — the original plan's `sleep(uniform(10, 60))`. */
export function uniformArrivals(minMs: number, maxMs: number): ArrivalModel {
  if (!(Number.isFinite(minMs) && Number.isFinite(maxMs) && minMs >= 0 && maxMs >= minMs)) {
    throw new RangeError(`uniform arrivals need 0 ≤ min ≤ max, got ${minMs}, ${maxMs}`);
  }
  return (rng) => Math.round(minMs + (maxMs - minMs) * rng.next());
}

/** A Poisson process: exponential gaps with mean 60 000 / `perMinute` ms. */
export function poissonArrivals(perMinute: number): ArrivalModel {
  if (!(perMinute > 0 && Number.isFinite(perMinute))) throw new RangeError(`rate must be > 0 events/min, got ${perMinute}`);
  const mean = 60_000 / perMinute;
  return (rng) => Math.round(-mean * Math.log(1 - rng.next()));
}

/** The same gap every time. */
export function fixedArrivals(intervalMs: number): ArrivalModel {
  if (!(intervalMs >= 0 && Number.isFinite(intervalMs))) throw new RangeError(`interval must be ≥ 0 ms, got ${intervalMs}`);
  return () => Math.round(intervalMs);
}

/**
 * A non-homogeneous Poisson process by thinning: candidates arrive at the peak
 * rate `perMinute × peak` and each is kept with probability `multiplier(t) / peak`,
 * so the rate follows `perMinute × multiplier(t)` exactly.
 */
export function shapedArrivals(perMinute: number, multiplier: (time: number) => number, peak: number): ArrivalModel {
  if (!(perMinute > 0 && Number.isFinite(perMinute))) throw new RangeError(`rate must be > 0 events/min, got ${perMinute}`);
  if (!(peak > 0)) throw new RangeError("a rate curve needs a value above 0");
  const meanAtPeak = 60_000 / (perMinute * peak);
  return (rng, now) => {
    let time = now;
    // Bounded: a curve that is 0 for a year would otherwise spin forever.
    for (let candidate = 0; candidate < 10_000_000; candidate += 1) {
      time += -meanAtPeak * Math.log(1 - rng.next());
      if (rng.next() * peak < multiplier(time)) return Math.round(time - now);
    }
    throw new RangeError("the rate curve stays at 0");
  };
}
