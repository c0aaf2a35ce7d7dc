import type { SimulatedScheduler } from "./simulatedScheduler.js";

/** The real clock and timers, handed in by the CLI (the only code that owns them). */
export interface WallClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setImmediate(fn: () => void): unknown;
}

/** Tells the driver to hold while a sink is above its high-water mark. */
export interface Backpressure {
  readonly held: boolean;
  /** Calls `resume` once, when the sink can take more. */
  whenReady(resume: () => void): void;
}

/** How a `Driver` paces its scheduler against the wall clock. */
export interface DriverOptions {
  wall: WallClock;
  /** Simulated milliseconds per wall millisecond (`--speed`). */
  speed?: number;
  /** Simulated time that corresponds to the moment `start()` is called. */
  anchor: number;
  /** Actions due before this simulated time run without waiting (a backfill). */
  fastUntil?: number;
  backpressure?: Backpressure;
  /** Actions run per slice before yielding to the event loop. */
  batch?: number;
  /**
   * How early (wall ms) to wake before a due action and spin through the event
   * loop, to make up for timers that fire late (default 1; 0 for exact clocks).
   */
  spinMs?: number;
}

/**
 * Advances a `SimulatedScheduler`: actions due before `fastUntil` run at once,
 * in slices that yield to the event loop; later ones run when the wall clock
 * reaches their simulated time (scaled by `speed`). Targets are absolute, so
 * lateness never accumulates, and everything due in one wake-up runs in it.
 */
export class Driver {
  private readonly speed: number;
  private readonly fastUntil: number;
  private readonly batch: number;
  private wallStart = 0;
  private timer: unknown;
  private stopped = false;
  private finish: () => void = () => undefined;
  readonly done: Promise<void>;

  constructor(private readonly scheduler: SimulatedScheduler, private readonly options: DriverOptions) {
    this.speed = options.speed ?? 1;
    this.fastUntil = options.fastUntil ?? -Infinity;
    this.batch = options.batch ?? 1000;
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  start(): this {
    this.wallStart = this.options.wall.now();
    this.options.wall.setImmediate(() => this.step());
    return this;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.options.wall.clearTimeout(this.timer);
    this.finish();
  }

  /** Wall time (the `WallClock`'s ms) at which `start()` was called. */
  get startedAt(): number {
    return this.wallStart;
  }

  /** The simulated time the wall clock has reached. */
  target(): number {
    return this.options.anchor + this.speed * (this.options.wall.now() - this.wallStart);
  }

  /** How far (wall ms) the next due action is behind the wall clock: 0 when on time. */
  lag(): number {
    const next = this.scheduler.nextDue();
    if (next === undefined || next < this.fastUntil) return 0;
    return Math.max(0, (this.target() - next) / this.speed);
  }

  private step(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const { backpressure, wall } = this.options;
    const target = this.target();
    for (let ran = 0; ran < this.batch; ran += 1) {
      if (backpressure?.held) {
        backpressure.whenReady(() => wall.setImmediate(() => this.step()));
        return;
      }
      const due = this.scheduler.nextDue();
      if (due === undefined) return this.stop();
      if (due >= this.fastUntil && due > target) return this.sleep(due);
      this.scheduler.runNext();
    }
    this.scheduler.advanceTo(target);
    wall.setImmediate(() => this.step());
  }

  private sleep(due: number): void {
    this.scheduler.advanceTo(this.target());
    const wait = (due - this.target()) / this.speed;
    // Node timers have 1 ms granularity and tend to fire late: wake `spinMs`
    // early and spin through the event loop for the rest.
    const spin = this.options.spinMs ?? 1;
    if (spin > 0 && wait <= spin) this.options.wall.setImmediate(() => this.step());
    else this.timer = this.options.wall.setTimeout(() => this.step(), spin > 0 ? Math.floor(wait - spin) : Math.ceil(wait));
  }
}
