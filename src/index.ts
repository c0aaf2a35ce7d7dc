/**
 * retail-stream as a library: the source, its operators, the clock, the sinks.
 *
 * @example
 * import { SimulatedScheduler, SeededRng, drive, readChain, realWall, retailEvents$, stdoutSink, toEnvelope } from "retail-stream";
 * const scheduler = new SimulatedScheduler(Date.UTC(2026, 0, 1));
 * const events$ = retailEvents$({ chain: readChain("data"), rng: new SeededRng(7), scheduler, until: Date.UTC(2026, 0, 2) });
 * await drive(events$.pipe(toEnvelope()), stdoutSink(process.stdout), { scheduler, wall: realWall, fastUntil: Date.UTC(2026, 0, 2) });
 */
export { retailEvents$, drawnWeights, type RetailEventsOptions } from "./streams/retailEvents.js";
export { drive, type DriveOptions } from "./streams/drive.js";
export { shardStores, storeHash, type Shard } from "./streams/shard.js";
export { randomDelay } from "./operators/randomDelay.js";
export { paced } from "./operators/paced.js";
export { chooseType, typeSampler, weightProblems, DEFAULT_WEIGHTS, type Weights } from "./operators/chooseType.js";
export { fanOutSale, saleDecrement } from "./operators/fanOutSale.js";
export { toEnvelope, envelopeOf, DEFAULT_TOPICS } from "./operators/toEnvelope.js";
export { restocks } from "./operators/restocks.js";
export { flashSale, type FlashSale } from "./operators/flashSale.js";
export { storeOutage, within, type Window } from "./operators/storeOutage.js";
export { surge } from "./operators/surge.js";
export type { Clocked } from "./operators/clocked.js";
export { uniformArrivals, poissonArrivals, fixedArrivals, shapedArrivals, type ArrivalModel } from "./model/arrivals.js";
export { chainMultiplier, localMultiplier, curvePeak, curveProblems, type RateCurve } from "./model/rateCurve.js";
export { scenarioOptions, scenarioProblems, type Scenario } from "./model/scenario.js";
export type { Tick, DrawnType } from "./model/tick.js";
export * from "./model/events.js";
export type { Envelope } from "./model/envelope.js";
export { parseChain, type Chain, type Store, type Product } from "./model/chain.js";
export { sampleChain } from "./model/sampleChain.js";
export { SimulatedScheduler } from "./clock/simulatedScheduler.js";
export { Driver, type WallClock, type Backpressure, type DriverOptions } from "./clock/driver.js";
export { SeededRng, fixedRng, deriveSeed, type Rng } from "./random/rng.js";
export { stdoutSink } from "./sinks/stdoutSink.js";
export { kafkaSink, type KafkaSinkSettings } from "./sinks/kafka.js";
export { KafkaSink } from "./sinks/kafkaSink.js";
export type { ProducerLike } from "./sinks/producerLike.js";
export type { Sink, SinkTotals, DeliveryTotals } from "./sinks/sink.js";
export { readChain } from "./cli/data.js";
export { realWall } from "./cli/wall.js";
export { ConfigError, SinkError } from "./errors.js";
