import type winston from "winston";
import { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import { readChain } from "../data/chainFiles.js";
import { ConfigError } from "../errors.js";
import { EVENT_TYPES, type EventType } from "../model/events.js";
import { retailEvents$ } from "../streams/retailEvents.js";
import type { RunConfig } from "./config.js";
import { eventOptions } from "./eventOptions.js";
import { writeOutput } from "./outputFiles.js";

const HOUR = 3_600_000;
const COLOURS: Record<EventType, string> = {
  sale: "#2f6fdf", inventory_update: "#8fb8f0", customer_event: "#f0a030", price_change: "#3aa860", restock_alert: "#d04040",
};

/** Events per hour by type over [from, to), as drawn in the profile chart. */
function hourlyCounts(events: Iterable<{ type: EventType; time: number }>, from: number, to: number): Array<Record<EventType, number>> {
  const hours = Array.from({ length: Math.ceil((to - from) / HOUR) }, () => Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>);
  for (const { type, time } of events) {
    const bucket = hours[Math.floor((time - from) / HOUR)];
    if (bucket) bucket[type] += 1;
  }
  return hours;
}

/** A stacked bar chart (SVG) of events per hour by type. */
function profileSvg(hours: Array<Record<EventType, number>>, from: number, title: string): string {
  const width = 960;
  const height = 360;
  const left = 50;
  const bottom = 40;
  const max = Math.max(1, ...hours.map((h) => EVENT_TYPES.reduce((n, t) => n + h[t], 0)));
  const bar = (width - left - 10) / Math.max(1, hours.length);
  const y = (n: number): number => ((height - bottom - 30) * n) / max;
  const bars = hours.map((h, i) => {
    let base = height - bottom;
    return EVENT_TYPES.map((t) => {
      const tall = y(h[t]);
      base -= tall;
      return tall > 0 ? `<rect x="${(left + i * bar).toFixed(2)}" y="${base.toFixed(2)}" width="${Math.max(0.5, bar - 0.5).toFixed(2)}" height="${tall.toFixed(2)}" fill="${COLOURS[t]}"/>` : "";
    }).join("");
  }).join("\n");
  const days = Array.from({ length: Math.ceil(hours.length / 24) }, (_, d) =>
    `<text x="${(left + d * 24 * bar).toFixed(1)}" y="${height - bottom + 16}" font-size="11">${new Date(from + d * 24 * HOUR).toISOString().slice(0, 10)}</text>`).join("");
  const legend = EVENT_TYPES.map((t, i) => `<rect x="${left + i * 150}" y="8" width="10" height="10" fill="${COLOURS[t]}"/><text x="${left + 14 + i * 150}" y="17" font-size="11">${t}</text>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<title>${title}</title>
${legend}
<text x="4" y="${height - bottom}" font-size="11">0</text><text x="4" y="40" font-size="11">${max}/h</text>
<line x1="${left}" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}" stroke="#333"/>
${bars}
${days}
</svg>
`;
}

/** `retail-stream profile`: runs the scenario over [from, to) in simulated time and writes the chart. */
export async function writeProfile(config: RunConfig, out: string, log: winston.Logger): Promise<{ events: number; hours: number }> {
  if (config.backfillUntil === undefined || config.end === undefined) throw new ConfigError(["profile needs --from and --to (the span to chart)"]);
  const chain = readChain(config.dataDir);
  const options = await eventOptions(config, chain, log);
  const scheduler = new SimulatedScheduler(config.start);
  const seen: Array<{ type: EventType; time: number }> = [];
  let failure: unknown;
  retailEvents$({ ...options, scheduler }).subscribe({ next: (e) => seen.push({ type: e.event_type, time: scheduler.now() }), error: (error: unknown) => (failure = error) });
  while (failure === undefined && scheduler.runNext());
  if (failure !== undefined) throw failure;
  const hours = hourlyCounts(seen, config.start, config.end);
  writeOutput("--out", out, profileSvg(hours, config.start, `retail-stream ${config.scenario ?? "default"} ${new Date(config.start).toISOString()} → ${new Date(config.end).toISOString()}`));
  return { events: seen.length, hours: hours.length };
}
