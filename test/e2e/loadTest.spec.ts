import { expect } from "chai";
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Kafka from "node-rdkafka";
import { ROOT, requireBuild, runCli, startCli, type Result } from "../support/cli.js";
import { BROKERS, createTopics, freshTopics } from "../support/kafka.js";
import { until } from "../support/poll.js";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The nearest-rank median, computed here. */
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1] as number;

/**
 * A pipeline of the test's own with a known capacity: group `group` reads `input`, at most
 * `perSecond` records a second (a tenth of that every 100 ms), and writes each record's event id and
 * its produced_at header to `output`; its offsets are committed every `commitMs`.
 */
async function cappedPipeline(
  input: string,
  output: string,
  group: string,
  perSecond: number,
  commitMs = 1000,
): Promise<{ pause(): Promise<void>; stop(): Promise<void> }> {
  const consumer = new Kafka.KafkaConsumer(
    {
      "bootstrap.servers": BROKERS,
      "group.id": group,
      "enable.auto.commit": true,
      "auto.commit.interval.ms": commitMs,
      "fetch.wait.max.ms": 10,
    },
    { "auto.offset.reset": "earliest" },
  );
  const producer = new Kafka.Producer({ "bootstrap.servers": BROKERS, "linger.ms": 0, dr_cb: false });
  await new Promise<void>((resolve, reject) => consumer.connect({}, (e) => (e ? reject(e) : resolve())));
  await new Promise<void>((resolve, reject) => producer.connect({}, (e) => (e ? reject(e) : resolve())));
  consumer.subscribe([input]);
  // A read returns what has come within 10 ms, not when the batch is full.
  consumer.setDefaultConsumeTimeout(10);
  producer.setPollInterval(50);
  let running = true;
  const batch = Math.max(1, Math.round(perSecond / 10));
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const messages = await new Promise<Kafka.Message[]>((resolve) =>
        consumer.consume(batch, (error, m) => resolve(error ? [] : m)),
      );
      for (const m of messages) {
        const value = JSON.parse((m.value as Buffer).toString()) as { event_id: string };
        const produced = (m.headers ?? []).flatMap((h) => Object.entries(h)).find(([k]) => k === "produced_at")?.[1];
        producer.produce(
          output,
          null,
          Buffer.from(JSON.stringify({ event_id: value.event_id, produced_at: Number(String(produced)) })),
          null,
          Date.now(),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - started))));
    }
  })();
  const pause = async (): Promise<void> => {
    running = false;
    await loop;
    try {
      consumer.commitSync(null);
    } catch (error) {
      // Nothing read since the last automatic commit: nothing to commit.
      if (!/No offset stored/.test(String(error))) throw error;
    }
  };
  return {
    pause,
    async stop() {
      if (running) await pause();
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    },
  };
}

/** The test's own reading of the output topic: when each output arrived, less the produced_at it carries. */
async function ownLatencies(output: string): Promise<{ latencies: number[]; stop(): void }> {
  const consumer = new Kafka.KafkaConsumer(
    {
      "bootstrap.servers": BROKERS,
      "group.id": `own-${randomUUID()}`,
      "enable.auto.commit": false,
      "fetch.wait.max.ms": 10,
    },
    { "auto.offset.reset": "earliest" },
  );
  await new Promise<void>((resolve, reject) => consumer.connect({}, (e) => (e ? reject(e) : resolve())));
  consumer.subscribe([output]);
  const latencies: number[] = [];
  let running = true;
  // Each message as it is fetched, stamped then.
  consumer.setDefaultConsumeTimeout(10);
  consumer.setDefaultConsumeLoopTimeoutDelay(0);
  consumer.on("data", (m) => {
    if (running)
      latencies.push(Date.now() - (JSON.parse((m.value as Buffer).toString()) as { produced_at: number }).produced_at);
  });
  consumer.consume();
  return {
    latencies,
    stop: () => {
      if (running) consumer.disconnect();
      running = false;
    },
  };
}

/** The group's partitions of `topic` as Kafka's own ConsumerGroupCommand (the admin API) describes them. */
function adminRows(group: string, topic: string): string[][] {
  const lib = new URL("../../.kafka/lib/*", import.meta.url).pathname;
  const out = execFileSync(
    "java",
    [
      "-cp",
      lib,
      "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
      "--bootstrap-server",
      BROKERS,
      "--describe",
      "--group",
      group,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  );
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[1] === topic);
}

