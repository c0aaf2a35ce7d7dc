// Microbenchmark of the pipeline alone (no sink): events/s through retailEvents$ + toEnvelope (+ JSON).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SimulatedScheduler } from "../dist/clock/simulatedScheduler.js";
import { parseChain } from "../dist/model/chain.js";
import { toEnvelope } from "../dist/operators/toEnvelope.js";
import { SeededRng } from "../dist/random/rng.js";
import { retailEvents$ } from "../dist/streams/retailEvents.js";

const data = (f) => ({ name: f, text: readFileSync(fileURLToPath(new URL(`../data/${f}`, import.meta.url)), "utf8") });
const chain = parseChain({ stores: data("stores.json"), products: data("products.json") });
const count = Number(process.argv[2] ?? 200_000);
for (const json of [false, true]) {
  const scheduler = new SimulatedScheduler(0);
  let n = 0;
  let bytes = 0;
  const t0 = performance.now();
  retailEvents$({ chain, rng: new SeededRng(1), scheduler, minDelayMs: 0, maxDelayMs: 0, count })
    .pipe(toEnvelope())
    .subscribe((e) => {
      n += 1;
      if (json) bytes += JSON.stringify(e.value).length;
    });
  while (scheduler.runNext());
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${json ? "with JSON" : "no JSON  "}: ${n} events in ${s.toFixed(2)} s = ${Math.round(n / s)} events/s${json ? `, ${Math.round(bytes / n)} B` : ""}`,
  );
}
