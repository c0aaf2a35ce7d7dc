// Faults on records: the headers that say a record was faulted, and what a record is about.
import type { FaultKind } from "../model/faults.js";
import type { Envelope, OutRecord } from "./envelope.js";

/**
 * A record marked with its fault (and how, for a malformed or nulled one) in
 * its headers; a record faulted twice (a late copy of a malformed record) lists both, `malformed,late`.
 */
export function marked<R extends OutRecord>(record: R, fault: FaultKind, detail?: string): R {
  const faults = record.headers.fault === undefined ? fault : `${record.headers.fault},${fault}`;
  return {
    ...record,
    headers: { ...record.headers, fault: faults, ...(detail === undefined ? {} : { fault_detail: detail }) },
  };
}

/** The store a record is about, if any (truth rows are about none). */
export function storeOf(record: OutRecord): string | undefined {
  return record.headers.event_type === "truth" ? undefined : (record as Envelope).value.store_id;
}
