import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from "rxjs";
import type { Episode } from "../model/anomalies.js";
import type { DrawnType, Tick } from "../model/tick.js";
import type { Rng } from "../random/rng.js";

type Phase = "start" | "act" | "end";

/** An episode's steps in time order: its start, its acts, its end. */
function stepsOf(episodes: readonly Episode[]): Array<{ time: number; episode: Episode; phase: Phase }> {
  const steps = episodes.flatMap((episode) => [
    { time: episode.start, episode, phase: "start" as const },
    ...episode.acts.map((time) => ({ time, episode, phase: "act" as const })),
    { time: episode.end, episode, phase: "end" as const },
  ]);
  // Stable: at one time, steps keep their episode's order (start, acts, end) and the episodes' planned order.
  return steps.sort((a, b) => a.time - b.time);
}

/**
 * Anomalies on purpose, as ticks of their own merged into the source's: each episode starts, acts (a theft, a card
 * try, an extra sale) and ends at its planned times on `scheduler`, whether or not the source ticks then (a quiet
 * night has no ticks, a theft may still happen). Steps due before the first tick happen at once. When the source
 * completes, the steps still to come are dropped and every episode under way ends then, so each has its end and
 * its label.
 *
 * @param episodes planned episodes (`planEpisodes`)
 * @param type the drawn type the anomaly ticks carry (the factory reads their `anomaly`, not their type)
 *
 * @example
 * // an episode from 10 to 30 with acts at 12 and 25 (1 frame = 1 ms); ticks at 0, 20 and 40:
 * // ticks:  t 19ms t 19ms t|
 * // result: t 9ms S 1ms a 7ms t 4ms a 4ms E 9ms t|    (S start, a act, E end)
 */
export function anomalies(
  episodes: readonly Episode[],
  { scheduler, rng, type = "customer_event" }: { scheduler: SchedulerLike; rng: Rng; type?: DrawnType },
): MonoTypeOperatorFunction<Tick> {
  if (episodes.length === 0) return (ticks) => ticks;
  const steps = stepsOf(episodes);
  return (ticks) =>
    new Observable<Tick>((subscriber) => {
      let next = 0;
      const open = new Set<Episode>();
      let pending: Subscription | undefined;
      const step = (episode: Episode, phase: Phase): void => {
        if (phase === "start") open.add(episode);
        if (phase === "end") open.delete(episode);
        subscriber.next({ type, time: scheduler.now(), rng, anomaly: { episode, phase } });
      };
      // Every step due by now, then a wake-up at the next one.
      const due = (): void => {
        pending = undefined;
        const now = scheduler.now();
        for (; next < steps.length && (steps[next] as { time: number }).time <= now; next += 1) {
          const { episode, phase } = steps[next] as { episode: Episode; phase: Phase };
          step(episode, phase);
        }
        if (next < steps.length)
          pending = scheduler.schedule(due, (steps[next] as { time: number }).time - scheduler.now());
      };
      const source = ticks.subscribe({
        next: (tick) => subscriber.next(tick),
        error: (error: unknown) => subscriber.error(error),
        complete() {
          pending?.unsubscribe();
          for (const episode of [...open]) step(episode, "end");
          subscriber.complete();
        },
      });
      if (!subscriber.closed) due();
      return () => {
        pending?.unsubscribe();
        source.unsubscribe();
      };
    });
}
