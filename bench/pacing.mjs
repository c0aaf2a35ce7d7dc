// Pacing fidelity: how late each primary event leaves the pipeline behind its target wall time.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Driver } from "../dist/clock/driver.js";
import { SimulatedScheduler } from "../dist/clock/simulatedScheduler.js";
import { parseChain } from "../dist/model/chain.js";
import { isCaused } from "../dist/model/events.js";
import { SeededRng } from "../dist/random/rng.js";
import { retailEvents$ } from "../dist/streams/retailEvents.js";
import { realWall } from "../dist/clock/realWall.js";

const data = (f) => ({ name: f, text: readFileSync(fileURLToPath(new URL(`../data/${f}`, import.meta.url)), "utf8") });
const chain = parseChain({ stores: data("stores.json"), products: data("products.json") });

function percentiles(lags) {
  const sorted = [...lags].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1), last: lags.at(-1) };
}

/** The CLI's own driver and scheduler, a sink that takes everything at once. */
export function pacingFidelity(count, speed = 1000) {
  const start = Date.UTC(2026, 0, 1);
  const scheduler = new SimulatedScheduler(start);
  const driver = new Driver(scheduler, { wall: realWall, speed, anchor: start });
  const lags = [];
  let wallStart = 0;
  retailEvents$({ chain, rng: new SeededRng(1), scheduler, count }).subscribe((event) => {
    if (isCaused(event)) return;
    lags.push(realWall.now() - (wallStart + (scheduler.now() - start) / speed));
  });
  lags.length = 0; // the first event leaves at subscription, before the driver starts
  wallStart = driver.start().startedAt;
  return driver.done.then(() => percentiles(lags));
}

/**
 * The naive loop (emit, then sleep(gap)): each timer's lateness behind the moment it
 * was asked for, and how far the loop as a whole drifted from the planned times.
 */
export function bareTimers(count, speed = 1000) {
  const rng = new SeededRng(1);
  const lateness = [];
  const wallStart = performance.now();
  let planned = 0;
  return new Promise((resolve) => {
    const arm = () => {
      const gap = Math.round((10_000 + 50_000 * rng.next()) / speed);
      planned += gap;
      const asked = performance.now() + gap;
      setTimeout(() => {
        lateness.push(performance.now() - asked);
        if (lateness.length >= count)
          resolve({ ...percentiles(lateness), drift: performance.now() - (wallStart + planned) });
        else arm();
      }, gap);
    };
    arm();
  });
}
