import type { RetailEvent } from "./events.js";

/** One Kafka record (or stdout line): where an event goes and how it is keyed. */
export interface Envelope<E extends RetailEvent = RetailEvent> {
  topic: string;
  key: string;
  /** Epoch milliseconds of the event's `event_time`. */
  timestamp: number;
  headers: { event_type: string; schema_version: string };
  value: E;
}
