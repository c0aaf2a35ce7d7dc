// Your own operators on the stream: only the West region's sales and their decrements,
// topics renamed, a black-friday scenario from the built-ins, one shard of two.
// Run: npx tsx examples/regional-feed.ts > out.jsonl
import { filter } from "rxjs";
import {
  SeededRng,
  SimulatedScheduler,
  runToSink,
  readChain,
  realWall,
  retailEvents$,
  loadScenario,
  scenarioOptions,
  stdoutSink,
  toEnvelope,
} from "retail-stream";

const chain = readChain();
const scenario = await loadScenario("black-friday", chain);
const shard = { index: 0, count: 2 };
const west = new Set(chain.stores.filter((s) => s.region === "West").map((s) => s.store_id));
const from = Date.UTC(2026, 10, 27);
const to = from + 86_400_000;
const scheduler = new SimulatedScheduler(from);

const events$ = retailEvents$({
  chain,
  rng: new SeededRng(7),
  scheduler,
  until: to,
  shard,
  ...scenarioOptions(scenario, chain),
});
const westSales$ = events$.pipe(
  filter(
    (e) =>
      "store_id" in e &&
      west.has(e.store_id) &&
      (e.event_type === "sale" || (e.event_type === "inventory_update" && e.reason === "sale")),
  ),
  toEnvelope({ sale: "west-sales", inventory_update: "west-stock" }),
);

const totals = await runToSink(westSales$, stdoutSink(process.stdout), { scheduler, wall: realWall, fastUntil: to });
process.stderr.write(`regional-feed: ${totals.delivered} events\n`);
