import {
  Subject,
  defer,
  mergeMap,
  race,
  take,
  tap,
  timer,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
} from "rxjs";
import type { OutRecord } from "../wire/envelope.js";

/**
 * One emission after `delayMs` on `scheduler`, or at once when `ended` emits
 * (the run is over: what a fault holds back goes out rather than being lost).
 */
export function held(delayMs: number, ended: Observable<void>, scheduler: SchedulerLike): Observable<unknown> {
  return race(timer(Math.max(0, delayMs), scheduler), ended).pipe(take(1));
}

/**
 * The skeleton of the faults that hold records back: each record is mapped to
 * what goes out for it, given `ended`, which emits once when the source
 * completes (so what is still held goes out then).
 */
export function holding(
  project: (record: OutRecord, ended: Observable<void>) => Observable<OutRecord>,
): MonoTypeOperatorFunction<OutRecord> {
  return (source) =>
    defer(() => {
      const ended = new Subject<void>();
      return source.pipe(
        tap({ complete: () => ended.next() }),
        mergeMap((record) => project(record, ended)),
      );
    });
}
