import type { WallClock } from "./driver.js";

/**
 * Calls `fn` every `ms` of the wall clock's time until the returned stop is
 * called: the injected clock's timers, so a test's clock drives it too.
 */
export function every(wall: WallClock, ms: number, fn: () => void): () => void {
  let handle: unknown;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    handle = wall.setTimeout(() => {
      if (stopped) return;
      fn();
      tick();
    }, ms);
  };
  tick();
  return () => {
    stopped = true;
    wall.clearTimeout(handle);
  };
}
