import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EVENT_TYPES, SCHEMA_VERSION, type EventType } from "../model/events.js";
import { SAMPLE_DATA_DIR } from "./chainFiles.js";

/** The JSON Schema (draft 2020-12) of each event type, as shipped in `data/schemas/`. */
export function readSchemas(version = SCHEMA_VERSION): Record<EventType, object> {
  const entries = EVENT_TYPES.map((type) => [type, JSON.parse(readFileSync(join(SAMPLE_DATA_DIR, "schemas", `${type}.v${version}.json`), "utf8")) as object] as const);
  return Object.fromEntries(entries) as Record<EventType, object>;
}
