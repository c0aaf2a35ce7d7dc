// A three-day backfill with a 30% flash sale on Electronics on the second day, as JSON lines.
// Run: npx tsx examples/flash-sale.ts > out.jsonl
import {
  SeededRng,
  SimulatedScheduler,
  runToSink,
  flashSale,
  readChain,
  realWall,
  retailEvents$,
  stdoutSink,
  toEnvelope,
} from "retail-stream";

const from = Date.UTC(2026, 10, 26);
const to = from + 3 * 86_400_000;
const chain = readChain();
const electronics = chain.products.filter((p) => p.category === "Electronics").length / chain.products.length;
const scheduler = new SimulatedScheduler(from);

const events$ = retailEvents$({
  chain,
  rng: new SeededRng(2026),
  scheduler,
  minDelayMs: 5_000,
  maxDelayMs: 30_000,
  until: to,
  scenario: flashSale({
    at: from + 86_400_000,
    duration: 6 * 3_600_000,
    category: "Electronics",
    discount: 0.3,
    demandFactor: 4,
    share: electronics,
  }),
});

const totals = await runToSink(events$.pipe(toEnvelope()), stdoutSink(process.stdout), {
  scheduler,
  wall: realWall,
  fastUntil: to,
});
process.stderr.write(`flash-sale: ${totals.delivered} events\n`);
