// A weekday-shaped day in which store S003 goes dark for two hours while the rest of the chain surges.
// Run: npx tsx examples/store-outage.ts > out.jsonl
import { pipe } from "rxjs";
import {
  SeededRng,
  SimulatedScheduler,
  runToSink,
  poissonArrivals,
  readChain,
  realWall,
  retailEvents$,
  stdoutSink,
  storeOutage,
  surge,
  toEnvelope,
} from "retail-stream";

const from = Date.UTC(2026, 2, 3, 12);
const to = from + 8 * 3_600_000;
const scheduler = new SimulatedScheduler(from);

const events$ = retailEvents$({
  chain: readChain(),
  rng: new SeededRng(42),
  scheduler,
  until: to,
  arrivals: poissonArrivals(6),
  scenario: pipe(
    storeOutage({ store: "S003", at: from + 2 * 3_600_000, duration: 2 * 3_600_000 }),
    surge(2, { at: from + 2 * 3_600_000, duration: 2 * 3_600_000 }),
  ),
});

const totals = await runToSink(events$.pipe(toEnvelope()), stdoutSink(process.stdout), {
  scheduler,
  wall: realWall,
  fastUntil: to,
});
process.stderr.write(`store-outage: ${totals.delivered} events\n`);
