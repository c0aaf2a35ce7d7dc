/** A span of simulated time. */
export interface Window {
  /** Start, epoch ms (simulated). */
  at: number;
  /** Length, ms. */
  duration: number;
}

/** Whether `time` falls in [at, at + duration). */
export function within({ at, duration }: Window, time: number): boolean {
  return time >= at && time < at + duration;
}

/** `factor` copies of `item` on average: its whole part always, the fraction by a draw. */
export function copies<T>(item: T, factor: number, draw: () => number): T[] {
  const whole = Math.floor(factor);
  return Array.from({ length: whole + (draw() < factor - whole ? 1 : 0) }, () => item);
}