/** The group's lag on `topic` as the admin API gives it: the LAG column summed. */
function adminLag(group: string, topic: string): number {
  return adminRows(group, topic).reduce((sum, cols) => sum + Number(cols[5]), 0);
}

/** The step of a capacity search's report the test reads. */
interface ReportStep {
  held: boolean;
  from: number;
  to: number;
  sentPerSecond: number;
  consumedPerSecond: number;
  p99Ms?: number;
}

/** Runs a capacity search apart (the pipelines under test may live in this process) and reads its report. */
async function findCapacity(
  flags: string[],
  dir: string,
): Promise<{ run: Result; report: { held?: ReportStep; steps: ReportStep[]; stoppedBy: string } }> {
  const started = await startCli(
    [
      ...flags,
      "--find-capacity",
      "--capacity-report",
      join(dir, "report.json"),
      "--capacity-chart",
      join(dir, "chart.svg"),
    ],
    /capacity: /,
  );
  const run = await started.done;
  expect(run.status, run.stderr.slice(-3000)).to.equal(0);
  return { run, report: JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) };
}

describe("load testing a pipeline: latency, lag, and the highest rate it holds", function () {
  this.timeout(420_000);
  before(requireBuild);

  it("should report a pass-through pipeline's latency as the test measures it, and the group's lag as Kafka's admin API does", async () => {
    const { args, names } = freshTopics("latency");
    const output = `${names.sale}-out`;
    const group = `pass-${randomUUID().slice(0, 8)}`;
    await createTopics([...Object.values(names), output], BROKERS);
    const own = await ownLatencies(output);
    const pipeline = await cappedPipeline(names.sale, output, group, 5000);
    const port = await freePort();
    const run = await startCli(
      [
        ...args,
        "--brokers",
        BROKERS,
        "--weights",
        "sales=1",
        "--arrivals",
        "poisson",
        "--rate",
        "1800",
        "--lag-group",
        group,
        "--latency-topic",
        output,
        "--http",
        String(port),
        "--stats-interval",
        "1",
      ],
      /live page and metrics at/,
    );
    try {
      type Status = { state: string; load?: { lag?: number; latency?: { count: number; p50: number } } };
      const status = async (): Promise<Status> =>
        (await fetch(`http://127.0.0.1:${port}/status`)).json() as Promise<Status>;
      await until("500 outputs matched", 90_000, async () => ((await status()).load?.latency?.count ?? 0) >= 500);
      // Its pipeline stops first, then the run: what the run wrote since is the lag both must show.
      await pipeline.pause();
      // Kafka's own account, not the run's last sample (taken before the pause), says when it has grown.
      await until("records the stopped pipeline has not read", 30_000, () => adminLag(group, names.sale) > 20);
      const paused = await fetch(`http://127.0.0.1:${port}/control`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ paused: true }),
      });
      expect(paused.status).to.equal(200);
      const shown = await until("the lag shown to equal the admin API's", 30_000, async () => {
        const lag = (await status()).load?.lag;
        return lag !== undefined && lag === adminLag(group, names.sale) ? lag : undefined;
      });
      expect(shown).to.be.above(20);
      const tool = (await status()).load?.latency as { count: number; p50: number };
      own.stop();
      expect(own.latencies.length).to.be.at.least(tool.count * 0.9);
      expect(
        Math.abs(tool.p50 - median(own.latencies)),
        `tool p50 ${tool.p50}, test's ${median(own.latencies)}`,
      ).to.be.at.most(5);
    } finally {
      own.stop();
      run.child.kill("SIGTERM");
      const done = await run.done;
      await pipeline.stop();
      expect(done.stderr).to.match(/lag of pass-\w+ \d+/);
      expect(done.stderr).to.match(/latency p50 \d+ p95 \d+ p99 \d+ max \d+ ms over \d+ outputs/);
      // The run's summary gives both over the whole run.
      expect(done.stderr).to.match(/load test: lag of pass-\w+ \d+, latency p50 \d+ p95 \d+ p99 \d+ max \d+ ms/);
    }
  });

  it("should find the capacity of a pipeline that handles 300 records/s within 20%, with a report and a chart", async () => {
    const { args, names } = freshTopics("capacity");
    const output = `${names.sale}-out`;
    const group = `capped-${randomUUID().slice(0, 8)}`;
    await createTopics([...Object.values(names), output], BROKERS);
    const pipeline = await cappedPipeline(names.sale, output, group, 300);
    const dir = mkdtempSync(join(tmpdir(), "rs-capacity-"));
    try {
      const { run, report } = await findCapacity(
        [
          ...args,
          "--brokers",
          BROKERS,
          "--weights",
          "sales=1",
          "--lag-group",
          group,
          "--capacity-start",
          "40/s",
          "--capacity-step",
          "10s",
          "--capacity-budget",
          "5m",
        ],
        dir,
      );
      expect(report.held?.consumedPerSecond, run.stdout + run.stderr).to.be.within(240, 360);
      expect(report.steps.some((s) => !s.held)).to.equal(true);
      expect(run.stdout).to.match(/^capacity: held \d+ records\/s/m);
      const svg = readFileSync(join(dir, "chart.svg"), "utf8");
      expect(svg).to.match(/^<svg /);
      expect(svg).to.include("lag of the group");
    } finally {
      await pipeline.stop();
    }
  });

  it("should find the rate the embedded Flink job's pass-through holds, with its latency, and stop within its budget", async function () {
    this.timeout(600_000);
    const prefix = `e2e-flink-load-${randomUUID().slice(0, 8)}.`;
    const group = `flink-${randomUUID().slice(0, 8)}`;
    const sales = `${prefix}retail-sales-transactions`;
    const output = `${prefix}passed-through`;
    const kafka = ["--topic-prefix", prefix, "--brokers", BROKERS, "--weights", "sales=1"];
    // A few records first: Flink commits its group's offsets once it has read some.
    const seeded = await startCli([...kafka, "--count", "50", "--min-delta", "0", "--max-delta", "0"], /summary: /);
    expect((await seeded.done).status).to.equal(0);
    await createTopics([output], BROKERS);
    const ddl = runCli(["schemas", "--format", "flink-sql", "--topic-prefix", prefix, "--brokers", BROKERS]);
    expect(ddl.status, ddl.stderr).to.equal(0);
    const dir = mkdtempSync(join(tmpdir(), "rs-flink-load-"));
    const script = join(dir, "pass-through.sql");
    writeFileSync(
      script,
      ddl.stdout.replaceAll("'retail-stream-flink'", `'${group}'`) +
        `
-- Offsets are committed on each checkpoint: the group's lag is current to the second.
SET 'execution.checkpointing.interval' = '1s';
CREATE TABLE passed (event_id STRING, store_id STRING, total_amount DECIMAL(12, 2), event_time TIMESTAMP_LTZ(3)) WITH (
  'connector' = 'kafka',
  'topic' = '${output}',
  'properties.bootstrap.servers' = '${BROKERS}',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);
INSERT INTO passed SELECT event_id, store_id, total_amount, event_time FROM sales;
`,
    );
    const flink = spawn(join(ROOT, "scripts", "flink-sql.sh"), [script], { stdio: ["ignore", "ignore", "pipe"] });
    let flinkErr = "";
    flink.stderr.on("data", (chunk: Buffer) => (flinkErr += chunk.toString()));
    try {
      await until("the Flink job to commit its group's offsets", 180_000, () => {
        if (flink.exitCode !== null) throw new Error(`Flink ended: ${flinkErr.slice(-2000)}`);
        return adminRows(group, sales).some((cols) => /^\d+$/.test(cols[2] ?? "")) && adminLag(group, sales) === 0;
      });
      const { run, report } = await findCapacity(
        [
          ...kafka,
          "--lag-group",
          group,
          "--latency-topic",
          output,
          "--capacity-start",
          "500/s",
          "--capacity-step",
          "10s",
          "--capacity-budget",
          "4m",
        ],
        dir,
      );
      // The figure for this machine, in the test's output.
      console.log(`      Flink pass-through: ${run.stdout.trim()}; report and chart in ${dir}`);
      expect(report.stoppedBy).to.be.oneOf(["narrowed", "generator", "budget"]);
      expect(report.held?.consumedPerSecond).to.be.above(500);
      // Its outputs were matched to their inputs: the held step has a latency.
      expect(report.held?.p99Ms).to.be.a("number");
      const first = report.steps[0] as { from: number };
      const last = report.steps.at(-1) as { to: number };
      expect(last.to - first.from).to.be.below(240_000);
      expect(run.stderr).to.match(/load test: lag of flink-\w+ \d+, latency p50 \d+/);
    } finally {
      flink.kill("SIGKILL");
    }
  });
});
