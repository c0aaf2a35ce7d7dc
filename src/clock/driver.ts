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
   * Wall ms a slice may take before it yields (default 4), whatever its
   * count: a backfill's sink gets its I/O done while the next records are
   * made (a database's transaction, Kafka's delivery reports), not after.
   */
  sliceMs?: number;
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
  private speedNow: number;
  private anchor: number;
  private paused = false;
  private heldSince: number | undefined;
  private heldTotal = 0;
  private readonly fastUntil: number;
  private readonly batch: number;
  private wallStart = 0;
  private timer: unknown;
  private stopped = false;
  private started = false;
  private pending = false;
  private finish: () => void = () => undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly scheduler: SimulatedScheduler,
    private readonly options: DriverOptions,
  ) {
    this.speedNow = options.speed ?? 1;
    this.anchor = options.anchor;
    this.fastUntil = options.fastUntil ?? -Infinity;
    this.batch = options.batch ?? 1000;
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  start(): this {
    this.started = true;
    this.wallStart = this.options.wall.now();
    this.schedule();
    return this;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer();
    this.finish();
  }

  /** Wall time (the `WallClock`'s ms) at which `start()` was called. */
  get startedAt(): number {
    return this.wallStart;
  }

  /** The simulated time the wall clock has reached (while paused, where it stopped). */
  target(): number {
    return this.paused ? this.anchor : this.anchor + this.speedNow * (this.options.wall.now() - this.wallStart);
  }

  /** Simulated ms per wall ms now. */
  get speed(): number {
    return this.speedNow;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Wall ms the sink has held the driver so far (backpressure). */
  heldMs(): number {
    return this.heldTotal + (this.heldSince === undefined ? 0 : this.options.wall.now() - this.heldSince);
  }

  /** Paces at `speed` from now on; the simulated time reached so far stays. */
  setSpeed(speed: number): void {
    this.reanchor();
    this.speedNow = speed;
    this.wake();
  }

  /** Stops the clock: nothing runs until `resume()`, and simulated time stands still. */
  pause(): void {
    if (this.paused) return;
    this.reanchor();
    this.paused = true;
    this.cancelTimer();
  }

  /** Starts the clock again where it stopped (no catch-up: the pause is not made up for). */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.wallStart = this.options.wall.now();
    this.wake();
  }

  private reanchor(): void {
    this.anchor = this.target();
    this.wallStart = this.options.wall.now();
  }

  /** How far (wall ms) the next due action is behind the wall clock: 0 when on time. */
  lag(): number {
    const next = this.scheduler.nextDue();
    if (next === undefined || next < this.fastUntil) return 0;
    return Math.max(0, (this.target() - next) / this.speedNow);
  }

  /** Steps again now rather than at the wake-up planned for the old pace. */
  private wake(): void {
    if (!this.started || this.stopped || this.paused) return;
    this.cancelTimer();
    this.schedule();
  }

  /** One step at a time: the next is scheduled (at once, after `delayMs`, or when the sink frees up) only if none is. */
  private schedule(delayMs?: number): void {
    if (this.pending) return;
    this.pending = true;
    const run = (): void => {
      this.pending = false;
      this.timer = undefined;
      this.step();
    };
    if (delayMs === undefined) this.options.wall.setImmediate(run);
    else this.timer = this.options.wall.setTimeout(run, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.options.wall.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }

  private step(): void {
    if (this.stopped || this.paused) return;
    const { backpressure, wall } = this.options;
    const target = this.target();
    const sliceEnd = wall.now() + (this.options.sliceMs ?? 4);
    for (let ran = 0; ran < this.batch; ran += 1) {
      if ((ran & 15) === 15 && wall.now() >= sliceEnd) break;
      if (backpressure?.held) {
        this.heldSince ??= wall.now();
        this.pending = true;
        backpressure.whenReady(() => {
          if (this.heldSince !== undefined) this.heldTotal += wall.now() - this.heldSince;
          this.heldSince = undefined;
          this.pending = false;
          this.schedule();
        });
        return;
      }
      const due = this.scheduler.nextDue();
      if (due === undefined) return this.stop();
      if (due >= this.fastUntil && due > target) return this.sleep(due);
      this.scheduler.runNext();
    }
    this.scheduler.advanceTo(target);
    this.schedule();
  }

  private sleep(due: number): void {
    this.scheduler.advanceTo(this.target());
    const wait = (due - this.target()) / this.speedNow;
    // Node timers have 1 ms granularity and tend to fire late: wake `spinMs`
    // early and spin through the event loop for the rest.
    const spin = this.options.spinMs ?? 1;
    if (spin > 0 && wait <= spin) this.schedule();
    else this.schedule(spin > 0 ? Math.floor(wait - spin) : Math.ceil(wait));
  }
}
