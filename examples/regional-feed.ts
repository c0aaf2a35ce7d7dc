// Your own operators on the stream: only the West region's sales and their decrements,
// topics renamed, a black-friday scenario from the built-ins, one shard of two.
// Run: npx tsx examples/regional-feed.ts > out.jsonl
import { readFileSync } from "node:fs";
import { filter } from "rxjs";
import {
  SeededRng, SimulatedScheduler, drive, readChain, realWall, retailEvents$, scenarioOptions, shardStores, stdoutSink, toEnvelope, type Scenario,
} from "retail-stream";

const chain = readChain(new URL("../data", import.meta.url).pathname);
const scenario = JSON.parse(readFileSync(new URL("../data/scenarios/black-friday.json", import.meta.url), "utf8")) as Scenario;
const shard = { index: 0, count: 2 };
const stores = shardStores(chain.stores, shard).map((i) => chain.stores[i]!);
const west = new Set(chain.stores.filter((s) => s.region === "West").map((s) => s.store_id));
const from = Date.UTC(2026, 10, 27);
const to = from + 86_400_000;
const scheduler = new SimulatedScheduler(from);

const events$ = retailEvents$({ chain, rng: new SeededRng(7), scheduler, until: to, shard, ...scenarioOptions(scenario, chain, stores) });
const westSales$ = events$.pipe(
  filter((e) => "store_id" in e && west.has(e.store_id) && (e.event_type === "sale" || (e.event_type === "inventory_update" && e.reason === "sale"))),
  toEnvelope({ sale: "west-sales", inventory_update: "west-stock" }),
);

const totals = await drive(westSales$, stdoutSink(process.stdout), { scheduler, wall: realWall, fastUntil: to });
process.stderr.write(`regional-feed: ${totals.delivered} events\n`);
