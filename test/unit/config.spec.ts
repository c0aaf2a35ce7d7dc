import { expect } from "chai";
import type { RawArgs } from "../../src/config/args.js";
import { resolveRunConfig, type Context } from "../../src/config/resolve.js";
import { parseConfigFile } from "../../src/config/configFile.js";
import { parseWeights } from "../../src/config/weights.js";
import { ConfigError } from "../../src/errors.js";

const NOW = Date.UTC(2026, 10, 26, 12);
const ctx: Context = { now: NOW, randomSeed: 99, env: {} };

function problems(args: RawArgs, context: Context = ctx): string[] {
  try {
    resolveRunConfig(args, context);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("resolveRunConfig", () => {
  it("should default to the original plan: 10–60 s gaps, the 50/20/15/10/5 mix, continuous, live from now", () => {
    const config = resolveRunConfig({}, ctx);
    expect(config).to.deep.include({
      minDelayMs: 10_000,
      maxDelayMs: 60_000,
      live: true,
      start: NOW,
      speed: 1,
      seed: 99,
      seedGiven: false,
      sink: "kafka",
    });
    expect(config.end).to.equal(undefined);
    expect(config.weights).to.deep.equal({
      sale: 50,
      inventory_update: 20,
      customer_event: 15,
      price_change: 10,
      restock_alert: 5,
    });
    expect(config.kafka.brokers).to.equal("127.0.0.1:9092");
  });

  it("should take decimals, the environment's brokers, and let flags beat the config file", () => {
    const config = resolveRunConfig(
      { minDelta: "0.5", maxDelta: "1.25" },
      {
        ...ctx,
        env: { KAFKA_BOOTSTRAP_SERVERS: "k:9093" },
        file: { minDeltaSeconds: 3, maxDeltaSeconds: 4, logLevel: "DEBUG" },
      },
    );
    expect(config).to.deep.include({ minDelayMs: 500, maxDelayMs: 1250, logLevel: "debug" });
    expect(config.kafka.brokers).to.equal("k:9093");
    expect(resolveRunConfig({}, { ...ctx, file: { minDeltaSeconds: 3, maxDeltaSeconds: 4 } })).to.deep.include({
      minDelayMs: 3000,
      maxDelayMs: 4000,
    });
  });

  it("should end a --duration run after that many simulated minutes", () => {
    const config = resolveRunConfig({ duration: "1.5", startTime: "2026-01-01T00:00:00Z" }, ctx);
    expect(config.end).to.equal(Date.UTC(2026, 0, 1) + 90_000);
  });

  it("should set up a backfill [from, to) and its live handover", () => {
    const pure = resolveRunConfig({ from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }, ctx);
    expect(pure).to.deep.include({
      start: Date.UTC(2026, 0, 1),
      backfillUntil: Date.UTC(2026, 0, 2),
      end: Date.UTC(2026, 0, 2),
      live: false,
    });
    const handover = resolveRunConfig({ from: "2026-11-26T00:00:00Z", continuous: true, speed: "10" }, ctx);
    expect(handover).to.deep.include({ backfillUntil: NOW, end: undefined, live: true, speed: 10 });
  });

  const bad: Array<[string, RawArgs, RegExp]> = [
    ["min above max", { minDelta: "30", maxDelta: "20" }, /--min-delta \(30\) must not exceed --max-delta \(20\)/],
    ["a negative delta", { minDelta: "-1" }, /--min-delta: must be from 0 to 604800, got -1/],
    ["a non-numeric delta", { maxDelta: "soon" }, /--max-delta: expected a number, got "soon"/],
    ["--count 0", { count: "0" }, /--count: must be > 0 and ≤ 1000000000000, a whole number, got 0/],
    ["a negative count", { count: "-5" }, /--count: must be > 0/],
    ["a fractional count", { count: "2.5" }, /--count: expected a whole number/],
    ["a negative duration", { duration: "-2" }, /--duration: must be > 0/],
    ["a negative weight", { weights: "sales=-1" }, /weight of sale must be a number from 0 to 1000000/],
    ["all-zero weights", { weights: "sales=0,inventory=0" }, /at least one weight must be above 0/],
    ["an unknown type", { weights: "sales=5,refunds=2" }, /unknown event type "refunds"/],
    ["malformed weights", { weights: "sales:5" }, /"sales:5" is not name=number/],
    ["a start time that isn't a date", { startTime: "yesterday" }, /--start-time: "yesterday" is not an ISO 8601 date/],
    ["--speed 0", { speed: "0" }, /--speed: must be from 0.001 to 1000000, got 0/],
    ["--speed not a number", { speed: "fast" }, /--speed: expected a number/],
    ["--from not a date", { from: "2026-13-45" }, /--from: "2026-13-45" is not a time on the calendar/],
    [
      "--to before --from",
      { from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" },
      /--to .* must be after --from/,
    ],
    ["--from in the future", { from: "2027-01-01T00:00:00Z" }, /is in the future/],
    [
      "--speed with a pure backfill",
      { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", speed: "5" },
      /--speed has no meaning for a pure backfill/,
    ],
    ["--continuous with --count", { continuous: true, count: "5" }, /--continuous runs until stopped/],
    ["a bad log level", { logLevel: "loud" }, /--log-level: "loud"/],
    ["a bad -X", { X: ["novalue"] }, /-X: "novalue" is not key=value/],
  ];
  for (const [what, args, message] of bad) {
    it(`should reject ${what} with one line naming the flag`, () => {
      const found = problems(args);
      expect(found).to.have.length(1);
      expect(found[0]).to.match(message);
    });
  }

  it("should gather every problem at once", () => {
    expect(problems({ minDelta: "x", count: "0", speed: "-1" })).to.have.length(3);
  });
});

describe("parseWeights", () => {
  it("should accept the original plan's names and the event types", () => {
    expect(parseWeights("sales=50, inventory=20,customer=15,price_change=10")).to.deep.equal({
      weights: { sale: 50, inventory_update: 20, customer_event: 15, price_change: 10 },
      problems: [],
    });
  });
});

describe("parseConfigFile", () => {
  it("should read the REALISTIC_GENERATOR_CONFIG shape", () => {
    const text = JSON.stringify({
      timing: {
        min_delta_seconds: 1,
        max_delta_seconds: 2,
        event_distribution: { sales: 0.5, inventory: 0.2, customer: 0.15, price_change: 0.1 },
      },
      logging: { level: "INFO" },
    });
    const { config, problems: found } = parseConfigFile("c.json", text);
    expect(found).to.deep.equal([]);
    expect(config).to.deep.equal({
      minDeltaSeconds: 1,
      maxDeltaSeconds: 2,
      logLevel: "info",
      weights: { sale: 0.5, inventory_update: 0.2, customer_event: 0.15, price_change: 0.1 },
    });
  });

  it("should name the file and field of every problem", () => {
    expect(parseConfigFile("c.json", "{nope").problems[0]).to.match(/^--config c.json: not valid JSON/);
    expect(parseConfigFile("c.json", '{"timing":{"min_delta_seconds":"10"}}').problems).to.deep.equal([
      '--config c.json: /timing/min_delta_seconds: must be a finite number, got "10"',
    ]);
    expect(parseConfigFile("c.json", '{"timing":{"event_distribution":{"sales":"x"}}}').problems).to.deep.equal([
      '--config c.json: /timing/event_distribution/sales: must be a finite number, got "x"',
    ]);
    expect(parseConfigFile("c.json", '{"timing":{"event_distribution":{"returns":1}}}').problems[0]).to.match(
      /^--config c.json: \/timing\/event_distribution: unknown event type "returns"/,
    );
    expect(parseConfigFile("c.json", '{"timng":{}}').problems).to.deep.equal([
      '--config c.json: /: unknown field "timng"',
    ]);
    expect(parseConfigFile("c.json", "[]").problems).to.deep.equal([
      "--config c.json: /: must be of type object, got []",
    ]);
    expect(parseConfigFile("c.json", '{"logging":{"level":"loud"}}').problems[0]).to.equal(
      '--config c.json: /logging/level: must be one of error, warn, info, debug, ERROR, WARN, INFO, DEBUG, got "loud"',
    );
    expect(
      parseConfigFile("c.json", '{"timing":{"min_delta_seconds":30,"max_delta_seconds":20}}').problems,
    ).to.deep.equal(["--config c.json: /timing: min_delta_seconds (30) must not exceed max_delta_seconds (20)"]);
  });
});
