import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, requireBuild } from "../support/cli.js";
import { expectOneStream, runCliAsync } from "../support/shards.js";

/** The one-process run of `args`, then its `--shard i/N` runs for each N, two at a time; each N's records held against the one process's. */
async function holdsSplit(args: string[], counts: readonly number[]): Promise<void> {
  const one = await runCliAsync([...args, "--log-level", "warn"]);
  expect(one.status, one.stderr).to.equal(0);
  for (const count of counts) {
    const shards = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        runCliAsync([...args, "--shard", `${i}/${count}`, "--log-level", "warn"]),
      ),
    );
    for (const shard of shards) expect(shard.status, shard.stderr).to.equal(0);
    expectOneStream(
      one.stdout,
      shards.map((s) => s.stdout),
    );
  }
}

const TWO_DAYS = ["--sink", "stdout", "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-04T00:00:00Z"];

describe("one stream however it is split: --shard i/N together make the one-process run", function () {
  this.timeout(300_000);
  before(requireBuild);

  for (const seed of ["3", "11"])
    it(`should split a two-day backfill with its truth into 2, 3 and 7 shards (seed ${seed})`, () =>
      holdsSplit([...TWO_DAYS, "--seed", seed, "--truth"], [2, 3, 7]));

  it("should split a --count run into 2, 3 and 7 shards, each counting the same primary ticks", () =>
    holdsSplit(["--sink", "stdout", "--from", "2026-11-02T00:00:00Z", "--count", "3000", "--seed", "5"], [2, 3, 7]));

  it("should split a faulted run: each record duplicated, late, malformed, nulled or held offline alike", () =>
    holdsSplit(
      [
        ...TWO_DAYS,
        "--seed",
        "6",
        "--faults",
        "duplicate=0.05,late=0.05:10m,malformed=0.02,nulls=0.3,offline=S002@2026-11-02T15:00:00Z+180m",
      ],
      [3, 7],
    ));

  it("should split a scenario (Black Friday: curve, flash sales, outages, surges, returns wave) into 2, 3 and 7 shards", () =>
    holdsSplit(
      [
        "--sink",
        "stdout",
        "--from",
        "2026-11-26T00:00:00Z",
        "--to",
        "2026-11-29T00:00:00Z",
        "--seed",
        "8",
        "--scenario",
        "black-friday",
        "--truth",
      ],
      [2, 3, 7],
    ));

  it("should split a rollout from version 1 to 2 (the reference records stamped at the switch) into 3 and 7 shards", () => {
    const scenario = JSON.parse(readFileSync(join(ROOT, "data", "scenarios", "weekday.json"), "utf8")) as object;
    const file = join(mkdtempSync(join(tmpdir(), "rollout-")), "rollout.json");
    writeFileSync(file, JSON.stringify({ ...scenario, schemaVersions: [{ at: "day+0T19:00Z", version: 2 }] }));
    return holdsSplit(
      [...TWO_DAYS, "--seed", "5", "--schema-version", "1", "--scenario", file, "--reference-records"],
      [3, 7],
    );
  });

  it("should split a run of schema version 2 (checkouts, reference topics) into 3 shards", () =>
    holdsSplit([...TWO_DAYS, "--seed", "9", "--schema-version", "2", "--truth"], [3]));
});
