import type { Writable } from "node:stream";
import cliProgress from "cli-progress";
import type winston from "winston";
import type { WallClock } from "../clock/driver.js";
import { every } from "../clock/every.js";

export interface ProgressSource {
  /** Simulated time reached. */
  now(): number;
  /** Messages produced so far. */
  produced(): number;
}

/**
 * Shows how a backfill advances: a bar on a terminal (simulated time done / span,
 * events, events/s, ETA), periodic log lines otherwise. Returns its stop function.
 */
export function showBackfillProgress(
  from: number,
  to: number,
  source: ProgressSource,
  options: { stream: Writable; tty: boolean; log: winston.Logger; intervalMs: number; wall: WallClock },
): () => void {
  const span = to - from;
  const started = options.wall.now();
  const done = (): number => Math.min(1, Math.max(0, (source.now() - from) / span));
  const rate = (): number => source.produced() / Math.max(0.001, (options.wall.now() - started) / 1000);
  if (options.tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: "backfill [{bar}] {percentage}% | {simTime} | {events} events | {rate} events/s | ETA {eta_formatted}",
        stream: options.stream as NodeJS.WritableStream,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = () => ({
      simTime: new Date(Math.min(source.now(), to)).toISOString(),
      events: source.produced(),
      rate: Math.round(rate()),
    });
    bar.start(1000, 0, payload());
    const stop = every(options.wall, 200, () => bar.update(Math.round(done() * 1000), payload()));
    return () => {
      stop();
      bar.update(Math.round(done() * 1000), payload());
      bar.stop();
    };
  }
  const report = (): void => {
    const fraction = done();
    const elapsed = (options.wall.now() - started) / 1000;
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Number.NaN;
    options.log.info(
      `backfill ${(fraction * 100).toFixed(1)}% (${new Date(Math.min(source.now(), to)).toISOString()}), ${source.produced()} events, ${Math.round(rate())} events/s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(1)} s` : "?"}`,
    );
  };
  return every(options.wall, options.intervalMs, report);
}
