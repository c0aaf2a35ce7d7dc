import type winston from "winston";
import { SinkError } from "../errors.js";
import type { Sink } from "../sinks/sink.js";
import type { RunConfig } from "./config.js";

/** Connects the Kafka sink for a run. */
export async function openKafka(_config: RunConfig, _log: winston.Logger): Promise<Sink> {
  throw new SinkError("the Kafka sink is not built yet; use --sink stdout");
}
