import type { Rng } from "../random/rng.js";
import type { WeightedType } from "./events.js";
import type { Episode } from "./anomalies.js";

/** The primary event types a tick can ask for (restock alerts are caused, never drawn). */
export type DrawnType = Exclude<WeightedType, "restock_alert">;

/**
 * One primary tick of the source, before it becomes events: scenario operators
 * (`flashSale`, `storeOutage`, `surge`) reshape the stream of ticks.
 */
export interface Tick {
  type: DrawnType;
  /** Simulated time (epoch ms). */
  time: number;
  /** The run's generator, for operators that draw. */
  rng: Rng;
  /** Stores that do nothing in this tick (an outage). */
  closed?: ReadonlySet<string>;
  /** A sale restricted to this category (extra demand). */
  category?: string;
  /** Reprice a category in every open store: a flash sale starts (discount) or ends (restore). */
  reprice?: { id: string; category: string; discount: number; phase: "start" | "end" };
  /** An anomaly on purpose: its episode starts, acts once (a theft, a card try, an extra sale) or ends. */
  anomaly?: { episode: Episode; phase: "start" | "act" | "end" };
}
