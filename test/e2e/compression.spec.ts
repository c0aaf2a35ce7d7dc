import { expect } from "chai";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { requireBuild, runCli } from "../support/cli.js";
import {
  BROKERS,
  LOCAL_KAFKA,
  consumeAll,
  freshTopics,
  requireLocalBroker,
  totalsOf,
  referenceRecords,
} from "../support/kafka.js";

/** The compression codec of every record batch in a partition's log segments (attributes & 7: 0 none … 4 zstd). */
function batchCodecs(dir: string): number[] {
  const codecs: number[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".log"))) {
    const bytes = readFileSync(join(dir, file));
    // A batch: baseOffset int64, batchLength int32 (bytes after this field), leaderEpoch int32, magic int8, crc int32, attributes int16.
    for (let at = 0; at + 23 <= bytes.length;) {
      const length = bytes.readInt32BE(at + 8);
      if (length <= 0) break;
      codecs.push(bytes.readInt16BE(at + 21) & 7);
      at += 12 + length;
    }
  }
  return codecs;
}

describe("Kafka compression", () => {
  before(requireBuild);
  before(requireLocalBroker);

  it("should write zstd-compressed batches that read back whole (librdkafka built with zstd)", async () => {
    const { args, names } = freshTopics("e2e-zstd");
    const result = runCli([
      "--count",
      "2000",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--seed",
      "3",
      "--compression",
      "zstd",
      "--brokers",
      BROKERS,
      "--log-level",
      "warn",
      ...args,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    const consumed = await consumeAll(Object.values(names));
    expect(consumed).to.have.length(totals.delivered - referenceRecords());
    const dirs = readdirSync(join(LOCAL_KAFKA.home, "data")).filter(
      (d) => d.startsWith(names.sale) || d.startsWith(names.inventory_update),
    );
    expect(dirs.length).to.be.at.least(2);
    const codecs = dirs.flatMap((d) =>
      existsSync(join(LOCAL_KAFKA.home, "data", d)) ? batchCodecs(join(LOCAL_KAFKA.home, "data", d)) : [],
    );
    expect(codecs.length).to.be.above(0);
    expect([...new Set(codecs)]).to.deep.equal([4]);
  });
});
