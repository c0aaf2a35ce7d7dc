import { profileOfValue } from "../model/profiles.js";
import type { OutRecord } from "./envelope.js";

/** The money fields of events and reference rows (at the top level of a value): version 3's payments, orders and refunds too. */
export const MONEY_FIELDS = [
  "unit_price",
  "total_amount",
  "old_price",
  "new_price",
  "base_price",
  "amount",
  "order_total",
  "refund_amount",
] as const;

/**
 * The money fields each event type has, so its values are not asked for the others (a test holds this to the events
 * made); a value of any other kind (truth, reference rows, labels, row changes) is asked for them all.
 */
export const MONEY_OF_TYPE: ReadonlyMap<string, readonly (typeof MONEY_FIELDS)[number][]> = new Map([
  ["sale", ["unit_price", "total_amount"]],
  ["price_change", ["old_price", "new_price"]],
  ["payment", ["amount"]],
  ["order_status", ["order_total", "refund_amount"]],
  ["return", ["unit_price", "refund_amount"]],
  ["inventory_update", []],
  ["customer_event", []],
  ["restock_alert", []],
]);

/**
 * The money fields of version 2 events and reference rows whose number has fewer than two decimals (`24`, `9.9`).
 * Amounts are whole cents, so JSON writes at most two; those with two are left as they are, unvisited.
 */
const SHORT_MONEY = new RegExp(`"(?:${MONEY_FIELDS.join("|")})":-?\\d+(\\.\\d)?(?=[,}])`, "g");

/**
 * An event or row as JSON text; from schema version 2 on, every amount's text is
 * the exact amount with two decimals (`24.00`, not `24`), so a decimal column
 * reads it as written. Amounts are whole cents, so the fixed text is exact.
 */
export function jsonText(value: object): string {
  return exactText(JSON.stringify(value), value);
}

/** `text` (JSON holding `value` at its top level or as an envelope's) with `value`'s amounts to the cent, where they need it. */
function exactText(text: string, value: object): string {
  const version = (value as { schema_version?: number }).schema_version;
  return profileOfValue(version).moneyText === "exact" && hasShortAmount(value as Readonly<Record<string, unknown>>)
    ? moneyText(text, version)
    : text;
}

/** The JSON of headers objects that cannot change (those envelopes share, one per event type and version). */
const headerTexts = new WeakMap<object, string>();

/** Headers as JSON: a shared, frozen object's text is made once. */
function headersText(headers: object): string {
  const known = headerTexts.get(headers);
  if (known !== undefined) return known;
  const text = JSON.stringify(headers);
  if (Object.isFrozen(headers)) headerTexts.set(headers, text);
  return text;
}

/** A record as one JSON line's text (topic, key, timestamp, headers, value), its value's amounts to the cent. */
export function envelopeText(record: OutRecord): string {
  const { key, timestamp } = record;
  // What JSON.stringify writes of the record (its fields in this order), the headers' text not made again for every
  // record: a third of the line's cost. A record unlike that (a raw value, a key or time JSON would leave out) as it is.
  const text =
    typeof key === "string" && Number.isFinite(timestamp) && !("raw" in record)
      ? `{"topic":${JSON.stringify(record.topic)},"key":${JSON.stringify(key)},"timestamp":${timestamp},"headers":${headersText(record.headers)},"value":${JSON.stringify(record.value)}}`
      : JSON.stringify(record);
  return exactText(text, record.value);
}

/**
 * Whether JSON writes one of the value's amounts with fewer than two decimals (whole cents ending in 0: `24`, `9.9`);
 * most values have no amount or none such, and skip the search of their text.
 */
function hasShortAmount(value: Readonly<Record<string, unknown>>): boolean {
  const type = value.event_type;
  const fields = (typeof type === "string" ? MONEY_OF_TYPE.get(type) : undefined) ?? MONEY_FIELDS;
  for (const field of fields) {
    const amount = value[field];
    if (typeof amount === "number" && Math.round(amount * 100) % 10 === 0) return true;
  }
  return false;
}

/** JSON text with its amounts written to the cent when `version`'s profile says money is exact. */
export function moneyText(text: string, version: number | undefined): string {
  return profileOfValue(version).moneyText === "exact"
    ? text.replace(SHORT_MONEY, (amount: string, tenths: string | undefined) =>
        tenths === undefined ? `${amount}.00` : `${amount}0`,
      )
    : text;
}

/** A record's value as JSON bytes (a malformed record's raw text as it is). */
export const jsonValue = (record: OutRecord): Buffer =>
  Buffer.from("raw" in record && record.raw !== undefined ? record.raw : jsonText(record.value));
