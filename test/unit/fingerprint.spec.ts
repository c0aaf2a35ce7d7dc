import { expect } from "chai";
import { fingerprint } from "../../src/app/resume.js";
import { resolveRunConfig } from "../../src/config/resolve.js";
import type { RawArgs } from "../../src/config/args.js";
import { loadScenario } from "../../src/data/scenarios.js";
import { readChain } from "../../src/data/chainFiles.js";

const chain = readChain();
const base: RawArgs = { transactionalId: "t", count: "100", seed: "1" };
const printOf = (extra: RawArgs): string =>
  fingerprint(resolveRunConfig({ ...base, ...extra }, { now: Date.UTC(2026, 10, 2), randomSeed: 1, env: {} }), chain);

describe("the fingerprint a resume checks (everything that shapes the record sequence)", () => {
  it("should be the same whatever the options that do not shape the records", () => {
    const plain = printOf({});
    for (const extra of [
      { logLevel: "debug" },
      { statsInterval: "3" },
      { flushTimeout: "60" },
      { brokers: "other:9092" },
      { http: "9464" },
      { compression: "zstd" },
    ] as RawArgs[]) {
      expect(printOf(extra), JSON.stringify(extra)).to.equal(plain);
    }
  });

  it("should differ with other faults", () => {
    expect(printOf({ faults: "duplicate=0.01" })).to.not.equal(printOf({}));
    expect(printOf({ faults: "duplicate=0.01" })).to.not.equal(printOf({ faults: "duplicate=0.02" }));
  });

  it("should differ with or without the truth, and with another truth window", () => {
    expect(printOf({ truth: true })).to.not.equal(printOf({}));
    expect(printOf({ truth: true, truthWindow: "30" })).to.not.equal(printOf({ truth: true }));
  });

  it("should differ when the scenario's content differs under the same name", async () => {
    const config = resolveRunConfig(
      { ...base, scenario: "weekday" },
      { now: Date.UTC(2026, 10, 2), randomSeed: 1, env: {} },
    );
    const weekday = await loadScenario("weekday", chain);
    const edited = { ...weekday, rate: weekday.rate + 1 };
    expect(fingerprint(config, chain, weekday)).to.equal(fingerprint(config, chain, weekday));
    expect(fingerprint(config, chain, edited)).to.not.equal(fingerprint(config, chain, weekday));
  });
});
