import type { OutRecord } from "./envelope.js";

/** A record's value as JSON bytes (a malformed record's raw text as it is). */
export const jsonValue = (record: OutRecord): Buffer => Buffer.from("raw" in record && record.raw !== undefined ? record.raw : JSON.stringify(record.value));
