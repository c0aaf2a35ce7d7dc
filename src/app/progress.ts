import type { Writable } from "node:stream";
import cliProgress from "cli-progress";
import type winston from "winston";

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
export function showBackfillProgress(from: number, to: number, source: ProgressSource, options: { stream: Writable; tty: boolean; log: winston.Logger; intervalMs: number; wallNow: () => number }): () => void {
  const span = to - from;
  const started = options.wallNow();
  const done = (): number => Math.min(1, Math.max(0, (source.now() - from) / span));
  const rate = (): number => source.produced() / Math.max(0.001, (options.wallNow() - started) / 1000);
  if (options.tty) {
    const bar = new cliProgress.SingleBar({
      format: "backfill [{bar}] {percentage}% | {simTime} | {events} events | {rate} events/s | ETA {eta_formatted}",
      stream: options.stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false,
    }, cliProgress.Presets.shades_classic);
    const payload = () => ({ simTime: new Date(Math.min(source.now(), to)).toISOString(), events: source.produced(), rate: Math.round(rate()) });
    bar.start(1000, 0, payload());
    const timer = setInterval(() => bar.update(Math.round(done() * 1000), payload()), 200);
    return () => {
      clearInterval(timer);
      bar.update(Math.round(done() * 1000), payload());
      bar.stop();
    };
  }
  const report = (): void => {
    const fraction = done();
    const elapsed = (options.wallNow() - started) / 1000;
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Number.NaN;
    options.log.info(`backfill ${(fraction * 100).toFixed(1)}% (${new Date(Math.min(source.now(), to)).toISOString()}), ${source.produced()} events, ${Math.round(rate())} events/s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(1)} s` : "?"}`);
  };
  const timer = setInterval(report, options.intervalMs);
  return () => clearInterval(timer);
}
