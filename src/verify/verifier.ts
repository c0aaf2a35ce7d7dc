import type { Chain } from "../model/chain.js";
import type { EventType } from "../model/events.js";
import { checkDecrements, checkRestocks } from "./causes.js";
import { Decoder, type ReadEvent } from "./decode.js";
import { CHECKS, Findings, where, type CheckName, type CheckSummary, type RawRecord } from "./findings.js";
import { checkLedger } from "./ledger.js";
import { checkAftercare } from "./aftercare.js";
import { checkPrices } from "./prices.js";
import { checkTruth } from "./truthCheck.js";

/** What `verify` checks against: the topics, the chain and its lead time, and whether the read began at the start of the run. */
export interface VerifyOptions {
  topics: Record<EventType, string>;
  truthTopic: string;
  chain: Chain;
  schemas: Partial<Record<EventType, object>>;
  /** The JSON Schemas of later versions, by number: an event is checked against its own version's. */
  laterSchemas?: Readonly<Record<number, Partial<Record<EventType, object>>>>;
  leadTimeMs: number;
  /** Read from the topics' beginning: every cause and the catalog prices are then known. */
  fromStart: boolean;
}

/** The outcome: one summary per check, the violations, the faults the records declared. */
export interface Verdict {
  records: number;
  summaries: CheckSummary[];
  findings: Findings;
  faults: Map<string, number>;
  malformed: string[];
  /** Records again with an event id already read and a `fault: duplicate` header: counted, left out. */
  duplicates: number;
}

/** Checks the records of a run read back: schemas, ids, decrements, ledger, restocks, prices and the truth. */
export function verify(records: Iterable<RawRecord>, options: VerifyOptions): Verdict {
  const findings = new Findings();
  const decoder = new Decoder(options.topics, options.truthTopic, options.schemas, findings, options.laterSchemas);
  let count = 0;
  for (const record of records) {
    decoder.add(record);
    count += 1;
  }
  const covered = new Map<CheckName, string>();
  covered.set(
    "schema",
    `${decoder.values} values${decoder.malformed.length > 0 ? ` (${decoder.malformed.length} declared malformed)` : ""} valid against their type's JSON Schema`,
  );
  const { unique, duplicates } = dedupe(decoder.events, findings);
  covered.set(
    "event ids",
    `${unique.length} unique${duplicates > 0 ? `, ${duplicates} declared duplicates left out` : ""}`,
  );
  covered.set("decrements", checkDecrements(unique, findings, options.fromStart));
  const ledger = checkLedger(unique, findings);
  covered.set(
    "ledger",
    `${ledger.updates} inventory updates over ${ledger.cells} store × product, adding up and never below 0`,
  );
  covered.set("restocks", checkRestocks(unique, ledger.ordered, findings, options.leadTimeMs, options.fromStart));
  covered.set("prices", checkPrices(unique, options.chain, findings, options.fromStart));
  covered.set("aftercare", checkAftercare(unique, findings, options.fromStart));
  covered.set("truth", checkTruth(decoder.truth, inLedgerOrder(unique, ledger.ordered), options.chain, findings));
  return {
    records: count,
    summaries: CHECKS.map((check) => ({ check, covered: covered.get(check) ?? "", violations: findings.count(check) })),
    findings,
    faults: decoder.faults,
    malformed: decoder.malformed,
    duplicates,
  };
}

/** The first of each event id; a later one is a declared duplicate (left out) or a violation. */
function dedupe(events: readonly ReadEvent[], findings: Findings): { unique: ReadEvent[]; duplicates: number } {
  const first = new Map<string, ReadEvent>();
  const unique: ReadEvent[] = [];
  let duplicates = 0;
  for (const read of events) {
    const prior = first.get(read.event.event_id);
    if (prior === undefined) {
      first.set(read.event.event_id, read);
      unique.push(read);
    } else if (Decoder.isDuplicate(read) && JSON.stringify(read.event) === JSON.stringify(prior.event)) {
      duplicates += 1;
    } else {
      findings.add("event ids", `event_id ${read.event.event_id} again (first at ${where(prior.at)})`, read.at);
    }
  }
  return { unique, duplicates };
}

/** Events by time, updates of one store × product within a millisecond in the order their ledger chains. */
function inLedgerOrder(events: readonly ReadEvent[], ordered: ReadonlyMap<string, ReadEvent[]>): ReadEvent[] {
  const slot = new Map<ReadEvent, number>();
  for (const chain of ordered.values()) {
    for (let i = 0; i < chain.length;) {
      let j = i;
      while (j < chain.length && (chain[j] as ReadEvent).event.event_time === (chain[i] as ReadEvent).event.event_time)
        j += 1;
      const group = chain.slice(i, j);
      const arrivals = group.map((r) => r.arrival).sort((a, b) => a - b);
      group.forEach((read, k) => slot.set(read, arrivals[k] as number));
      i = j;
    }
  }
  const time = (r: ReadEvent): number => Date.parse(r.event.event_time);
  return [...events].sort((a, b) => time(a) - time(b) || (slot.get(a) ?? a.arrival) - (slot.get(b) ?? b.arrival));
}

/** The report: what was checked, faults, the first violations with their offsets, the verdict. */
export function reportLines(verdict: Verdict, shown = 10): string[] {
  const lines = verdict.summaries.map((s) => {
    const explained = verdict.findings.explained.get(s.check) ?? 0;
    const meant = verdict.findings.anomalies.get(s.check) ?? 0;
    const why =
      (explained > 0 ? ` (${explained} explained by records declared malformed)` : "") +
      (meant > 0 ? ` (${meant} in labelled anomalies)` : "");
    return `  ${s.violations === 0 ? "ok  " : "FAIL"} ${s.check.padEnd(10)} ${s.covered}${why}${s.violations > 0 ? `: ${s.violations} violations` : ""}`;
  });
  if (verdict.faults.size > 0) {
    lines.push(
      `  faults declared by the records' headers: ${[...verdict.faults].map(([k, n]) => `${k} ${n}`).join(", ")} (duplicates left out, late events taken in their window)`,
    );
    for (const line of verdict.malformed.slice(0, shown)) lines.push(`    malformed ${line}`);
  }
  const { violations } = verdict.findings;
  if (violations.length > 0)
    lines.push(`  first ${Math.min(shown, violations.length)} of ${violations.length} violations:`);
  for (const v of violations.slice(0, shown))
    lines.push(`    ${v.check}: ${v.message}${v.at === undefined ? "" : ` at ${where(v.at)}`}`);
  lines.push(
    violations.length === 0
      ? `verify: OK — ${verdict.records} records`
      : `verify: FAILED — ${violations.length} violations in ${verdict.records} records`,
  );
  return lines;
}
