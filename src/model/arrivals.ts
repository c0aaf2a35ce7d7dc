import type { Rng } from "../random/rng.js";

/**
 * Draws the gap (ms) to the next primary event, given the simulated time of the
 * last one; `perDay`, when known, is its mean rate (primary events per simulated day).
 */
export type ArrivalModel = ((rng: Rng, now: number) => number) & {
  perDay?: number;
  /** Every gap is 0: the next primary event is always due now, and the simulated clock never moves. */
  still?: boolean;
};

const DAY = 86_400_000;
const withRate = (model: (rng: Rng, now: number) => number, perDay: number): ArrivalModel =>
  Object.assign(model, { perDay });

/** Uniform gaps in [minMs, maxMs] — the original plan's `sleep(uniform(10, 60))`. */
export function uniformArrivals(minMs: number, maxMs: number): ArrivalModel {
  if (!(Number.isFinite(minMs) && Number.isFinite(maxMs) && minMs >= 0 && maxMs >= minMs)) {
    throw new RangeError(`uniform arrivals need 0 ≤ min ≤ max, got ${minMs}, ${maxMs}`);
  }
  const model = withRate((rng) => Math.round(minMs + (maxMs - minMs) * rng.next()), DAY / ((minMs + maxMs) / 2));
  // Gaps are rounded to whole ms: a longest gap that rounds to 0 never moves the clock either (as fixedArrivals says).
  return Math.round(maxMs) === 0 ? Object.assign(model, { still: true }) : model;
}

/** A Poisson process: exponential gaps with mean 60 000 / `perMinute` ms. */
export function poissonArrivals(perMinute: number): ArrivalModel {
  if (!(perMinute > 0 && Number.isFinite(perMinute)))
    throw new RangeError(`rate must be > 0 events/min, got ${perMinute}`);
  const mean = 60_000 / perMinute;
  return withRate((rng) => Math.round(-mean * Math.log(1 - rng.next())), perMinute * 1440);
}

/** The same gap every time. */
export function fixedArrivals(intervalMs: number): ArrivalModel {
  if (!(intervalMs >= 0 && Number.isFinite(intervalMs)))
    throw new RangeError(`interval must be ≥ 0 ms, got ${intervalMs}`);
  const model = withRate(() => Math.round(intervalMs), DAY / intervalMs);
  return Math.round(intervalMs) === 0 ? Object.assign(model, { still: true }) : model;
}

/**
 * The next arrival after `now` by thinning: candidates `meanAtPeak` ms apart on average, each kept
 * with probability `multiplier(t) / peak`.
 */
function thinned(
  rng: Rng,
  now: number,
  meanAtPeak: number,
  peak: number,
  multiplier: (time: number) => number,
): number {
  let time = now;
  // Bounded: a curve that is 0 for a year would otherwise spin forever.
  for (let candidate = 0; candidate < 10_000_000; candidate += 1) {
    time += -meanAtPeak * Math.log(1 - rng.next());
    if (rng.next() * peak < multiplier(time)) return Math.round(time - now);
  }
  throw new RangeError("the rate curve stays at 0");
}

/**
 * A non-homogeneous Poisson process by thinning: candidates arrive at the peak
 * rate `perMinute × peak` and each is kept with probability `multiplier(t) / peak`,
 * so the rate follows `perMinute × multiplier(t)` exactly.
 */
export function shapedArrivals(perMinute: number, multiplier: (time: number) => number, peak: number): ArrivalModel {
  if (!(perMinute > 0 && Number.isFinite(perMinute)))
    throw new RangeError(`rate must be > 0 events/min, got ${perMinute}`);
  if (!(peak > 0)) throw new RangeError("a rate curve needs a value above 0");
  const meanAtPeak = 60_000 / (perMinute * peak);
  // The mean rate over a week of hours (2026-01-05 is a Monday).
  let mean = 0;
  for (let h = 0; h < 168; h += 1) mean += multiplier(Date.UTC(2026, 0, 5, h, 30)) / 168;
  return withRate((rng, now) => thinned(rng, now, meanAtPeak, peak, multiplier), perMinute * 1440 * mean);
}

/**
 * Poisson arrivals at a rate profile's rate (per minute) over the run's simulated time, ms since
 * `start` (as `--rate` is: at --speed 1, as load tests run, that is wall time), times a scenario's
 * curve where one shapes it (`shape`: its multiplier and peak). Its `perDay` is the profile's peak rate.
 */
export function profiledArrivals(
  profile: { rateAt(ms: number): number; peak: number },
  { start, shape }: { start: number; shape?: { multiplier: (time: number) => number; peak: number } },
): ArrivalModel {
  const rateAt = (time: number): number =>
    profile.rateAt(time - start) * (shape === undefined ? 1 : shape.multiplier(time));
  const peak = profile.peak * (shape?.peak ?? 1);
  return withRate((rng, now) => thinned(rng, now, 60_000 / peak, peak, rateAt), profile.peak * 1440);
}
