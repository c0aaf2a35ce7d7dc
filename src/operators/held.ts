import { race, take, timer, type Observable, type SchedulerLike } from "rxjs";

/**
 * One emission after `delayMs` on `scheduler`, or at once when `ended` emits
 * (the run is over: what a fault holds back goes out rather than being lost).
 */
export function held(delayMs: number, ended: Observable<void>, scheduler: SchedulerLike): Observable<unknown> {
  return race(timer(Math.max(0, delayMs), scheduler), ended).pipe(take(1));
}
