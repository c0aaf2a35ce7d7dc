/**
 * The live page: events per second by type over the last minutes (drawn by
 * the page on a canvas), the simulated clock, delivered / failed / in flight,
 * and the controls. One self-contained document: no build step, nothing fetched
 * from outside the machine.
 */
export function livePage(needsToken: boolean): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>retail-stream</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px system-ui, sans-serif; margin: 24px; color: #1d2430; background: #f7f8fa; }
  h1 { font-size: 20px; margin: 0 0 4px; } .muted { color: #667085; }
  .tiles { display: flex; gap: 12px; margin: 16px 0; flex-wrap: wrap; }
  .tile { background: #fff; border: 1px solid #e4e7ec; border-radius: 8px; padding: 10px 14px; min-width: 120px; }
  .tile b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
  canvas { background: #fff; border: 1px solid #e4e7ec; border-radius: 8px; width: 100%; max-width: 960px; height: 280px; }
  .controls { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin-top: 14px; }
  input { width: 110px; padding: 4px 6px; } input.wide { width: 260px; }
  button { padding: 5px 12px; border: 1px solid #98a2b3; border-radius: 6px; background: #fff; cursor: pointer; }
  #legend span { margin-right: 14px; } #message { margin-top: 10px; min-height: 18px; }
</style></head>
<body>
<h1>retail-stream</h1>
<div class="muted">simulated time <span id="simulated">…</span> · <span id="state">…</span> · speed <span id="speed">…</span>×</div>
<div class="tiles">
  <div class="tile">produced<b id="produced">0</b></div>
  <div class="tile">delivered<b id="delivered">0</b></div>
  <div class="tile">failed<b id="failed">0</b></div>
  <div class="tile">in flight<b id="in-flight">0</b></div>
  <div class="tile">events/s<b id="rate">0</b></div>
</div>
<canvas id="chart" width="960" height="280"></canvas>
<div id="legend" class="muted"></div>
<div class="controls">
  <button id="pause">Pause</button>
  <label>speed <input id="speed-input" type="number" min="0" step="any"></label><button id="set-speed">Set</button>
  <label>rate/min <input id="rate-input" type="number" min="0" step="any"></label><button id="set-rate">Set</button>
  <label>weights <input id="weights-input" class="wide" placeholder="sales=50,inventory=20,customer=15,price=10"></label><button id="set-weights">Set</button>
  <label>scenario <input id="scenario-input" placeholder="weekday"></label><button id="set-scenario">Switch</button>
  ${needsToken ? '<label>token <input id="token" type="password"></label>' : ""}
</div>
<div id="message" class="muted"></div>
<script>
const COLORS = { sale: "#2563eb", inventory_update: "#16a34a", customer_event: "#f59e0b", price_change: "#9333ea", restock_alert: "#dc2626" };
const $ = (id) => document.getElementById(id);
let last;
async function control(body) {
  const token = $("token")?.value;
  const response = await fetch("control", { method: "POST", headers: { "Content-Type": "application/json", ...(token ? { Authorization: "Bearer " + token } : {}) }, body: JSON.stringify(body) });
  const answer = await response.json();
  $("message").textContent = response.ok ? "changed: " + (answer.changed.join(", ") || "nothing") : "refused: " + answer.error;
  if (response.ok) show(answer.status);
}
function draw(history) {
  const canvas = $("chart"), g = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
  g.clearRect(0, 0, w, h);
  const types = Object.keys(COLORS), series = {};
  for (const t of types) series[t] = [];
  for (let i = 1; i < history.length; i++) {
    const dt = (history[i].at - history[i - 1].at) / 1000 || 1;
    for (const t of types) series[t].push(((history[i].byType[t] || 0) - (history[i - 1].byType[t] || 0)) / dt);
  }
  const max = Math.max(1, ...types.flatMap((t) => series[t]));
  g.strokeStyle = "#e4e7ec"; g.fillStyle = "#667085"; g.font = "11px system-ui";
  for (let k = 0; k <= 4; k++) { const y = h - 20 - (k / 4) * (h - 40); g.beginPath(); g.moveTo(40, y); g.lineTo(w - 10, y); g.stroke(); g.fillText((max * k / 4).toFixed(max < 4 ? 1 : 0), 4, y + 4); }
  const n = Math.max(1, series.sale.length - 1);
  for (const t of types) {
    g.strokeStyle = COLORS[t]; g.lineWidth = 2; g.beginPath();
    series[t].forEach((v, i) => { const x = 40 + (i / n) * (w - 50), y = h - 20 - (v / max) * (h - 40); i ? g.lineTo(x, y) : g.moveTo(x, y); });
    g.stroke();
  }
  g.fillText("events/s by type, last " + (history.length < 120 ? history.length + " s" : Math.round(history.length / 60) + " min"), 44, 14);
  $("legend").innerHTML = types.map((t) => '<span style="color:' + COLORS[t] + '">■ ' + t + "</span>").join("");
}
function show(s) {
  $("simulated").textContent = (s.simulated_time ?? "").replace("T", " ").slice(0, 19);
  $("state").textContent = s.state + (s.ready ? "" : " (not ready: " + s.reasons.join("; ") + ")");
  $("speed").textContent = s.speed ?? "";
  for (const k of ["produced", "delivered", "failed"]) $(k).textContent = s[k].toLocaleString("en");
  $("in-flight").textContent = s.in_flight.toLocaleString("en");
  const h = s.history, a = h[h.length - 1], b = h[Math.max(0, h.length - 6)];
  $("rate").textContent = a && b && a.at > b.at ? ((a.delivered - b.delivered) * 1000 / (a.at - b.at)).toFixed(1) : "0";
  $("pause").textContent = s.state === "paused" ? "Resume" : "Pause";
  last = s;
  draw(h);
}
async function poll() {
  try { show(await (await fetch("status")).json()); } catch (e) { $("state").textContent = "unreachable"; }
}
$("pause").onclick = () => control({ paused: last?.state !== "paused" });
$("set-speed").onclick = () => control({ speed: Number($("speed-input").value) });
$("set-rate").onclick = () => control({ rate: Number($("rate-input").value) });
$("set-weights").onclick = () => control({ weights: $("weights-input").value });
$("set-scenario").onclick = () => control({ scenario: $("scenario-input").value });
poll();
setInterval(poll, 1000);
</script>
</body></html>
`;
}
