import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EVENT_TYPES, SCHEMA_VERSION, type EventType } from "../model/events.js";

/** The JSON Schema (draft 2020-12) of each event type, as shipped in `data/schemas/`. */
export function readSchemas(version = SCHEMA_VERSION): Record<EventType, object> {
  const entries = EVENT_TYPES.map((type) => {
    const file = fileURLToPath(new URL(`../../data/schemas/${type}.v${version}.json`, import.meta.url));
    return [type, JSON.parse(readFileSync(file, "utf8")) as object] as const;
  });
  return Object.fromEntries(entries) as Record<EventType, object>;
}
