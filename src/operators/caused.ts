import { Observable, asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from "rxjs";
import type { RetailEvent } from "../model/events.js";

/** Events that fall due `afterMs` after their cause; `make` builds them then (or nothing, when they no longer happen). */
export interface LaterEffect {
  afterMs: number;
  make: (time: number) => RetailEvent | readonly RetailEvent[] | undefined;
}

/** What an event causes: events that follow it at once, and events that fall due later. */
export interface Effects {
  now: readonly RetailEvent[];
  later: readonly LaterEffect[];
}

/**
 * Passes every event on, followed at once by what it causes now, and emits what
 * it causes later when that falls due on `scheduler`. Effects not yet due when
 * the source completes are left out (the run ended first); a subscriber that
 * leaves while the effects of now go out waits for none of the later ones.
 */
export function caused(
  effectsOf: (event: RetailEvent) => Effects | undefined,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<RetailEvent> {
  return (source) =>
    new Observable<RetailEvent>((subscriber) => {
      // Effects waiting for their time, kept apart from the events that pass at once: at full speed
      // thousands wait, and an inner subscription per passing event would be added beside them and searched out again.
      const waiting = new Set<Subscription>();
      const drop = (): void => {
        for (const effect of waiting) effect.unsubscribe();
        waiting.clear();
      };
      const upstream = source.subscribe({
        next: (event) => {
          const effects = effectsOf(event);
          subscriber.next(event);
          if (effects === undefined) return;
          for (const now of effects.now) {
            if (subscriber.closed) return;
            subscriber.next(now);
          }
          for (const { afterMs, make } of effects.later) {
            if (subscriber.closed) return;
            const due = scheduler.schedule(() => {
              waiting.delete(due);
              const made = make(scheduler.now());
              if (made === undefined) return;
              if (!Array.isArray(made)) subscriber.next(made as RetailEvent);
              else for (const event of made as readonly RetailEvent[]) if (!subscriber.closed) subscriber.next(event);
            }, afterMs);
            waiting.add(due);
          }
        },
        error: (error: unknown) => {
          drop();
          subscriber.error(error);
        },
        complete: () => {
          drop();
          subscriber.complete();
        },
      });
      return () => {
        upstream.unsubscribe();
        drop();
      };
    });
}
