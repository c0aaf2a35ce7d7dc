import { expect } from "chai";
import { requireBuild, runCli } from "../support/cli.js";
import { BROKERS, consumeAll, freshTopics, totalsOf, referenceRecords } from "../support/kafka.js";

describe("Backfill into Kafka", () => {
  before(requireBuild);

  it("should backfill one day with Kafka timestamps equal to the historical event times", async () => {
    const { args, names } = freshTopics("e2e-day");
    const from = Date.UTC(2026, 0, 1);
    const to = Date.UTC(2026, 0, 2);
    const result = runCli([
      "--from",
      new Date(from).toISOString(),
      "--to",
      new Date(to).toISOString(),
      "--seed",
      "7",
      "--brokers",
      BROKERS,
      "--log-level",
      "warn",
      ...args,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const totals = totalsOf(result.stderr);
    // One primary event per 10–60 s over 86,400 s.
    expect(totals.primary).to.be.within(86_400 / 60, 86_400 / 10);
    expect(totals.failed).to.equal(0);
    const consumed = await consumeAll(Object.values(names));
    expect(consumed).to.have.length(totals.delivered - referenceRecords());
    for (const m of consumed) {
      expect(m.timestamp).to.equal(Date.parse(m.value.event_time));
      expect(m.timestamp).to.be.at.least(from).and.below(to);
    }
  });
});
