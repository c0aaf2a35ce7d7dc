import { xoroshiro128plus, type RandomGenerator } from "pure-rand";

/** The one source of randomness: a uniform draw in [0, 1). */
export interface Rng {
  next(): number;
}

/** A seeded generator (xoroshiro128+ from pure-rand), 53-bit doubles. */
export class SeededRng implements Rng {
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
  }

  next(): number {
    // Two 32-bit draws make one double with all 53 mantissa bits random.
    const high = (this.generator.unsafeNext() >>> 5) * 67108864;
    const low = this.generator.unsafeNext() >>> 6;
    return (high + low) / 9007199254740992;
  }
}

/** Replays `values` in a loop: makes random gaps exact in marble tests. */
export function fixedRng(values: readonly number[]): Rng {
  if (values.length === 0) throw new RangeError("fixedRng needs at least one value");
  let index = 0;
  return {
    next: () => {
      const value = values[index % values.length] as number;
      index += 1;
      return value;
    },
  };
}

/** A uniform integer in [min, max]. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1));
}

/** One element of a non-empty list, uniformly. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng.next() * items.length)];
  if (item === undefined) throw new RangeError("pick from an empty list");
  return item;
}

/**
 * One value of a non-empty list, each as likely as its weight (> 0): one draw scaled to the weights' sum, the first
 * value whose running sum passes it. The draws of faker's `helpers.weightedArrayElement`, which the stream's payment
 * methods were first drawn with, so a seed's stream stays the same.
 */
export function weighted<T>(rng: Rng, items: readonly { value: T; weight: number }[]): T {
  const last = items[items.length - 1];
  if (last === undefined) throw new RangeError("weighted pick from an empty list");
  let total = 0;
  for (const { weight } of items) total += weight;
  const at = rng.next() * total;
  let sum = 0;
  for (const { weight, value } of items) if (at < (sum += weight)) return value;
  return last.value;
}

/** A span on a log scale: its median, its spread (the logarithm's standard deviation). */
export interface LogNormal {
  median: number;
  spread: number;
  shortest: number;
  longest: number;
}

/** A log-normal draw around `median`, clamped to [shortest, longest]; two uniform draws (Box–Muller). */
export function logNormal(rng: Rng, { median, spread, shortest, longest }: LogNormal): number {
  // 1 - u keeps the logarithm finite.
  const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return Math.min(longest, Math.max(shortest, median * Math.exp(spread * normal)));
}

/** A derived seed, so independent streams (shards, data files) don't share draws. */
export function deriveSeed(seed: number, salt: string): number {
  let hash = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < salt.length; i += 1) {
    hash = Math.imul(hash ^ salt.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash | 0;
}

/**
 * A small generator (Mulberry32) for one thing's few draws, seeded from `seed` and the thing's name: the same
 * draws for the same thing, whichever process meets it and whatever came before (a record's faults).
 */
export function rngOf(seed: number, name: string): Rng {
  let state = deriveSeed(seed, name) >>> 0;
  return {
    next: () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}
