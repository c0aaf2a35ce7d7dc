import { asyncScheduler, map, of, type MonoTypeOperatorFunction, type SchedulerLike } from "rxjs";
import type { OutRecord } from "../wire/envelope.js";
import { marked, storeOf } from "../wire/faultMarks.js";
import { within, type Window } from "../model/window.js";
import { held, holding } from "./held.js";

/**
 * A store's tills go offline for a window: its records with event times in
 * [at, at + duration) are kept and, at reconnection (the window's end on the
 * clock), replayed in their order with their own event times (header
 * `fault: offline-replay`) — a burst of late data. Other stores are untouched.
 * At the source's end what is kept goes out at once.
 *
 * @param store the store that goes offline
 * @param window when, in event time
 *
 * @example
 * // offlineStore("S001", { at: 5, duration: 10 }); a, c of S001, b of S002:
 * // source: a 4ms c 4ms b 19ms |      (a at 0, c at 5, b at 10)
 * // result: a 9ms b 4ms C 14ms |      (C: c replayed at 15)
 */
export function offlineStore(
  store: string,
  window: Window,
  { scheduler = asyncScheduler }: { scheduler?: SchedulerLike } = {},
): MonoTypeOperatorFunction<OutRecord> {
  return holding((record, ended) => {
    if (storeOf(record) !== store || !within(window, record.timestamp)) return of(record);
    const replayed = marked(record, "offline-replay");
    return held(window.at + window.duration - scheduler.now(), ended, scheduler).pipe(map(() => replayed));
  });
}
