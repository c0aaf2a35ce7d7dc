import {
  BehaviorSubject,
  connect,
  endWith,
  identity,
  ignoreElements,
  switchMap,
  takeUntil,
  type OperatorFunction,
} from "rxjs";
import type { ArrivalModel } from "../model/arrivals.js";
import { SCHEMA_VERSION, type SchemaVersion } from "../model/events.js";
import type { StoreWeight } from "../model/factory.js";
import type { Tick } from "../model/tick.js";
import { drawnWeights, type Weights } from "../model/weights.js";
import type { ScenarioOptions } from "./scenario.js";

/** What a run is steered by now: its rate (× what it started with), its mix, its scenario. */
export interface SteeringState {
  /** Primary events per minute now (undefined when the arrivals have no finite rate: gaps of 0). */
  ratePerMinute?: number;
  rateFactor: number;
  weights: Weights;
  scenario?: string;
  /** The schema version events are made in now. */
  schemaVersion: SchemaVersion;
}

/**
 * Controls a running `retailEvents$` from outside (the live `/control`): the
 * primary rate (gaps divided by a factor), the mix of drawn types, and the
 * scenario (its arrivals, store weights and happenings). Hand `options()` to
 * `retailEvents$`; at factor 1, the starting mix and scenario, the stream is
 * exactly the one the options alone make. A change applies from the next primary event on.
 */
export class Steering {
  private factor = 1;
  private weightsNow: Weights;
  private drawn: Weights;
  private arrivalsNow: ArrivalModel;
  private storeWeightNow: StoreWeight | undefined;
  private scenarioName: string | undefined;
  private readonly happenings: BehaviorSubject<OperatorFunction<Tick, Tick>>;
  /** The version by simulated time (a scenario's rollouts), until /control sets one. */
  private version: (time: number) => SchemaVersion;
  private lastVersion: SchemaVersion;

  constructor(start: {
    arrivals: ArrivalModel;
    weights: Weights;
    storeWeight?: StoreWeight;
    scenario?: OperatorFunction<Tick, Tick>;
    scenarioName?: string;
    schemaVersion?: SchemaVersion | ((time: number) => SchemaVersion);
  }) {
    const given = start.schemaVersion ?? SCHEMA_VERSION;
    this.version = typeof given === "function" ? given : () => given;
    this.lastVersion = typeof given === "function" ? SCHEMA_VERSION : given;
    this.arrivalsNow = start.arrivals;
    this.weightsNow = start.weights;
    this.drawn = drawnWeights(start.weights);
    this.storeWeightNow = start.storeWeight;
    this.scenarioName = start.scenarioName;
    this.happenings = new BehaviorSubject(start.scenario ?? identity);
  }

  /** The options of `retailEvents$` that follow these controls. */
  options(): {
    arrivals: ArrivalModel;
    storeWeight: StoreWeight;
    scenario: OperatorFunction<Tick, Tick>;
    drawWeights: () => Weights;
    schemaVersion: (time: number) => SchemaVersion;
  } {
    const arrivals = Object.assign(
      (rng: Parameters<ArrivalModel>[0], now: number) => Math.round(this.arrivalsNow(rng, now) / this.factor),
      { perDay: this.arrivalsNow.perDay },
    );
    // Weight 1 everywhere is what no store weight means.
    const storeWeight: StoreWeight = (store, time) =>
      this.storeWeightNow === undefined ? 1 : this.storeWeightNow(store, time);
    const happenings = this.happenings;
    // The scenario's tick operators, swapped when the scenario is; done when the ticks are.
    const scenario: OperatorFunction<Tick, Tick> = connect((ticks) =>
      happenings.pipe(
        takeUntil(ticks.pipe(ignoreElements(), endWith(true))),
        switchMap((op) => ticks.pipe(op)),
      ),
    );
    return {
      arrivals,
      storeWeight,
      scenario,
      drawWeights: () => this.drawn,
      schemaVersion: (time: number) => (this.lastVersion = this.version(time)),
    };
  }

  get state(): SteeringState {
    const perDay = this.arrivalsNow.perDay;
    const ratePerMinute = perDay !== undefined && Number.isFinite(perDay) ? (perDay / 1440) * this.factor : undefined;
    return {
      ratePerMinute,
      rateFactor: this.factor,
      weights: { ...this.weightsNow },
      scenario: this.scenarioName,
      schemaVersion: this.lastVersion,
    };
  }

  /** Primary events per minute from now on; a `RangeError` when these arrivals have no rate to scale. */
  setRate(perMinute: number): void {
    const perDay = this.arrivalsNow.perDay;
    if (perDay === undefined || !Number.isFinite(perDay) || perDay <= 0)
      throw new RangeError("this run's arrivals have no finite rate to change (gaps of 0)");
    this.factor = perMinute / (perDay / 1440);
  }

  /** Events in another schema version from the next primary event on (a live rollout, or a rollback). */
  setSchemaVersion(version: SchemaVersion): void {
    this.version = () => version;
    this.lastVersion = version;
  }

  setWeights(weights: Weights): void {
    this.weightsNow = weights;
    this.drawn = drawnWeights(weights);
  }

  /** Another scenario from now on: its arrivals (at the rate factor in force), store weights and happenings. */
  setScenario(name: string, options: ScenarioOptions): void {
    this.scenarioName = name;
    this.arrivalsNow = options.arrivals;
    this.storeWeightNow = options.storeWeight;
    this.happenings.next(options.scenario);
  }
}
