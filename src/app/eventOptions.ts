import type winston from "winston";
import { writesRowChanges } from "../config/runConfig.js";
import type { Scenario } from "../model/scenario.js";
import { loadScenario } from "../data/scenarios.js";
import { ConfigError } from "../errors.js";
import { fixedArrivals, poissonArrivals, profiledArrivals } from "../model/arrivals.js";
import { parseRateProfile, type RateProfile } from "../model/rateProfile.js";
import type { Chain } from "../model/chain.js";
import { datedFor, outsideSpan, returnFactorOf, scenarioFaults, schemaVersionAt } from "../model/scenario.js";
import { planEpisodes } from "../model/anomalies.js";
import { DEFAULT_AFTERCARE, type AftercareRates } from "../model/aftercare.js";
import type { FaultPlan } from "../model/faults.js";
import { SeededRng } from "../random/rng.js";
import type { RetailEventsOptions } from "../streams/retailEvents.js";
import { scenarioOptions } from "../streams/scenario.js";
import { shardStores } from "../streams/shard.js";
import type { RunConfig } from "../config/runConfig.js";

/** The source's options, and the faults of the run (its scenario's, overridden kind by kind by `--faults`). */
/** The source's options, with the run's faults and the scenario they came from (its content shapes the stream). */
export type EventOptions = Omit<RetailEventsOptions, "scheduler"> & { faults?: FaultPlan; scenarioData?: Scenario };

/** The source's options for a run: timing, arrivals or scenario, shard, seed, faults. Bad input is found here, before any sink opens. */
export async function eventOptions(config: RunConfig, chain: Chain, log: winston.Logger): Promise<EventOptions> {
  const stores = new Set(chain.stores.map((s) => s.store_id));
  const unknown = (config.faults?.offline ?? []).filter((o) => !stores.has(o.store)).map((o) => o.store);
  if (unknown.length > 0)
    throw new ConfigError([`--faults: offline store ${unknown.join(", ")} is not a store of the chain`]);
  if (shardStores(chain.stores, config.shard).length === 0 && config.shard !== undefined) {
    throw new ConfigError([
      `--shard ${config.shard.index}/${config.shard.count}: no store of the chain's ${chain.stores.length} falls in this shard; use fewer shards`,
    ]);
  }
  // Every shard draws the one skeleton from the run's seed, and makes its stores' part of the one stream.
  const base = {
    chain,
    rng: new SeededRng(config.seed),
    minDelayMs: config.minDelayMs,
    maxDelayMs: config.maxDelayMs,
    weights: config.weights,
    count: config.count,
    until: config.end,
    leadTimeMs: config.leadTimeMs,
    shard: config.shard,
    schemaVersion: config.schemaVersion,
    aftercare: aftercareOf(config),
  };
  if (config.scenario !== undefined) {
    // Built-in scenarios are dated by days of the run (day+0 is its first): placed on this run's days.
    const scenario = datedFor(await loadScenario(config.scenario, chain), config.start);
    if (scenario.faults !== undefined && writesRowChanges(config)) {
      throw new ConfigError([
        `--scenario ${config.scenario} has faults, and --format ${config.kafka.format} writes the database's row changes, which faults on the wire do not change: drop one of them`,
      ]);
    }
    // Happenings outside the run are skipped (those over before it starts never fire): said, whether the run has an end or not.
    for (const warning of outsideSpan(scenario, config.start, config.end ?? Number.POSITIVE_INFINITY))
      log.warn(`--scenario ${config.scenario}: ${warning}; skipped`);
    const faults = { ...scenarioFaults(scenario), ...definedOf(config.faults) };
    const schemaVersion =
      scenario.schemaVersions === undefined ? config.schemaVersion : schemaVersionAt(scenario, config.schemaVersion);
    return {
      ...base,
      ...scenarioOptions(scenario, chain, {
        rate: config.rate,
        profile: profileOf(config.rateProfile ?? scenarioProfile(scenario), config),
      }),
      faults,
      scenarioData: scenario,
      schemaVersion,
      aftercare: aftercareOf(config, scenario),
      returnFactor: returnFactorOf(scenario),
      ...(scenario.anomalies === undefined
        ? {}
        : {
            // Planned from the seed over the run's span (a year for a run without an end), alike in every shard.
            anomalies: planEpisodes(scenario.anomalies, chain, {
              seed: config.seed,
              from: config.start,
              to: config.end ?? config.start + 366 * 86_400_000,
            }),
          }),
    };
  }
  const withFaults = { ...base, faults: config.faults };
  if (config.rateProfile !== undefined)
    return { ...withFaults, arrivals: profiledArrivals(config.rateProfile, { start: config.start }) };
  if (config.arrivals === "poisson") return { ...withFaults, arrivals: poissonArrivals(config.rate as number) };
  if (config.arrivals === "fixed") return { ...withFaults, arrivals: fixedArrivals(60_000 / (config.rate as number)) };
  return withFaults;
}

/** The after-sale rates: the defaults, a scenario's return rates over them, the flags (`--return-rate`, `--decline-rate`) over both. */
function aftercareOf(config: RunConfig, scenario?: Scenario): AftercareRates {
  return {
    returns: { ...DEFAULT_AFTERCARE.returns, ...scenario?.returnRates, ...config.aftercare?.returns },
    declines: { ...DEFAULT_AFTERCARE.declines, ...config.aftercare?.declines },
    retry: DEFAULT_AFTERCARE.retry,
  };
}

/** The kinds a plan sets (an absent kind leaves the scenario's). */
function definedOf(plan: FaultPlan | undefined): FaultPlan {
  return Object.fromEntries(Object.entries(plan ?? {}).filter(([, v]) => v !== undefined)) as FaultPlan;
}

/** A scenario's own rate profile (checked when it was loaded). */
function scenarioProfile(scenario: Scenario): RateProfile | undefined {
  if (scenario.rateProfile === undefined) return undefined;
  const profile = parseRateProfile(scenario.rateProfile);
  return typeof profile === "string" ? undefined : profile;
}

/** Where a profile's time starts: the run's start. */
function profileOf(
  profile: RateProfile | undefined,
  config: RunConfig,
): { profile: RateProfile; start: number } | undefined {
  return profile === undefined ? undefined : { profile, start: config.start };
}
