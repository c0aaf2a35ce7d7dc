import { expect } from "chai";
import { spawnSync } from "node:child_process";
import type { Envelope } from "../../src/wire/envelope.js";
import { readChain } from "../../src/data/chainFiles.js";
import { ROOT, jsonLines, requireBuild } from "../support/cli.js";
import { checkInvariants } from "../support/invariants.js";

function example(name: string): Envelope[] {
  const result = spawnSync(process.execPath, ["--import", "tsx", `examples/${name}.ts`], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    timeout: 60_000,
  });
  expect(result.status, result.stderr).to.equal(0);
  return jsonLines<Envelope>(result.stdout);
}

describe("examples/", () => {
  before(requireBuild);
  const chain = readChain(`${ROOT}data`);

  it("flash-sale.ts should run and its chain should add up, with the sale's price cuts", () => {
    const records = example("flash-sale");
    const replay = checkInvariants(
      records.map((r) => r.value),
      chain,
      4 * 3_600_000,
    );
    expect(replay.sales).to.be.above(1000);
    const cuts = records.filter((r) => r.value.event_type === "price_change" && r.value.reason === "flash_sale");
    expect(cuts.length).to.be.above(100);
    expect(records.some((r) => r.value.event_type === "price_change" && r.value.reason === "flash_sale_end")).to.equal(
      true,
    );
  });

  it("store-outage.ts should run, add up, and keep S003 silent during its outage", () => {
    const records = example("store-outage");
    checkInvariants(
      records.map((r) => r.value),
      chain,
      4 * 3_600_000,
    );
    const from = Date.UTC(2026, 2, 3, 14);
    // What was on its way before the outage still comes: receipts, and the exits of visits begun before it.
    const visit = (r: Envelope): { action?: string; customer_id?: string } => r.value as object;
    const enteredBefore = new Set(
      records
        .filter((r) => r.key === "S003" && r.timestamp < from && visit(r).action === "enter")
        .map((r) => visit(r).customer_id),
    );
    const silent = records.filter(
      (r) =>
        r.key === "S003" &&
        r.timestamp >= from &&
        r.timestamp < from + 2 * 3_600_000 &&
        !(r.value.event_type === "inventory_update" && r.value.reason === "receipt") &&
        !(visit(r).action === "exit" && enteredBefore.has(visit(r).customer_id)),
    );
    expect(silent).to.deep.equal([]);
  });

  it("regional-feed.ts should run and keep only West sales with their decrements, on renamed topics", () => {
    const records = example("regional-feed");
    const west = new Set(chain.stores.filter((s) => s.region === "West").map((s) => s.store_id));
    expect(records.length).to.be.above(100);
    const sales = new Set(records.filter((r) => r.value.event_type === "sale").map((r) => r.value.event_id));
    for (const r of records) {
      expect(west.has(r.key)).to.equal(true);
      expect(r.topic).to.be.oneOf(["west-sales", "west-stock"]);
      if (r.value.event_type === "inventory_update") expect(sales.has(r.value.source_event_id ?? "")).to.equal(true);
    }
  });
});
