import type { OperatorFunction } from "rxjs";
import { profiledArrivals, shapedArrivals, type ArrivalModel } from "../model/arrivals.js";
import type { Chain } from "../model/chain.js";
import type { StoreWeight } from "../model/factory.js";
import { chainMultiplier, curvePeak, localMultiplier } from "../model/rateCurve.js";
import type { Scenario } from "../model/scenario.js";
import type { RateProfile } from "../model/rateProfile.js";
import type { Tick } from "../model/tick.js";
import { flashSale } from "../operators/flashSale.js";
import { storeOutage } from "../operators/storeOutage.js";
import { surge } from "../operators/surge.js";

/** What a scenario gives `retailEvents$`: its options that shape arrivals, the acting store and the ticks. */
export interface ScenarioOptions {
  arrivals: ArrivalModel;
  storeWeight: StoreWeight;
  scenario: OperatorFunction<Tick, Tick>;
  first: "drawn";
}

/**
 * Turns a scenario (data, already validated) into `retailEvents$` options:
 * arrivals shaped by its curve over `stores`, store weights by local rate, and
 * its flash sales, outages and surges as tick operators.
 *
 * @param scenario the scenario (`loadScenario` reads and validates one)
 * @param chain the chain (a flash sale's share of products comes from it)
 * @param options `rate`: the chain's primary events per minute where the curve is 1 (default the scenario's),
 *   however many shards share them; `profile`: a rate profile instead
 */
export function scenarioOptions(
  scenario: Scenario,
  chain: Chain,
  { rate = scenario.rate, profile }: { rate?: number; profile?: { profile: RateProfile; start: number } } = {},
): ScenarioOptions {
  const stores = chain.stores;
  const minutes = (m: number): number => m * 60_000;
  const operators: Array<OperatorFunction<Tick, Tick>> = [
    ...(scenario.flashSales ?? []).map((f) =>
      flashSale({
        at: Date.parse(f.at),
        duration: minutes(f.durationMinutes),
        category: f.category,
        discount: f.discount,
        demandFactor: f.demandFactor,
        share: chain.products.filter((p) => p.category === f.category).length / chain.products.length,
      }),
    ),
    ...(scenario.outages ?? []).map((o) =>
      storeOutage({ store: o.store, at: Date.parse(o.at), duration: minutes(o.durationMinutes) }),
    ),
    ...(scenario.surges ?? []).map((s) =>
      surge(s.factor, { at: Date.parse(s.at), duration: minutes(s.durationMinutes) }),
    ),
  ];
  return {
    arrivals:
      profile === undefined
        ? shapedArrivals(rate, chainMultiplier(scenario.curve, stores), curvePeak(scenario.curve))
        : profiledArrivals(profile.profile, {
            ...profile,
            shape: { multiplier: chainMultiplier(scenario.curve, stores), peak: curvePeak(scenario.curve) },
          }),
    storeWeight: (store, time) => localMultiplier(scenario.curve, store.timezone, time),
    scenario: (ticks) => operators.reduce((stream, op) => stream.pipe(op), ticks),
    // Even the first event follows the curve: a run that starts at night waits for the morning.
    first: "drawn",
  };
}
