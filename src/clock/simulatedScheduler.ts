import { Subscription, type SchedulerAction, type SchedulerLike } from "rxjs";
import { Heap } from "./heap.js";

interface Entry {
  due: number;
  seq: number;
  action: SimulatedAction<unknown>;
}

/**
 * An RxJS scheduler whose `now()` is simulated time (epoch ms). It never waits
 * on its own: due actions sit in a queue ordered by simulated time and a driver
 * (`runNext`, `advanceTo`) decides when they run — at once for a backfill, paced
 * to the wall clock for a live run, or frame by frame in a test.
 */
export class SimulatedScheduler implements SchedulerLike {
  private readonly queue = new Heap<Entry>((a, b) => a.due < b.due || (a.due === b.due && a.seq < b.seq));
  private clock: number;
  private seq = 0;
  private live = 0;

  constructor(startMs: number) {
    this.clock = startMs;
  }

  now(): number {
    return this.clock;
  }

  /** Actions waiting to run. */
  get pending(): number {
    return this.live;
  }

  /** Entries held in the queue, cancelled ones not yet dropped included (what compaction bounds). */
  get queued(): number {
    return this.queue.size;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay = 0, state?: T): Subscription {
    return new SimulatedAction<T>(this, work).schedule(state, delay);
  }

  /** Simulated time of the next action, or `undefined` when nothing is queued. */
  nextDue(): number | undefined {
    this.dropCancelled();
    return this.queue.peek()?.due;
  }

  /** Runs the next action if it is due at or before `limit`; the clock moves to its time. */
  runNext(limit = Infinity): boolean {
    this.dropCancelled();
    const entry = this.queue.peek();
    if (entry === undefined || entry.due > limit) return false;
    this.queue.pop();
    this.live -= 1;
    this.clock = Math.max(this.clock, entry.due);
    entry.action.execute(entry);
    return true;
  }

  /** Moves the idle clock forward to `time` (never back, never past a queued action). */
  advanceTo(time: number): void {
    const next = this.nextDue();
    this.clock = Math.max(this.clock, next === undefined ? time : Math.min(time, next));
  }

  /** @internal queues an action's entry */
  enqueue(action: SimulatedAction<unknown>, delay: number): Entry {
    const entry = { due: this.clock + Math.max(0, delay), seq: this.seq++, action };
    this.queue.push(entry);
    this.live += 1;
    return entry;
  }

  /** @internal an entry was cancelled or superseded */
  forget(): void {
    this.live -= 1;
    // Cancelled timers stay queued until they surface; compact when they pile up.
    if (this.queue.size > 64 && this.queue.size > 2 * this.live) this.queue.filter((e) => e.action.current === e);
  }

  private dropCancelled(): void {
    for (let top = this.queue.peek(); top !== undefined && top.action.current !== top; top = this.queue.peek()) {
      this.queue.pop();
    }
  }
}

class SimulatedAction<T> extends Subscription implements SchedulerAction<T> {
  current: Entry | undefined;
  private state: T | undefined;

  constructor(
    private readonly scheduler: SimulatedScheduler,
    private readonly work: (this: SchedulerAction<T>, state: T) => void,
  ) {
    super(() => this.cancel());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.cancel();
    this.state = state;
    this.current = this.scheduler.enqueue(this as SimulatedAction<unknown>, delay);
    return this;
  }

  execute(entry: Entry): void {
    if (this.current !== entry || this.closed) return;
    this.current = undefined;
    try {
      this.work.call(this, this.state as T);
    } catch (error) {
      this.unsubscribe();
      throw error;
    }
    // Like RxJS's own actions: done unless the work rescheduled itself.
    if (this.current === undefined) this.unsubscribe();
  }

  private cancel(): void {
    if (this.current !== undefined) {
      this.current = undefined;
      this.scheduler.forget();
    }
  }
}
