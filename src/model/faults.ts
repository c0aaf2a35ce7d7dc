import type { RetailEvent } from "./events.js";

/** What a faulted record says it is, in its `fault` header. */
export const FAULT_KINDS = ["duplicate", "late", "offline-replay", "malformed", "null"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How a malformed record is broken: its value is not JSON, lacks a required field, or has a field of the wrong type. */
export const MALFORMATIONS = ["invalid-json", "missing-field", "wrong-type"] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

/** The faults of a run, resolved (times in epoch ms, spans in ms). */
export interface FaultPlan {
  /** Each record produced again, within `withinMs` of the first. */
  duplicate?: { p: number; withinMs: number };
  /** Each record held back up to `delayMs`, produced after later ones with its own event time. */
  late?: { p: number; delayMs: number };
  malformed?: { p: number };
  /** Each record's optional `fields` (of those it has) set to null. */
  nulls?: { p: number; fields: readonly string[] };
  /** A store's tills offline for a span: its records kept and replayed, in order, at reconnection. */
  offline?: ReadonlyArray<{ store: string; at: number; duration: number }>;
}

/** The fields `nulls` can null: those some event may go without. */
export const NULLABLE: readonly string[] = ["source_event_id"];

/**
 * The fields an event may go without: those its schema does not require (a sale's decrement must name its sale,
 * and a return's or a cancel's restock the return or order change that made it; a receipt may leave its alert out).
 */
export function optionalFields(event: RetailEvent): string[] {
  if (event.event_type === "inventory_update" && event.reason === "receipt" && event.source_event_id !== undefined)
    return ["source_event_id"];
  return [];
}

/** The faults a `fault` header lists. */
export function faultsOf(header: string | undefined): string[] {
  return header === undefined ? [] : header.split(",");
}

/**
 * The text of a malformed value: cut short (not JSON), without a required
 * field, or with a field of the wrong type; `pick` draws the field.
 */
export function malform(
  event: RetailEvent,
  how: Malformation,
  pick: (n: number) => number,
): { raw: string; detail: string } {
  const optional = optionalFields(event);
  const fields = Object.keys(event).filter((f) => f !== "event_type" && !optional.includes(f));
  const field = fields[pick(fields.length)] as string;
  if (how === "invalid-json") {
    const text = JSON.stringify(event);
    return { raw: text.slice(0, Math.max(1, Math.floor(text.length / 2))), detail: "invalid-json" };
  }
  const broken: Record<string, unknown> = { ...event };
  if (how === "missing-field") {
    delete broken[field];
    return { raw: JSON.stringify(broken), detail: `missing-field:${field}` };
  }
  broken[field] = typeof broken[field] === "string" ? 12345 : "not-a-number";
  return { raw: JSON.stringify(broken), detail: `wrong-type:${field}` };
}
