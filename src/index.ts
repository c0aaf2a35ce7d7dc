/**
 * retail-stream as a library: the source, its operators, the clock, the sinks.
 * Every name exported here is public and documented at its definition; the
 * rest of `src/` is internal.
 *
 * @example
 * import { SimulatedScheduler, SeededRng, readChain, realWall, retailEvents$, runToSink, stdoutSink, toEnvelope } from "retail-stream";
 * const from = Date.UTC(2026, 0, 1), to = Date.UTC(2026, 0, 2);
 * const scheduler = new SimulatedScheduler(from);
 * const events$ = retailEvents$({ chain: readChain(), rng: new SeededRng(7), scheduler, until: to });
 * await runToSink(events$.pipe(toEnvelope()), stdoutSink(process.stdout), { scheduler, wall: realWall, fastUntil: to });
 */

// The source and running it.
export { retailEvents$, type RetailEventsOptions } from "./streams/retailEvents.js";
export { runToSink, type RunToSinkOptions } from "./app/runToSink.js";
export { scenarioOptions, type ScenarioOptions } from "./streams/scenario.js";
export { withTruth, type TruthOutput } from "./streams/withTruth.js";
export { withFaults } from "./streams/withFaults.js";
export type { Shard } from "./streams/shard.js";

// Operators, one per file, each marble-tested.
export { randomDelay } from "./operators/randomDelay.js";
export { paced } from "./operators/paced.js";
export { chooseType } from "./operators/chooseType.js";
export { fanOutSale, type SaleConsequences } from "./operators/fanOutSale.js";
export { restocks, type RestockConsequences, type RestockOptions } from "./operators/restocks.js";
export { toEnvelope } from "./operators/toEnvelope.js";
export { flashSale, type FlashSale } from "./operators/flashSale.js";
export { storeOutage } from "./operators/storeOutage.js";
export { surge } from "./operators/surge.js";
export { anomalies } from "./operators/anomalies.js";
export { truth, type TruthOptions } from "./operators/truth.js";
export { duplicates } from "./operators/duplicates.js";
export { late } from "./operators/late.js";
export { offlineStore } from "./operators/offlineStore.js";
export { malformed } from "./operators/malformed.js";
export { nulls } from "./operators/nulls.js";
export type { Clocked } from "./operators/clocked.js";

// The model: events, records, the chain, arrivals, scenarios.
export {
  EVENT_TYPES,
  SCHEMA_VERSION,
  SCHEMA_VERSIONS,
  type SchemaVersion,
  PAYMENT_METHODS,
  INVENTORY_REASONS,
  PRICE_REASONS,
  CUSTOMER_ACTIONS,
  PRIORITIES,
  isCaused,
  type EventType,
  type EventOf,
  type RetailEvent,
  type EventBase,
  type PaymentMethod,
  type InventoryReason,
  type PriceChangeReason,
  type CustomerAction,
  type Priority,
  type SaleEvent,
  type InventoryUpdateEvent,
  type PriceChangeEvent,
  type CustomerEvent,
  type RestockAlertEvent,
  WEIGHTED_TYPES,
  type WeightedType,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  DECLINE_REASONS,
  RETURN_REASONS,
  type PaymentEvent,
  type OrderStatusEvent,
  type OrderStatus,
  type ReturnEvent,
  type ReturnReason,
  type DeclineReason,
  type PaymentStatus,
} from "./model/events.js";
export { DEFAULT_AFTERCARE, type AftercareRates, type ChannelRates } from "./model/aftercare.js";
export {
  ANOMALY_KINDS,
  ANOMALY_DEFAULTS,
  planEpisodes,
  type AnomalyKind,
  type AnomalySpec,
  type AnomalyLabel,
  type Episode,
} from "./model/anomalies.js";
export {
  DEFAULT_TOPICS,
  TRUTH_TOPIC,
  REFERENCE_TOPICS,
  cellKey,
  envelopeOf,
  isEvent,
  isTruth,
  isLabel,
  truthRecord,
  labelRecord,
  LABELS_TOPIC,
  type LabelRecord,
  type Envelope,
  type OutRecord,
  type TruthRecord,
  type ReferenceRecord,
  type StoreRow,
  type ProductRow,
} from "./wire/envelope.js";
export { referenceRecords } from "./wire/reference.js";
export { jsonText } from "./wire/jsonValue.js";
export {
  WindowTruth,
  combinedTruth,
  type SalesFigures,
  type WindowFields,
  type TruthRow,
  type StoreTruth,
  type ChannelTruth,
  type ChainTruth,
  type CategoryTruth,
} from "./model/truth.js";
export { FAULT_KINDS, type FaultKind, type FaultPlan } from "./model/faults.js";
export { DEFAULT_WEIGHTS, type Weights } from "./model/weights.js";
export { checkChain, currencyOf, type Chain, type Store, type Product } from "./model/chain.js";
export { sampleChain } from "./model/sampleChain.js";
export {
  uniformArrivals,
  poissonArrivals,
  fixedArrivals,
  shapedArrivals,
  type ArrivalModel,
} from "./model/arrivals.js";
export type { RateCurve } from "./model/rateCurve.js";
export type { Scenario } from "./model/scenario.js";
export type { Tick, DrawnType } from "./model/tick.js";
export type { StoreWeight } from "./model/factory.js";
export type { Window } from "./model/window.js";

// Shipped data: the sample chain, event schemas, built-in scenarios.
export { readChain, SAMPLE_DATA_DIR } from "./data/chainFiles.js";
export { readSchemas } from "./data/schemas.js";
export { loadScenario, builtInScenarios } from "./data/scenarios.js";

// Time and randomness.
export { SimulatedScheduler } from "./clock/simulatedScheduler.js";
export { Driver, type WallClock, type Backpressure, type DriverOptions } from "./clock/driver.js";
export { realWall } from "./clock/realWall.js";
export { SeededRng, deriveSeed, type Rng } from "./random/rng.js";

// Sinks.
export { stdoutSink } from "./sinks/stdoutSink.js";
export { openKafkaSink as connectKafkaSink, type KafkaSinkSettings } from "./sinks/kafka/connectKafkaSink.js";
export type { ProducerSettings } from "./sinks/kafka/kafkaClient.js";
export type { KafkaError, SinkLog } from "./sinks/kafka/producerLike.js";
export type { ProducerLike } from "./sinks/kafka/producerLike.js";
export type { Sink, SinkTotals, DeliveryTotals, Transactional, RunIdentity, CommittedPosition } from "./sinks/sink.js";

export { ConfigError, SinkError } from "./errors.js";
