import { expect } from "chai";
import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { SCHEMA_VERSIONS, type RetailEvent } from "../../src/model/events.js";
import { profileOf } from "../../src/model/profiles.js";
import { SeededRng } from "../../src/random/rng.js";
import { retailEvents$, type RetailEventsOptions } from "../../src/streams/retailEvents.js";
import { shardStores, storeHash } from "../../src/streams/shard.js";
import { readChain } from "../../src/data/chainFiles.js";
import { openChain, tinyChain } from "../support/chain.js";
import { ROOT } from "../support/cli.js";
import { checkInvariants, localClock } from "../support/invariants.js";

function run(options: Omit<RetailEventsOptions, "scheduler">): RetailEvent[] {
  const scheduler = new SimulatedScheduler(Date.UTC(2026, 0, 1));
  const events: RetailEvent[] = [];
  retailEvents$({ ...options, scheduler }).subscribe((e) => events.push(e));
  while (scheduler.runNext());
  return events;
}

const LEAD = 2 * 3_600_000;

describe("a consistent store chain", () => {
  it("should add up over 100,000 primary events of the sample chain", () => {
    const chain = readChain(`${ROOT}data`);
    const events = run({ chain, rng: new SeededRng(100), count: 100_000, leadTimeMs: LEAD });
    const replay = checkInvariants(events, chain, LEAD);
    expect(replay.sales).to.be.above(40_000);
    expect(replay.alerts).to.be.above(0);
    expect(replay.receipts).to.be.above(0);
    expect(replay.visits).to.be.above(1000);
  });

  it("should end every visit of a day within two hours and by its store's closing time", () => {
    const chain = readChain(`${ROOT}data`);
    const start = Date.UTC(2026, 0, 1);
    const events = run({ chain, rng: new SeededRng(35), until: start + 86_400_000, leadTimeMs: LEAD });
    // checkInvariants holds every exit to two hours and its store's hours, and every visit still going at the end to two hours.
    const replay = checkInvariants(events, chain, LEAD);
    const last = Date.parse((events.at(-1) as RetailEvent).event_time);
    const visits = events.filter((e) => e.event_type === "customer_event");
    const late = visits.filter((e) => e.action === "enter" && Date.parse(e.event_time) > last - 2 * 3_600_000);
    expect(replay.visits).to.be.above(100);
    expect(replay.exits).to.be.at.least(replay.visits - late.length);
    const storeOf = new Map(chain.stores.map((s) => [s.store_id, s]));
    const atClosing = visits.filter((e) => {
      const store = storeOf.get(e.store_id);
      return (
        e.action === "exit" &&
        store?.opening_hours !== undefined &&
        store.channel !== "online" &&
        localClock(Date.parse(e.event_time), store.timezone ?? "UTC") === `${store.opening_hours.close}:00.000`
      );
    });
    expect(atClosing.length, "visits ended by their store closing").to.be.above(0);
  });

  it("should add up when a tiny chain keeps running out (many crossings and receipts)", () => {
    const events = run({
      chain: tinyChain,
      rng: new SeededRng(5),
      count: 20_000,
      leadTimeMs: LEAD,
      weights: { sale: 80, inventory_update: 10, customer_event: 10 },
    });
    const replay = checkInvariants(events, tinyChain, LEAD);
    expect(replay.alerts).to.be.above(50);
    expect(replay.receipts).to.be.above(50);
  });

  for (const version of SCHEMA_VERSIONS)
    it(`should validate every event of version ${version} against its type's JSON Schema, and make every type it has`, () => {
      const ajv = new Ajv2020({ allErrors: true });
      const types = profileOf(version).eventTypes;
      const validators = Object.fromEntries(
        types.map((type) => [
          type,
          ajv.compile(JSON.parse(readFileSync(`${ROOT}data/schemas/${type}.v${version}.json`, "utf8")) as object),
        ]),
      );
      // Long enough for returns (days after a purchase) to come back; an online shop's checkouts are orders.
      const events = run({
        chain: openChain,
        rng: new SeededRng(6),
        count: 8_000,
        leadTimeMs: LEAD,
        schemaVersion: version,
      });
      const seen = new Set<string>();
      for (const event of events) {
        const validate = validators[event.event_type];
        seen.add(event.event_type);
        expect(validate?.(event), `${JSON.stringify(event)}: ${ajv.errorsText(validate?.errors)}`).to.equal(true);
      }
      expect([...seen].sort()).to.deep.equal([...types].sort());
      // The schemas reject what breaks the contract.
      const sale = events.find((e) => e.event_type === "sale");
      expect(validators.sale?.({ ...sale, quantity: 0 })).to.equal(false);
      expect(validators.sale?.({ ...sale, surprise: 1 })).to.equal(false);
      if (validators.return === undefined) return;
      const back = events.find((e) => e.event_type === "return");
      expect(validators.return({ ...back, quantity: 0 })).to.equal(false);
      const declined = events.find((e) => e.event_type === "payment" && e.status === "declined");
      expect(validators.payment?.(declined)).to.equal(true);
      expect(validators.payment?.({ ...declined, decline_reason: undefined })).to.equal(false);
    });

  it("should split the stores among N shards, each in exactly one, and keep each shard consistent", () => {
    const chain = readChain(`${ROOT}data`);
    for (const count of [1, 2, 3, 4, 7]) {
      const shards = Array.from({ length: count }, (_, index) => shardStores(chain.stores, { index, count }));
      const all = shards.flat().sort((a, b) => a - b);
      expect(all).to.deep.equal(chain.stores.map((_, i) => i));
    }
    const storesOf = (index: number): Set<string> => {
      const events = run({
        chain,
        rng: new SeededRng(index + 1),
        count: 3000,
        leadTimeMs: LEAD,
        shard: { index, count: 3 },
      });
      checkInvariants(events, chain, LEAD);
      return new Set(events.flatMap((e) => ("store_id" in e ? [e.store_id] : [])));
    };
    const union = new Set<string>();
    for (let index = 0; index < 3; index += 1) {
      for (const store of storesOf(index)) {
        expect(storeHash(store) % 3).to.equal(index);
        expect(union.has(store)).to.equal(false);
        union.add(store);
      }
    }
    expect(union.size).to.equal(chain.stores.length);
  });
});
