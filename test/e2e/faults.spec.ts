import { expect } from "chai";
import type { RetailEvent } from "../../src/model/events.js";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";
import { BROKERS, consumeText, freshTopics, totalsOf, type RawConsumed, referenceRecords } from "../support/kafka.js";

interface Line {
  topic: string;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  value: RetailEvent;
}

const RUN = ["--from", "2026-11-02T00:00:00Z", "--to", "2026-11-03T00:00:00Z", "--seed", "23", "--log-level", "warn"];
const FAULTS = "duplicate=0.02,late=0.03:10m,malformed=0.005,nulls=0.3,offline=S003@2026-11-02T15:00:00Z+90m";
const faultsOf = (r: RawConsumed): string[] => r.headers.fault?.split(",") ?? [];
const place = (r: { topic: string; key: string; timestamp: number }): string => `${r.topic} ${r.key} ${r.timestamp}`;

describe("faults into the real broker", function () {
  this.timeout(240_000);
  before(requireBuild);

  it("should leave records whose headers account for every deviation from the unfaulted stream of the seed, and that verify passes", async () => {
    const { args, names } = freshTopics("e2e-faults");
    // The day is weeks old: the topics keep it past Kafka's default retention of 7 days (by record time).
    const run = runCli([
      ...RUN,
      "--brokers",
      BROKERS,
      "--partitions",
      "3",
      "--topic-config",
      "retention.ms=-1",
      "--faults",
      FAULTS,
      ...args,
    ]);
    expect(run.status, run.stderr).to.equal(0);
    const totals = totalsOf(run.stderr);
    expect(totals.failed).to.equal(0);
    const reference = jsonLines<Line>(runCli([...RUN, "--sink", "stdout", ...args]).stdout);
    const read = await consumeText(Object.values(names));
    expect(read).to.have.length(totals.delivered - referenceRecords());

    const expected = new Map(reference.map((l) => [l.value.event_id, l]));
    const byPlace = new Map<string, Line[]>();
    for (const l of reference) byPlace.set(place(l), [...(byPlace.get(place(l)) ?? []), l]);
    const accounted = new Map<string, number>();
    for (const r of read) {
      const faults = faultsOf(r);
      if (faults.includes("malformed")) {
        // Unreadable on purpose: it stands for a reference record at its place (topic, key, time).
        expect(byPlace.get(place(r)), place(r)).to.not.equal(undefined);
        continue;
      }
      const value = JSON.parse(r.text) as Record<string, unknown>;
      const original = expected.get(value.event_id as string) as Line;
      expect(original, `record ${String(value.event_id)} is of the reference stream`).to.not.equal(undefined);
      expect(place(r)).to.equal(place(original));
      if (faults.includes("null")) {
        for (const field of (r.headers.fault_detail ?? "").split(",")) {
          expect(value[field]).to.equal(null);
          value[field] = (original.value as unknown as Record<string, unknown>)[field];
        }
      }
      // Anything else about it is as in the reference: the value (nulls restored) and the headers but the fault's.
      expect(value).to.deep.equal(original.value);
      expect({ ...r.headers, fault: undefined, fault_detail: undefined }).to.deep.equal({
        ...original.headers,
        fault: undefined,
        fault_detail: undefined,
      });
      if (!faults.includes("duplicate"))
        accounted.set(original.value.event_id, (accounted.get(original.value.event_id) ?? 0) + 1);
    }
    // Every reference record was read once (or stood for by a malformed record), and the copies are exactly the duplicates.
    const malformed = read.filter(
      (r) => faultsOf(r).includes("malformed") && !faultsOf(r).includes("duplicate"),
    ).length;
    expect([...accounted.values()].every((n) => n === 1)).to.equal(true);
    expect(accounted.size + malformed).to.equal(reference.length);
    expect(read.length).to.equal(reference.length + read.filter((r) => faultsOf(r).includes("duplicate")).length);
    // Per partition, what no fault moved comes in the reference order.
    const order = new Map(reference.map((l, i) => [place(l) + l.value.event_id, i]));
    const partitions = new Map<string, number[]>();
    for (const r of read.filter((x) => faultsOf(x).length === 0)) {
      const id = (JSON.parse(r.text) as { event_id: string }).event_id;
      partitions.set(`${r.topic}/${r.partition}`, [
        ...(partitions.get(`${r.topic}/${r.partition}`) ?? []),
        order.get(place(r) + id) as number,
      ]);
    }
    for (const [partition, positions] of partitions)
      expect(
        positions.every((p, i) => i === 0 || p > (positions[i - 1] as number)),
        partition,
      ).to.equal(true);
    for (const kind of ["duplicate", "late", "malformed", "null", "offline-replay"])
      expect(
        read.some((r) => faultsOf(r).includes(kind)),
        kind,
      ).to.equal(true);

    const verified = runCli(["verify", "--brokers", BROKERS, ...args], { timeout: 120_000 });
    expect(verified.status, verified.stdout + verified.stderr).to.equal(0);
    expect(verified.stdout).to.match(/faults declared by the records' headers: .*duplicate \d+/);
    expect(verified.stdout).to.match(/declared duplicates left out/);
    expect(verified.stdout).to.match(/malformed e2e-faults-\w+-\w+\/\d@\d+: /);
  });
});
