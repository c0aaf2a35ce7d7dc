import type { WallClock } from "../../src/clock/driver.js";

/** A wall clock the test moves by hand: timers fire only in `advance`, immediates in `settle`. */
export class FakeWall implements WallClock {
  time = 0;
  /** How late timers fire, as a busy event loop makes them. */
  lateBy = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private immediates: Array<() => void> = [];
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms + this.lateBy, fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  setImmediate(fn: () => void): unknown {
    this.immediates.push(fn);
    return undefined;
  }

  /** When the earliest pending timer fires, if any. */
  nextTimerAt(): number | undefined {
    return this.timers.reduce<number | undefined>((at, t) => (at === undefined || t.at < at ? t.at : at), undefined);
  }

  /** Runs queued immediates until none are left (bounded, so a spin shows up as a failure). */
  settle(limit = 10_000): void {
    for (let i = 0; this.immediates.length > 0; i += 1) {
      if (i > limit) throw new Error("immediates never settle");
      this.immediates.shift()?.();
    }
  }

  /** Moves the clock to `time`, firing due timers in order and settling after each. */
  advance(time: number): void {
    this.settle();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= time).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
      this.settle();
    }
    this.time = time;
    this.settle();
  }
}
