import { Subscription, type SchedulerLike } from "rxjs";

/**
 * The scheduler of a run whose clock never moves (gaps of 0: a tick is always
 * due now, so simulated time stands still): work for now is queued on
 * `scheduler` as usual; work for later would never come, so it is not queued
 * at all. The run's events are the same; its memory stays flat instead of
 * holding every visit's end, order step and delivery it will never reach.
 */
export function stillClock(scheduler: SchedulerLike): SchedulerLike {
  return {
    now: () => scheduler.now(),
    schedule: (work, delay = 0, state) =>
      delay > 0 ? Subscription.EMPTY : scheduler.schedule(work as never, delay, state),
  };
}
