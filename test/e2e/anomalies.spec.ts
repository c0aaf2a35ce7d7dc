import { expect } from "chai";
import { jsonLines, requireBuild, runCli } from "../support/cli.js";
import { BROKERS, consumeText, freshTopics, totalsOf } from "../support/kafka.js";

const RUN = ["--from", "2026-11-02T00:00:00Z", "--to", "2026-11-04T00:00:00Z", "--seed", "29", "--log-level", "warn"];

interface Line {
  topic: string;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  value: { label_id: string; event_ids: string[] };
}

describe("anomaly labels into the real broker", function () {
  this.timeout(240_000);
  before(requireBuild);

  it("should write each label to the labels topic after the prefix, as stdout has it, and verify should count them as meant", async () => {
    const { args } = freshTopics("e2e-anomalies");
    const prefix = args[args.indexOf("--topic-prefix") + 1] as string;
    const scenario = ["--scenario", "examples/anomalies.json", "--truth"];
    const run = runCli([...RUN, ...scenario, "--brokers", BROKERS, "--topic-config", "retention.ms=-1", ...args]);
    expect(run.status, run.stderr).to.equal(0);
    expect(totalsOf(run.stderr).failed).to.equal(0);
    const stdout = jsonLines<Line>(runCli([...RUN, ...scenario, "--sink", "stdout", ...args]).stdout);
    const expected = stdout.filter((l) => l.headers.event_type === "label");
    expect(expected.length).to.be.greaterThan(5);
    expect(expected.every((l) => l.topic === `${prefix}retail-anomaly-labels`)).to.equal(true);

    const read = await consumeText([`${prefix}retail-anomaly-labels`]);
    expect(read.map((r) => [r.key, r.timestamp, JSON.parse(r.text) as unknown]).sort()).to.deep.equal(
      expected.map((l) => [l.key, l.timestamp, l.value as unknown]).sort(),
    );
    expect(read.every((r) => r.headers.event_type === "label")).to.equal(true);

    const verified = runCli(["verify", "--brokers", BROKERS, ...args], { timeout: 120_000 });
    expect(verified.status, verified.stdout + verified.stderr).to.equal(0);
    expect(verified.stdout).to.match(/ok {3}prices .*\(\d+ in labelled anomalies\)/);
  });
});
