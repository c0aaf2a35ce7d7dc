import { identity, type MonoTypeOperatorFunction, type SchedulerLike } from "rxjs";
import { isEvent, type OutRecord } from "../wire/envelope.js";
import type { FaultPlan } from "../model/faults.js";
import { duplicates } from "../operators/duplicates.js";
import { late } from "../operators/late.js";
import { malformed } from "../operators/malformed.js";
import { nulls } from "../operators/nulls.js";
import { offlineStore } from "../operators/offlineStore.js";
import { rngOf, type Rng } from "../random/rng.js";

/**
 * A run's faults as one operator over its records: what changes a value
 * (nulls, malformed) first, then what the transport does (an offline store's
 * replay, late records, duplicates). Each fault draws for each record from a
 * generator of its own, derived from the run's seed, the fault and the
 * record's event id: the events are those of the seed without faults, one
 * fault's draws do not move another's, and a record is faulted alike however
 * the run is split into shards.
 *
 * @param plan the faults and their rates
 * @param seed the run's seed
 * @param scheduler the pipeline clock
 */
export function withFaults(
  plan: FaultPlan,
  seed: number,
  scheduler: SchedulerLike,
): MonoTypeOperatorFunction<OutRecord> {
  const rng =
    (kind: string) =>
    (record: OutRecord): Rng =>
      rngOf(seed, `fault ${kind} ${isEvent(record) ? record.value.event_id : record.key}`);
  const steps: Array<MonoTypeOperatorFunction<OutRecord>> = [
    plan.nulls === undefined ? identity : nulls(plan.nulls.p, plan.nulls.fields, { rng: rng("null") }),
    plan.malformed === undefined ? identity : malformed(plan.malformed.p, { rng: rng("malformed") }),
    ...(plan.offline ?? []).map((o) => offlineStore(o.store, { at: o.at, duration: o.duration }, { scheduler })),
    plan.late === undefined ? identity : late(plan.late.p, plan.late.delayMs, { rng: rng("late"), scheduler }),
    plan.duplicate === undefined
      ? identity
      : duplicates(plan.duplicate.p, plan.duplicate.withinMs, { rng: rng("duplicate"), scheduler }),
  ];
  return (records) => steps.reduce((stream, step) => stream.pipe(step), records);
}
