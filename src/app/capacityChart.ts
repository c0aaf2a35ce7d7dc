import type { CapacityResult } from "./capacityResult.js";
import type { LoadSample } from "./loadWatch.js";
import { axisTicks } from "./profile.js";

const WIDTH = 960;
const LEFT = 70;
const RIGHT = 20;
const PANEL = 150;
const GAP = 36;

interface Panel {
  title: string;
  points: Array<{ at: number; value: number }>;
  colour: string;
}

/** One panel: its title, y ticks, and the line of its points over [from, to]. */
function panelSvg(panel: Panel, top: number, from: number, to: number): string {
  const max = Math.max(1, ...panel.points.map((p) => p.value));
  const ticks = axisTicks(max);
  const top_ = Math.max(max, ticks.at(-1) ?? max);
  const x = (at: number): number => LEFT + ((WIDTH - LEFT - RIGHT) * (at - from)) / Math.max(1, to - from);
  const y = (v: number): number => top + PANEL - (PANEL * v) / top_;
  const grid = ticks
    .map(
      (n) =>
        `<line x1="${LEFT}" y1="${y(n).toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y(n).toFixed(1)}" stroke="#ddd"/><text x="${LEFT - 6}" y="${y(n).toFixed(1)}" dy="4" font-size="10" text-anchor="end">${n}</text>`,
    )
    .join("");
  const line = panel.points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  return `<text x="${LEFT}" y="${top - 6}" font-size="11">${panel.title}</text>${grid}<polyline fill="none" stroke="${panel.colour}" stroke-width="1.5" points="${line}"/>`;
}

/**
 * The search over time (SVG): records per second sent to the group's
 * partitions, the group's lag, and latency p99 (when measured), one panel each,
 * with every measured step shaded green where it was held and red where not.
 */
export function capacityChart(result: CapacityResult, samples: readonly LoadSample[]): string {
  const from = samples[0]?.at ?? 0;
  const to = samples.at(-1)?.at ?? from + 1;
  const sent: Panel["points"] = [];
  for (let i = 1; i < samples.length; i += 1) {
    const [a, b] = [samples[i - 1] as LoadSample, samples[i] as LoadSample];
    if (a.written !== undefined && b.written !== undefined && b.at > a.at)
      sent.push({ at: b.at, value: ((b.written - a.written) * 1000) / (b.at - a.at) });
  }
  const panels: Panel[] = [
    { title: "records/s sent to the group's topics", points: sent, colour: "#1f77b4" },
    {
      title: "lag of the group (records)",
      points: samples.flatMap((s) => (s.lag === undefined ? [] : [{ at: s.at, value: s.lag }])),
      colour: "#d62728",
    },
  ];
  const latency = samples.flatMap((s) =>
    s.latency === undefined || s.latency.count === 0 ? [] : [{ at: s.at, value: s.latency.p99 }],
  );
  if (latency.length > 0) panels.push({ title: "latency p99 (ms), each second", points: latency, colour: "#2ca02c" });
  const height = 40 + panels.length * (PANEL + GAP) + 20;
  const x = (at: number): number => LEFT + ((WIDTH - LEFT - RIGHT) * (at - from)) / Math.max(1, to - from);
  const shades = result.steps
    .map(
      (s) =>
        `<rect x="${x(s.from).toFixed(1)}" y="30" width="${Math.max(1, x(s.to) - x(s.from)).toFixed(1)}" height="${height - 50}" fill="${s.held ? "#2ca02c" : "#d62728"}" fill-opacity="0.08"/>`,
    )
    .join("");
  const held = result.held;
  const title = held
    ? `held ${Math.round(held.consumedPerSecond)} records/s (${(held.madePerSecond ?? held.ratePerMinute / 60).toFixed(1)} primary events/s); ${result.stoppedBy}`
    : `no step held (${result.stoppedBy})`;
  const minutes = Math.max(1, Math.ceil((to - from) / 60_000));
  const axis = Array.from(
    { length: minutes + 1 },
    (_, m) =>
      `<text x="${x(from + m * 60_000).toFixed(1)}" y="${height - 6}" font-size="10" text-anchor="middle">${m}m</text>`,
  )
    .filter((_, m) => m % Math.max(1, Math.ceil(minutes / 15)) === 0)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif">
<title>capacity search: ${title}</title>
<text x="${LEFT}" y="16" font-size="13">capacity search: ${title}</text>
${shades}
${panels.map((p, i) => panelSvg(p, 48 + i * (PANEL + GAP), from, to)).join("\n")}
${axis}
</svg>
`;
}
