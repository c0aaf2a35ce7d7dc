import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBuild, runCli } from "../support/cli.js";

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rs-"));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function dataDir(stores: string, products: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rs-data-"));
  writeFileSync(join(dir, "stores.json"), stores);
  writeFileSync(join(dir, "products.json"), products);
  return dir;
}

const STORE = '[{"store_id":"S1","name":"A","city":"B","region":"C","timezone":"UTC","opening_hours":{"open":"08:00","close":"20:00"}}]';
const PRODUCT = '[{"sku":"P1","name":"A","category":"B","brand":"C","base_price":1.99,"cost":1.2,"initial_stock":10,"reorder_point":2}]';

/** One test per case: the CLI refuses it with one line naming the problem, exit 2, nothing on stdout. */
function refuseEach(cases: Array<[string, string[], RegExp]>): void {
  for (const [what, args, message] of cases) {
    it(`should refuse ${what}: one line, exit 2, nothing on stdout`, () => {
      const result = runCli(["--sink", "stdout", "--count", "3", ...args]);
      expect(result.status).to.equal(2, result.stderr);
      expect(result.stdout).to.equal("");
      expect(result.stderr).to.match(message);
      expect(result.stderr.trimEnd().split("\n")).to.have.length(1);
      expect(result.stderr).to.match(/^retail-stream: /);
    });
  }
}

const CASES: Array<[string, string[], RegExp]> = [
  ["min above max", ["--min-delta", "30", "--max-delta", "20"], /--min-delta \(30\) must not exceed --max-delta \(20\)/],
  ["a negative delta", ["--min-delta", "-3"], /--min-delta: must be ≥ 0/],
  ["a non-numeric delta", ["--max-delta", "abc"], /--max-delta: expected a number, got "abc"/],
  ["--count 0", ["--count", "0"], /--count: must be > 0/],
  ["a negative count", ["--count", "-4"], /--count: must be > 0/],
  ["a negative duration", ["--duration", "-1"], /--duration: must be > 0/],
  ["a negative weight", ["--weights", "sales=-5"], /--weights: weight of sale must be a number ≥ 0/],
  ["all-zero weights", ["--weights", "sales=0,restock=0"], /--weights: at least one weight must be above 0/],
  ["an unknown type in the weights", ["--weights", "sales=1,returns=2"], /--weights: unknown event type "returns"/],
  ["malformed weights", ["--weights", "sales"], /--weights: "sales" is not name=number/],
  ["an unknown flag", ["--colour", "blue"], /Unknown argument: colour/],
  ["a missing config file", ["--config", "/nonexistent/cfg.json"], /--config \/nonexistent\/cfg.json: no such file/],
  ["a config file that isn't JSON", ["--config", tempFile("c.json", "timing: 10")], /--config .*c.json: not valid JSON/],
  ["a config file with wrong types", ["--config", tempFile("c.json", '{"timing":{"max_delta_seconds":"60"}}')], /timing.max_delta_seconds must be a number ≥ 0, got "60"/],
  ["a start time that isn't a date", ["--start-time", "tomorrow"], /--start-time: "tomorrow" is not an ISO 8601 date/],
  ["missing data files", ["--data", "/nonexistent"], /\/nonexistent\/stores.json: missing; regenerate it with: bin\/retail-stream sample-data/],
  ["a malformed data file", ["--data", dataDir("[{", PRODUCT)], /stores.json: not valid JSON .*regenerate it with/],
  ["a data file with a bad field", ["--data", dataDir(STORE, PRODUCT.replace("1.99", "-1"))], /products.json: item 0 has a missing or invalid "base_price"/],
  ["an empty store list", ["--data", dataDir("[]", PRODUCT)], /stores.json: the list is empty; regenerate it/],
  ["an empty product list", ["--data", dataDir(STORE, "[]")], /products.json: the list is empty; regenerate it/],
  ["a shard outside its count", ["--shard", "3/3"], /--shard: "3\/3" is not i\/N/],
  ["only restock weights", ["--weights", "restock=5"], /restock alerts are caused by stock/],
  ["--speed 0", ["--speed", "0"], /--speed: must be > 0, got 0/],
  ["--speed that is not a number", ["--speed", "fast"], /--speed: expected a number, got "fast"/],
  ["--from that is not a date", ["--from", "last-week"], /--from: "last-week" is not an ISO 8601 date/],
  ["--to before --from", ["--from", "2026-01-02T00:00:00Z", "--to", "2026-01-01T00:00:00Z"], /--to \(2026-01-01T00:00:00Z\) must be after --from/],
  ["--from in the future", ["--from", "2099-01-01T00:00:00Z"], /--from: 2099-01-01T00:00:00Z is in the future/],
  ["--speed with a pure backfill", ["--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z", "--speed", "10"], /--speed has no meaning for a pure backfill/],
  ["a bad sink", ["--sink", "file"], /Invalid values:.*sink/s],
];

describe("retail-stream bad input", () => {
  before(requireBuild);

  refuseEach(CASES);
});

describe("retail-stream bad scenario input", () => {
  before(requireBuild);
  const badCurve = tempFile("curve.json", JSON.stringify({ rate: 2, curve: { daily: [1, 2, 3], weekly: [1, 1, 1, 1, 1, 1, 1] } }));
  const badDiscount = tempFile("sale.json", JSON.stringify({ rate: 2, curve: { daily: new Array(24).fill(1), weekly: new Array(7).fill(1) },
    flashSales: [{ at: "2026-01-01T00:00:00Z", durationMinutes: 60, category: "Toys", discount: 1.5, demandFactor: 2 }] }));
  const negative = tempFile("neg.json", JSON.stringify({ rate: 2, curve: { daily: new Array(24).fill(-1), weekly: new Array(7).fill(1) } }));
  const cases: Array<[string, string[], RegExp]> = [
    ["an unknown scenario", ["--scenario", "christmas"], /--scenario christmas: no such built-in scenario or file \(built-ins: black-friday, weekday, weekend\)/],
    ["a curve of the wrong length", ["--scenario", badCurve], /curve.daily: needs 24 numbers, got 3/],
    ["a curve with negative values", ["--scenario", negative], /curve.daily: values must be numbers ≥ 0/],
    ["a flash sale discount outside (0, 1)", ["--scenario", badDiscount], /flashSales\[0\].discount must be in \(0, 1\), got 1.5/],
    ["a rate ≤ 0", ["--arrivals", "poisson", "--rate", "0"], /--rate: must be > 0/],
    ["poisson without a rate", ["--arrivals", "poisson"], /--arrivals poisson needs --rate/],
    ["a scenario with uniform deltas", ["--scenario", "weekday", "--min-delta", "1"], /--scenario sets its own arrivals/],
  ];
  refuseEach(cases);

  it("should warn about a flash sale outside the run's span and still run", () => {
    const result = runCli(["--sink", "stdout", "--scenario", "black-friday", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T06:00:00Z", "--seed", "1"]);
    expect(result.status).to.equal(0, result.stderr);
    expect(result.stderr).to.match(/warn .*flash sale on Electronics at 2026-11-27T19:00:00Z is outside the run/);
  });
});
