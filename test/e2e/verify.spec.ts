import { expect } from "chai";
import { requireBuild, runCli } from "../support/cli.js";
import {
  BROKERS,
  createTopics,
  freshTopics,
  produceRecords,
  totalsOf,
  type Written,
  referenceRecords,
} from "../support/kafka.js";

interface Line {
  topic: string;
  key: string;
  timestamp: number;
  headers: Record<string, string>;
  value: Record<string, unknown>;
}

const DAY = [
  "--from",
  "2026-11-02T00:00:00Z",
  "--to",
  "2026-11-03T00:00:00Z",
  "--seed",
  "31",
  "--truth",
  "--log-level",
  "warn",
];

/** Fresh topics for the events and the truth, and `verify` pointed at them. */
function topics(tag: string): {
  args: string[];
  names: Record<string, string>;
  truth: string;
  verify: (extra?: string[]) => ReturnType<typeof runCli>;
} {
  const { args, names } = freshTopics(tag);
  const truth = `${names.sale}-truth`;
  return {
    args: [...args, "--truth-topic", truth],
    names,
    truth,
    verify: (extra = []) =>
      runCli(["verify", "--brokers", BROKERS, ...args, "--truth-topic", truth, "--log-level", "info", ...extra], {
        timeout: 120_000,
      }),
  };
}

describe("verify against the real broker", function () {
  this.timeout(240_000);
  before(requireBuild);

  it("should pass a clean run read back from three partitions, having read every record the run delivered", () => {
    const t = topics("e2e-verify");
    const run = runCli([...DAY, "--brokers", BROKERS, "--partitions", "3", ...t.args]);
    expect(run.status, run.stderr).to.equal(0);
    const result = t.verify();
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.include(`verify: OK — ${totalsOf(run.stderr).delivered - referenceRecords()} records`);
    expect(result.stdout).to.match(/ok {3}truth {6}\d+ truth rows over 24 windows/);
    expect(result.stderr).to.match(/read \d+ records \(read_committed\)/);
  });

  it("should pass a transactional run, reading past its commit markers to the end", () => {
    const t = topics("e2e-verify-tx");
    const run = runCli([...DAY, "--brokers", BROKERS, "--transactional-id", `verify-${t.truth}`, ...t.args]);
    expect(run.status, run.stderr).to.equal(0);
    const result = t.verify();
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.include(`verify: OK — ${totalsOf(run.stderr).delivered - referenceRecords()} records`);
  });

  it("should fail, naming each with its offset, when another producer wrote the run with a sale dropped, one duplicated and one altered", async () => {
    const t = topics("e2e-verify-bad");
    const reference = runCli([...DAY, "--sink", "stdout", ...t.args]);
    expect(reference.status, reference.stderr).to.equal(0);
    const lines = reference.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Line);
    const sales = lines.flatMap((l, i) => (l.topic === t.names.sale ? [i] : []));
    const [dropped, duplicated, altered] = [sales[100], sales[200], sales[300]] as [number, number, number];
    const records: Written[] = [];
    lines.forEach((line, i) => {
      if (i === dropped) return;
      const value =
        i === altered
          ? {
              ...line.value,
              quantity: (line.value.quantity as number) + 1,
              total_amount:
                Math.round(((line.value.quantity as number) + 1) * (line.value.unit_price as number) * 100) / 100,
            }
          : line.value;
      const record = {
        topic: line.topic,
        key: line.key,
        timestamp: line.timestamp,
        headers: line.headers,
        value: JSON.stringify(value),
      };
      records.push(record);
      if (i === duplicated) records.push(record);
    });
    await createTopics([...Object.values(t.names), t.truth], BROKERS);
    await produceRecords(records);
    const result = t.verify(["--show", "20"]);
    expect(result.status, result.stdout + result.stderr).to.equal(1);
    const id = (i: number): string => (lines[i] as Line).value.event_id as string;
    expect(result.stdout).to.match(
      new RegExp(
        `event ids: event_id ${id(duplicated)} again \\(first at ${t.names.sale}/\\d@\\d+\\) at ${t.names.sale}/\\d@\\d+`,
      ),
    );
    expect(result.stdout).to.match(
      new RegExp(
        `decrements: decrement of sale ${id(dropped)}, which was not read at ${t.names.inventory_update}/\\d@\\d+`,
      ),
    );
    expect(result.stdout).to.match(
      new RegExp(`decrements: decrement \\S+ of sale ${id(altered)} is .* -\\d+ at .*; the sale is .* ×\\d+ at`),
    );
    expect(result.stdout).to.match(/truth: .*units \d+≠\d+/);
    expect(result.stdout).to.match(/verify: FAILED — \d+ violations in \d+ records/);
  });
});
