import { pageScript } from "./pageScript.js";

/**
 * The live page: events per second by type over the last minutes (drawn by
 * the page on a canvas), the simulated clock, delivered / failed / in flight,
 * and the controls. One self-contained document: no build step, nothing fetched
 * from outside the machine; its script is `pageScript`, type-checked and linted.
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
  <div class="tile">returns<b id="returns">0</b></div>
  <div class="tile">order status changes<b id="order-changes">0</b></div>
  <div class="tile" id="load-lag-tile" hidden>lag of <span id="load-group"></span><b id="load-lag">0</b></div>
  <div class="tile" id="load-latency-tile" hidden>latency p50 / p99 ms<b id="load-latency">0</b></div>
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
(${pageScript.toString()})();
</script>
</body></html>
`;
}
