import { expect } from "chai";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, requireBuild, startCli } from "../support/cli.js";
import { BROKERS, LOCAL_KAFKA, freshTopics, isAlive, requireLocalBroker, totalsOf } from "../support/kafka.js";
import { until } from "../support/poll.js";

/** A port free on loopback right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Status {
  state: string;
  delivered: number;
  in_flight: number;
  ready: boolean;
  reasons: string[];
  history: unknown[];
}
const status = async (base: string): Promise<Status> => (await (await fetch(`${base}/status`)).json()) as Status;

/** A continuous run into fresh topics with its live endpoints on a free port. */
async function liveRun(
  tag: string,
  extra: string[] = [],
): Promise<{ child: ChildProcess; done: Promise<{ stderr: string }>; base: string }> {
  const port = await freePort();
  const { args } = freshTopics(tag);
  // Started in the past: the broker refuses timestamps more than an hour ahead of its clock.
  const { child, done } = await startCli(
    [
      "--continuous",
      "--speed",
      "3600",
      "--start-time",
      "2026-11-20T00:00:00Z",
      "--seed",
      "5",
      "--brokers",
      BROKERS,
      "--http",
      `127.0.0.1:${port}`,
      "--log-level",
      "info",
      ...args,
      ...extra,
    ],
    /live page and metrics at/,
  );
  return { child, done, base: `http://127.0.0.1:${port}` };
}

describe("watching and steering a run: Prometheus, a browser, health", function () {
  this.timeout(180_000);
  before(requireBuild);

  for (const workers of [[], ["--workers", "2"]]) {
    it(`should have Prometheus scrape a delivered counter equal to the run's summary${workers.length > 0 ? ", the two workers' metrics as one" : ""}`, async () => {
      const run = await liveRun("e2e-prom", workers);
      const dir = mkdtempSync(join(tmpdir(), "prometheus-"));
      const promPort = await freePort();
      writeFileSync(
        join(dir, "prometheus.yml"),
        `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: retail-stream\n    static_configs:\n      - targets: ["${run.base.slice("http://".length)}"]\n`,
      );
      const prometheus = spawn(
        "prometheus",
        [
          `--config.file=${join(dir, "prometheus.yml")}`,
          `--storage.tsdb.path=${join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
        ],
        { stdio: "ignore" },
      );
      try {
        await until("500 records delivered", 60_000, async () =>
          (await status(run.base)).delivered >= 500 ? true : undefined,
        );
        await fetch(`${run.base}/control`, { method: "POST", body: JSON.stringify({ paused: true }) });
        const settled = await until("the paused run to settle", 30_000, async () => {
          const s = await status(run.base);
          return s.state === "paused" && s.in_flight === 0 ? s : undefined;
        });
        const query = `http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent("sum(retail_stream_records_delivered_total)")}`;
        const scraped = await until("Prometheus to scrape the settled counter", 60_000, async () => {
          const answer = (await (await fetch(query)).json()) as {
            data: { result: Array<{ value: [number, string] }> };
          };
          const value = Number(answer.data.result[0]?.value[1]);
          return value === settled.delivered ? value : undefined;
        });
        run.child.kill("SIGTERM");
        const { stderr } = await run.done;
        expect(totalsOf(stderr).delivered).to.equal(scraped);
      } finally {
        prometheus.kill("SIGTERM");
        run.child.kill("SIGKILL");
      }
    });

    it(`should show the live page in Chromium with rising counts, and stop them with a click on pause${workers.length > 0 ? " (two workers)" : ""}`, async () => {
      const run = await liveRun("e2e-page", workers);
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu"],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
        await page.goto(run.base);
        const delivered = async (): Promise<number> =>
          Number((await page.textContent("#delivered"))?.replace(/,/g, ""));
        await page.waitForFunction("Number(document.getElementById('delivered').textContent.replace(/,/g, '')) > 0");
        const first = await delivered();
        // Rising: polled in the page until it shows more than it first did.
        await page.waitForFunction(
          (n) => Number(document.getElementById("delivered")?.textContent?.replace(/,/g, "")) > n,
          first,
          { timeout: 20_000 },
        );
        // Version 3's online orders move on the page too (paid minutes after placing: seconds at 3600×).
        await page.waitForFunction(
          "Number(document.getElementById('order-changes').textContent.replace(/,/g, '')) > 0",
          undefined,
          { timeout: 60_000 },
        );
        expect(await page.textContent("#legend")).to.include("order_status");
        mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
        await page.screenshot({ path: join(ROOT, "test-artifacts", "live-page.png") });
        await page.click("#pause");
        await page.waitForFunction("document.getElementById('pause').textContent === 'Resume'");
        // Paused once nothing is left in flight; then two more once-a-second samples of the run show nothing new.
        const drained = await until("nothing in flight after the pause", 20_000, async () => {
          const now = await status(run.base);
          return now.in_flight === 0 ? now : undefined;
        });
        await until("two more samples", 20_000, async () =>
          (await status(run.base)).history.length >= drained.history.length + 2 ? true : undefined,
        );
        expect((await status(run.base)).delivered).to.equal(drained.delivered);
        await page.waitForFunction(
          (n) => Number(document.getElementById("delivered")?.textContent?.replace(/,/g, "")) === n,
          drained.delivered,
          { timeout: 10_000 },
        );
        expect(await page.textContent("#state")).to.match(/^paused/);
      } finally {
        await browser.close();
        run.child.kill("SIGTERM");
        await run.done;
      }
    });
  }

  describe("health", () => {
    before(requireLocalBroker);
    after(() => execFileSync(join(ROOT, "scripts/kafka-up.sh"), { stdio: "ignore" }));

    it("should say not ready while the broker is down, and ready again once it is back", async () => {
      const run = await liveRun("e2e-health", ["--flush-timeout", "60"]);
      try {
        await until("ready", 30_000, async () =>
          (await fetch(`${run.base}/readyz`)).status === 200 ? true : undefined,
        );
        const pid = Number(readFileSync(join(LOCAL_KAFKA.home, "broker.pid"), "utf8"));
        process.kill(pid, "SIGTERM");
        const down = await until("not ready", 60_000, async () => {
          const response = await fetch(`${run.base}/readyz`);
          return response.status === 503 ? ((await response.json()) as { reasons: string[] }) : undefined;
        });
        expect(down.reasons.join("; ")).to.match(/no broker connected|nothing delivered/);
        expect((await fetch(`${run.base}/healthz`)).status).to.equal(200);
        // Started again only once gone (the start script leaves a broker that is still running alone).
        await until("the broker to stop", 60_000, async () => (isAlive(pid) ? undefined : true));
        execFileSync(join(ROOT, "scripts/kafka-up.sh"), { stdio: "ignore" });
        await until("ready again", 90_000, async () =>
          (await fetch(`${run.base}/readyz`)).status === 200 ? true : undefined,
        );
      } finally {
        run.child.kill("SIGTERM");
        await run.done;
      }
    });
  });
});
