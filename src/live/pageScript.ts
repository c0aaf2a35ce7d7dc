/// <reference lib="dom" />
// The live page's script: browser code, type-checked against the status it reads and linted like the
// rest; `livePage` puts its source in the page (`pageScript.toString()`), so there is no build step.
import type { RunStatus, StatusSample } from "../app/liveSide.js";

/** Runs in the browser: polls `status`, draws the chart and tiles, and sends the controls' changes. */
export function pageScript(): void {
  const COLORS: Record<string, string> = {
    sale: "#2563eb",
    inventory_update: "#16a34a",
    customer_event: "#f59e0b",
    price_change: "#9333ea",
    restock_alert: "#dc2626",
    payment: "#64748b",
    order_status: "#db2777",
    return: "#92400e",
  };
  const $ = <T extends HTMLElement = HTMLElement>(id: string): T | null => document.getElementById(id) as T | null;
  const text = (id: string, value: string): void => {
    const element = $(id);
    if (element !== null) element.textContent = value;
  };
  let last: RunStatus | undefined;

  async function control(body: Record<string, unknown>): Promise<void> {
    const token = $<HTMLInputElement>("token")?.value;
    const response = await fetch("control", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: "Bearer " + token } : {}) },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { changed: string[]; status: RunStatus; error?: string };
    text("message", response.ok ? "changed: " + (answer.changed.join(", ") || "nothing") : "refused: " + answer.error);
    if (response.ok) show(answer.status);
  }

  function draw(history: StatusSample[]): void {
    const canvas = $<HTMLCanvasElement>("chart");
    const g = canvas?.getContext("2d");
    if (canvas === null || g === null || g === undefined) return;
    const w = canvas.width,
      h = canvas.height;
    g.clearRect(0, 0, w, h);
    const types = Object.keys(COLORS);
    const series: Record<string, number[]> = {};
    for (const t of types) series[t] = [];
    for (let i = 1; i < history.length; i++) {
      const now = history[i] as StatusSample,
        before = history[i - 1] as StatusSample;
      const dt = (now.at - before.at) / 1000 || 1;
      for (const t of types) series[t]?.push(((now.byType[t] || 0) - (before.byType[t] || 0)) / dt);
    }
    const max = Math.max(1, ...types.flatMap((t) => series[t] ?? []));
    g.strokeStyle = "#e4e7ec";
    g.fillStyle = "#667085";
    g.font = "11px system-ui";
    for (let k = 0; k <= 4; k++) {
      const y = h - 20 - (k / 4) * (h - 40);
      g.beginPath();
      g.moveTo(40, y);
      g.lineTo(w - 10, y);
      g.stroke();
      g.fillText(((max * k) / 4).toFixed(max < 4 ? 1 : 0), 4, y + 4);
    }
    const n = Math.max(1, (series.sale?.length ?? 0) - 1);
    for (const t of types) {
      g.strokeStyle = COLORS[t] ?? "#000";
      g.lineWidth = 2;
      g.beginPath();
      (series[t] ?? []).forEach((v, i) => {
        const x = 40 + (i / n) * (w - 50),
          y = h - 20 - (v / max) * (h - 40);
        if (i) g.lineTo(x, y);
        else g.moveTo(x, y);
      });
      g.stroke();
    }
    g.fillText(
      "events/s by type, last " +
        (history.length < 120 ? history.length + " s" : Math.round(history.length / 60) + " min"),
      44,
      14,
    );
    const legend = $("legend");
    if (legend !== null)
      legend.innerHTML = types.map((t) => '<span style="color:' + COLORS[t] + '">■ ' + t + "</span>").join("");
  }

  function show(s: RunStatus): void {
    text("simulated", (s.simulated_time ?? "").replace("T", " ").slice(0, 19));
    text("state", s.state + (s.ready ? "" : " (not ready: " + s.reasons.join("; ") + ")"));
    text("speed", String(s.speed ?? ""));
    for (const k of ["produced", "delivered", "failed"] as const) text(k, s[k].toLocaleString("en"));
    text("in-flight", s.in_flight.toLocaleString("en"));
    const history = s.history,
      a = history[history.length - 1],
      b = history[Math.max(0, history.length - 6)];
    text("rate", a && b && a.at > b.at ? (((a.delivered - b.delivered) * 1000) / (a.at - b.at)).toFixed(1) : "0");
    text("pause", s.state === "paused" ? "Resume" : "Pause");
    // Schema version 3: what comes back, and how online orders move.
    if (a !== undefined) {
      text("returns", (a.byType?.return ?? 0).toLocaleString("en"));
      text("order-changes", (a.byType?.order_status ?? 0).toLocaleString("en"));
    }
    // A load test: the pipeline's lag and latency beside the rate it is sent.
    const load = s.load;
    if (load !== undefined) {
      const lagTile = $("load-lag-tile"),
        latencyTile = $("load-latency-tile");
      if (lagTile !== null && load.group !== undefined) lagTile.hidden = false;
      if (latencyTile !== null && load.latency !== undefined) latencyTile.hidden = false;
      text("load-group", load.group ?? "");
      text("load-lag", load.lag === undefined ? "?" : load.lag.toLocaleString("en"));
      if (load.latency !== undefined) text("load-latency", load.latency.p50 + " / " + load.latency.p99);
    }
    last = s;
    draw(history);
  }

  async function poll(): Promise<void> {
    try {
      show((await (await fetch("status")).json()) as RunStatus);
    } catch {
      text("state", "unreachable");
    }
  }

  const click = (id: string, body: () => Record<string, unknown>): void => {
    const button = $(id);
    if (button !== null) button.onclick = () => void control(body());
  };
  const value = (id: string): string => $<HTMLInputElement>(id)?.value ?? "";
  click("pause", () => ({ paused: last?.state !== "paused" }));
  click("set-speed", () => ({ speed: Number(value("speed-input")) }));
  click("set-rate", () => ({ rate: Number(value("rate-input")) }));
  click("set-weights", () => ({ weights: value("weights-input") }));
  click("set-scenario", () => ({ scenario: value("scenario-input") }));
  void poll();
  setInterval(() => void poll(), 1000);
}
