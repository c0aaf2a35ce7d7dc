import type winston from "winston";
import { SimulatedScheduler } from "../clock/simulatedScheduler.js";
import { readChain } from "../data/chainFiles.js";
import { ConfigError } from "../errors.js";
import type { RetailEvent } from "../model/events.js";
import { retailEvents$ } from "../streams/retailEvents.js";
import type { RunConfig } from "../config/runConfig.js";
import { eventOptions } from "./eventOptions.js";
import { writeOutput } from "./outputFiles.js";

const HOUR = 3_600_000;
/** The chart's series: event types, with sales and visits split by channel so the stores' day shows. */
const SERIES = [
  "sale in stores",
  "sale online",
  "customer_event in stores",
  "customer_event online",
  "inventory_update",
  "price_change",
  "restock_alert",
  "payment",
  "order_status",
  "return",
] as const;
type Series = (typeof SERIES)[number];
const COLOURS: Record<Series, string> = {
  "sale in stores": "#2f6fdf",
  "sale online": "#7a4fd0",
  "customer_event in stores": "#f0a030",
  "customer_event online": "#f5d06a",
  inventory_update: "#8fb8f0",
  price_change: "#3aa860",
  restock_alert: "#d04040",
  payment: "#9a9a9a",
  order_status: "#c06ab0",
  return: "#7a5230",
};

/** The series an event is drawn in. */
function seriesOf(event: RetailEvent, online: ReadonlySet<string>): Series {
  if (event.event_type === "sale" || event.event_type === "customer_event")
    return `${event.event_type} ${online.has(event.store_id) ? "online" : "in stores"}`;
  return event.event_type;
}

/** Events per hour by series over [from, to), as drawn in the profile chart. */
function hourlyCounts(
  events: Iterable<{ type: Series; time: number }>,
  from: number,
  to: number,
): Array<Record<Series, number>> {
  const hours = Array.from(
    { length: Math.ceil((to - from) / HOUR) },
    () => Object.fromEntries(SERIES.map((t) => [t, 0])) as Record<Series, number>,
  );
  for (const { type, time } of events) {
    const bucket = hours[Math.floor((time - from) / HOUR)];
    if (bucket) bucket[type] += 1;
  }
  return hours;
}

/** A stacked bar chart (SVG) of events per hour by series. */
function profileSvg(hours: Array<Record<Series, number>>, from: number, title: string): string {
  const width = 960;
  const height = 360;
  const left = 50;
  const bottom = 40;
  const max = Math.max(1, ...hours.map((h) => SERIES.reduce((n, t) => n + h[t], 0)));
  const bar = (width - left - 10) / Math.max(1, hours.length);
  // The bars leave room above them for the legend's two rows.
  const y = (n: number): number => ((height - bottom - 44) * n) / max;
  const bars = hours
    .map((h, i) => {
      let base = height - bottom;
      return SERIES.map((t) => {
        const tall = y(h[t]);
        base -= tall;
        return tall > 0
          ? `<rect x="${(left + i * bar).toFixed(2)}" y="${base.toFixed(2)}" width="${Math.max(0.5, bar - 0.5).toFixed(2)}" height="${tall.toFixed(2)}" fill="${COLOURS[t]}"/>`
          : "";
      }).join("");
    })
    .join("\n");
  const days = Array.from(
    { length: Math.ceil(hours.length / 24) },
    (_, d) =>
      `<text x="${(left + d * 24 * bar).toFixed(1)}" y="${height - bottom + 16}" font-size="11">${new Date(from + d * 24 * HOUR).toISOString().slice(0, 10)}</text>`,
  ).join("");
  const ticks = axisTicks(max)
    .map((n) => {
      const at = (height - bottom - y(n)).toFixed(2);
      return `<line x1="${left - 4}" y1="${at}" x2="${width - 10}" y2="${at}" stroke="#ddd"/><text x="${left - 6}" y="${at}" dy="4" font-size="10" text-anchor="end">${n}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<title>${title}</title>
${legend(left, width - 10)}
${ticks}
<text x="4" y="30" font-size="10">per hour</text>
<line x1="${left}" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}" stroke="#333"/>
${bars}
${days}
</svg>
`;
}

/** About how wide a legend label of `text` is at font size 10 (sans-serif averages under 6 px a character). */
const labelWidth = (text: string): number => text.length * 6;

/** The legend: a swatch and a label per series, placed one after the other, on a second row when the first is full. */
function legend(left: number, right: number): string {
  let x = left;
  let row = 0;
  return SERIES.map((t) => {
    const width = 14 + labelWidth(t) + 14;
    if (x + width > right) {
      x = left;
      row += 1;
    }
    const at = `<rect x="${x}" y="${6 + row * 14}" width="10" height="10" fill="${COLOURS[t]}"/><text x="${x + 14}" y="${15 + row * 14}" font-size="10">${t}</text>`;
    x += width;
    return at;
  }).join("");
}

/** Round values from 0 up to `max` for the y axis: steps of 1, 2 or 5 times a power of ten, four to eight of them. */
export function axisTicks(max: number): number[] {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? power * 10;
  const ticks: number[] = [];
  for (let n = 0; n <= max; n += step) ticks.push(n);
  return ticks;
}

/** `retail-stream profile`: runs the scenario over [from, to) in simulated time and writes the chart. */
export async function writeProfile(
  config: RunConfig,
  out: string,
  log: winston.Logger,
): Promise<{ events: number; hours: number }> {
  if (config.backfillUntil === undefined || config.end === undefined)
    throw new ConfigError(["profile needs --from and --to (the span to chart)"]);
  const chain = readChain(config.dataDir);
  const options = await eventOptions(config, chain, log);
  const scheduler = new SimulatedScheduler(config.start);
  const seen: Array<{ type: Series; time: number }> = [];
  const online = new Set(chain.stores.filter((s) => s.channel === "online").map((s) => s.store_id));
  let failure: unknown;
  retailEvents$({ ...options, scheduler }).subscribe({
    next: (e) => seen.push({ type: seriesOf(e, online), time: scheduler.now() }),
    error: (error: unknown) => (failure = error),
  });
  while (failure === undefined && scheduler.runNext());
  if (failure !== undefined) throw failure;
  const hours = hourlyCounts(seen, config.start, config.end);
  writeOutput(
    "--out",
    out,
    profileSvg(
      hours,
      config.start,
      `retail-stream ${config.scenario ?? "default"} ${new Date(config.start).toISOString()} → ${new Date(config.end).toISOString()}`,
    ),
  );
  return { events: seen.length, hours: hours.length };
}
