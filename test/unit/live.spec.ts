import { expect } from "chai";
import type { AddressInfo } from "node:net";
import winston from "winston";
import { Driver } from "../../src/clock/driver.js";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";
import { uniformArrivals } from "../../src/model/arrivals.js";
import type { Envelope } from "../../src/wire/envelope.js";
import { DEFAULT_WEIGHTS } from "../../src/model/weights.js";
import { KafkaSink } from "../../src/sinks/kafka/kafkaSink.js";
import { Steering } from "../../src/streams/steering.js";
import { planControl } from "../../src/live/control.js";
import { parseKafkaStats } from "../../src/sinks/kafka/kafkaStats.js";
import { LiveRun } from "../../src/live/liveRun.js";
import { RunMetrics } from "../../src/live/metrics.js";
import { startLiveServer } from "../../src/live/server.js";
import { combinedStatus, localView, workerAnswers, workersView } from "../../src/live/view.js";
import type { WorkerAsk } from "../../src/app/workerProtocol.js";
import { RunReport } from "../../src/app/report.js";
import { readChain } from "../../src/data/chainFiles.js";
import { loadScenario } from "../../src/data/scenarios.js";
import { FakeProducer } from "../support/fakeProducer.js";
import { FakeWall } from "../support/fakeWall.js";

const silent = winston.createLogger({ silent: true });
const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const TOPICS = { sale: "sales", customer_event: "visits" };
const record = (topic: string, id: string): Envelope => ({
  topic,
  key: "S001",
  timestamp: 0,
  headers: { event_type: "customer_event", schema_version: "1" },
  value: {
    event_id: id,
    event_type: "customer_event",
    event_time: "1970-01-01T00:00:00.000Z",
    schema_version: 1,
    customer_id: "C1",
    store_id: "S001",
    action: "enter",
  },
});

/** A run of known records on a fake producer, and its live view: 3 to `sales` (one fails), 2 to `visits`, 1 left in flight. */
function knownRun(): { live: LiveRun; metrics: RunMetrics; driver: Driver; steering: Steering; wall: FakeWall } {
  const producer = new FakeProducer(1000);
  const sink = new KafkaSink(producer, { maxInFlight: 100, log: quiet });
  for (const [topic, id] of [
    ["sales", "a"],
    ["sales", "b"],
    ["visits", "c"],
    ["sales", "d"],
    ["visits", "e"],
    ["visits", "f"],
  ] as const)
    sink.write(record(topic, id));
  producer.deliver(3);
  producer.deliver(1, { code: 2, message: "Broker: Corrupt message" });
  producer.deliver(1);
  const scheduler = new SimulatedScheduler(Date.UTC(2026, 10, 27, 12));
  const wall = new FakeWall();
  const report = new RunReport(silent, 0);
  report.fault("duplicate,late");
  report.fault("late");
  const steering = new Steering({ arrivals: uniformArrivals(10_000, 60_000), weights: DEFAULT_WEIGHTS });
  const live = new LiveRun({
    sink,
    report,
    scheduler,
    steering,
    topics: TOPICS,
    wallNow: () => wall.now(),
    transactions: () => ({ committed: 7, aborted: 1 }),
  });
  const driver = new Driver(scheduler, { wall, anchor: scheduler.now(), speed: 60, spinMs: 0 });
  live.setDriver(driver);
  return { live, metrics: new RunMetrics(live), driver, steering, wall };
}

/** The value of one sample line of the exposition text. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no ${series} in\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe("live: metrics, control and the endpoints", () => {
  it("should expose a known run's counts by topic and type, in flight, faults, transactions, clock and librdkafka's statistics", async () => {
    const { live, metrics } = knownRun();
    live.setKafkaStats(
      parseKafkaStats(
        JSON.stringify({
          brokers: {
            "127.0.0.1:9092/1": { name: "127.0.0.1:9092/1", nodeid: 1, state: "UP", rtt: { avg: 2500 }, txretries: 3 },
            "127.0.0.1:9092/bootstrap": { nodeid: -1, state: "UP" },
          },
          topics: { sales: { topic: "sales", batchsize: { avg: 4096 }, batchcnt: { avg: 12 } } },
        }),
      ),
    );
    metrics.observeLag(250);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'retail_stream_records_produced_total{topic="sales",type="sale"}')).to.equal(3);
    expect(sample(text, 'retail_stream_records_produced_total{topic="visits",type="customer_event"}')).to.equal(3);
    expect(sample(text, 'retail_stream_records_delivered_total{topic="sales",type="sale"}')).to.equal(2);
    expect(sample(text, 'retail_stream_records_failed_total{topic="sales",type="sale"}')).to.equal(1);
    expect(sample(text, 'retail_stream_records_delivered_total{topic="visits",type="customer_event"}')).to.equal(2);
    expect(sample(text, "retail_stream_records_in_flight")).to.equal(1);
    expect(sample(text, 'retail_stream_faults_total{kind="late"}')).to.equal(2);
    expect(sample(text, 'retail_stream_faults_total{kind="duplicate"}')).to.equal(1);
    expect(sample(text, 'retail_stream_transactions_total{outcome="committed"}')).to.equal(7);
    expect(sample(text, "retail_stream_simulated_time_seconds")).to.equal(Date.UTC(2026, 10, 27, 12) / 1000);
    expect(sample(text, "retail_stream_speed_ratio")).to.equal(60);
    expect(sample(text, 'retail_stream_kafka_broker_rtt_seconds{broker="127.0.0.1:9092/1"}')).to.equal(0.0025);
    expect(sample(text, "retail_stream_kafka_brokers_up")).to.equal(1);
    expect(sample(text, 'retail_stream_kafka_batch_size_bytes{topic="sales"}')).to.equal(4096);
    expect(sample(text, "retail_stream_kafka_retries_total")).to.equal(3);
    expect(sample(text, 'retail_stream_pacing_lag_seconds_bucket{le="0.5"}')).to.equal(1);
    expect(sample(text, 'retail_stream_pacing_lag_seconds_bucket{le="0.1"}')).to.equal(0);
  });

  it("should be not ready with no broker up, or with records in flight and nothing delivered for 15 s", () => {
    const { live, wall } = knownRun();
    live.sample();
    expect(live.notReady()).to.deep.equal([]);
    wall.time = 16_000;
    expect(live.notReady()).to.deep.equal(["nothing delivered for 16 s with 1 in flight"]);
    live.setKafkaStats(parseKafkaStats(JSON.stringify({ brokers: { b: { name: "b", nodeid: 1, state: "DOWN" } } })));
    expect(live.notReady()).to.include("no broker connected");
  });

  const chain = readChain();
  const load = (name: string) => loadScenario(name, chain, `scenario ${name}`);
  for (const [body, problem] of [
    [[], /body: \/: must be of type object/],
    ["fast", /body: \/: must be of type object/],
    [{}, /body: \/: must NOT have fewer than 1 properties/],
    [{ speed: 0 }, /body: \/speed: must be >= 0.001, got 0/],
    [{ speed: 1e-320 }, /body: \/speed: must be >= 0.001, got 1e-320/],
    [{ speed: 1e9 }, /body: \/speed: must be <= 1000000, got 1000000000/],
    [{ rate: 1e308 }, /body: \/rate: must be <= 1000000, got 1e\+308/],
    [{ speed: "fast" }, /body: \/speed: must be a finite number, got "fast"/],
    [{ paused: "yes" }, /body: \/paused: must be of type boolean/],
    [{ rate: -1 }, /body: \/rate: must be > 0/],
    [{ colour: "red" }, /body: \/: unknown field "colour"/],
    [{ weights: "sales=abc" }, /body: \/weights: /],
    [{ weights: { sales: -1 } }, /body: \/weights/],
    [{ scenario: "no-such-scenario" }, /body: \/scenario: .*no such built-in scenario or file/],
    [{ speed: 5, scenario: "no-such-scenario" }, /body: \/scenario/],
    [{ schema_version: 4 }, /body: \/schema_version: must be one of 1, 2, 3/],
  ] as Array<[unknown, RegExp]>) {
    it(`should refuse ${JSON.stringify(body)} with the reason, changing nothing`, async () => {
      const { live, driver, steering } = knownRun();
      const before = { state: steering.state, speed: driver.speed, paused: driver.isPaused };
      const plan = await planControl(body, { chain, load, run: live });
      expect(plan.apply).to.equal(undefined);
      expect(plan.problems.join("; ")).to.match(problem);
      expect({ state: steering.state, speed: driver.speed, paused: driver.isPaused }).to.deep.equal(before);
    });
  }

  it("should apply a good body: speed, pause, rate, weights and scenario", async () => {
    const { live, driver, steering } = knownRun();
    const plan = await planControl(
      { speed: 5, paused: true, rate: 12, weights: "sales=1,customer=1", scenario: "weekend" },
      { chain, load, run: live },
    );
    expect(plan.problems).to.deep.equal([]);
    const said = plan.apply?.() ?? [];
    expect(said).to.have.length(5);
    expect([driver.speed, driver.isPaused, steering.state.scenario, steering.state.weights.sale]).to.deep.equal([
      5,
      true,
      "weekend",
      1,
    ]);
    expect(steering.state.ratePerMinute).to.be.closeTo(12, 1e-9);
  });

  it("should roll schema version 2 out, and back, from the next primary event on", async () => {
    const { live, steering } = knownRun();
    const plan = await planControl({ schema_version: 2 }, { chain, load, run: live });
    expect(plan.apply?.()).to.deep.equal(["schema version 1 → 2"]);
    expect(steering.state.schemaVersion).to.equal(2);
    expect(steering.options().schemaVersion(0)).to.equal(2);
    expect((await planControl({ schema_version: 1 }, { chain, load, run: live })).apply?.()).to.deep.equal([
      "schema version 2 → 1",
    ]);
    expect(steering.options().schemaVersion(0)).to.equal(1);
  });

  it("should serve the endpoints, and take control only with the token", async () => {
    const { live, metrics } = knownRun();
    const server = await startLiveServer({
      host: "127.0.0.1",
      port: 0,
      token: "s3cret",
      view: localView(live, metrics, { chain, load }),
      log: silent,
      epochNow: () => 0,
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/healthz`)).status).to.equal(200);
      expect((await fetch(`${base}/readyz`)).status).to.equal(200);
      expect(((await (await fetch(`${base}/status`)).json()) as { produced: number }).produced).to.equal(6);
      expect(await (await fetch(`${base}/metrics`)).text()).to.include("retail_stream_records_delivered_total");
      expect(await (await fetch(`${base}/`)).text()).to.include('<canvas id="chart"');
      const post = (body: string, token?: string) =>
        fetch(`${base}/control`, {
          method: "POST",
          body,
          headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
        });
      expect((await post('{"paused":true}')).status).to.equal(401);
      expect((await post('{"paused":true}', "wrong")).status).to.equal(401);
      expect((await post("{not json", "s3cret")).status).to.equal(400);
      const refused = await post('{"speed":-2}', "s3cret");
      expect([refused.status, ((await refused.json()) as { error: string }).error]).to.deep.equal([
        400,
        "body: /speed: must be >= 0.001, got -2",
      ]);
      expect((await post('{"paused":true}', "s3cret")).status).to.equal(200);
      expect(live.driver()?.isPaused).to.equal(true);
      expect((await fetch(`${base}/nowhere`)).status).to.equal(404);
    } finally {
      server.close();
    }
  });

  describe("--workers with --http: the workers' live sides as one", () => {
    /** Two workers' known runs, answering through `workerAnswers` as they do over IPC; every question is kept. */
    function twoWorkers(): {
      runs: Array<ReturnType<typeof knownRun>>;
      asked: Array<{ worker: number; question: WorkerAsk }>;
      answer: (i: number, q: WorkerAsk) => Promise<unknown>;
    } {
      const runs = [knownRun(), knownRun()];
      const answerers = runs.map((r) =>
        workerAnswers(() => ({ view: localView(r.live, r.metrics, { chain, load }), metrics: r.metrics })),
      );
      const asked: Array<{ worker: number; question: WorkerAsk }> = [];
      return {
        runs,
        asked,
        answer: (i, q) => {
          asked.push({ worker: i, question: q });
          return (answerers[i] as (q: WorkerAsk) => Promise<unknown>)(q);
        },
      };
    }

    it("should sum the counters and the in-flight gauge, and take the clock of the worker furthest behind", async () => {
      const { runs, answer } = twoWorkers();
      runs[0]?.live.scheduler.schedule(() => undefined, 60_000);
      (runs[0] as ReturnType<typeof knownRun>).live.scheduler.runNext();
      const { text } = await workersView(2, answer).metrics();
      expect(sample(text, 'retail_stream_records_produced_total{topic="sales",type="sale"}')).to.equal(6);
      expect(sample(text, 'retail_stream_records_failed_total{topic="sales",type="sale"}')).to.equal(2);
      expect(sample(text, "retail_stream_records_in_flight")).to.equal(2);
      expect(sample(text, 'retail_stream_transactions_total{outcome="committed"}')).to.equal(14);
      expect(sample(text, "retail_stream_simulated_time_seconds")).to.equal(Date.UTC(2026, 10, 27, 12) / 1000);
      expect(sample(text, "retail_stream_speed_ratio")).to.equal(60);
    });

    it("should combine the statuses: counts summed, ready only when every worker is, each reason naming its worker", async () => {
      const { runs, answer } = twoWorkers();
      const view = workersView(2, answer);
      const status = await view.status();
      expect([
        status.workers,
        status.produced,
        status.delivered,
        status.failed,
        status.in_flight,
        status.state,
      ]).to.deep.equal([2, 12, 8, 2, 2, "running"]);
      expect((status.transactions as { committed: number }).committed).to.equal(14);
      (runs[1] as ReturnType<typeof knownRun>).wall.advance(20_000);
      expect(await view.notReady()).to.deep.equal(["worker 1: nothing delivered for 20 s with 1 in flight"]);
    });

    it("should make a control change on every worker only when none refuses it", async () => {
      const { runs, asked, answer } = twoWorkers();
      const view = workersView(2, answer);
      const refused = await view.plan({ speed: -1 });
      expect(refused.apply).to.equal(undefined);
      expect(refused.problems).to.deep.equal(["body: /speed: must be >= 0.001, got -1"]);
      expect(asked.filter((a) => a.question.ask === "drop").map((a) => a.worker)).to.deep.equal([0, 1]);
      const plan = await view.plan({ speed: 5, paused: true });
      expect(runs.map((r) => r.driver.speed)).to.deep.equal([60, 60]);
      const applied = await plan.apply?.();
      expect(applied?.said).to.deep.equal(["speed 60 → 5", "paused"]);
      expect(runs.map((r) => [r.driver.speed, r.driver.isPaused])).to.deep.equal([
        [5, true],
        [5, true],
      ]);
      expect(applied?.status.state).to.equal("paused");
    });

    it("should say it is starting, not ready, before any worker answers", () => {
      const status = combinedStatus([]);
      expect([status.state, status.ready, status.reasons, status.history, status.simulated_time]).to.deep.equal([
        "starting",
        false,
        ["no worker is live yet"],
        [],
        null,
      ]);
    });

    it("should say it is starting, not ready, while a worker has not answered yet", async () => {
      const { answer } = twoWorkers();
      let late = true;
      const view = workersView(2, (i, q) => (late && i === 1 ? Promise.resolve(undefined) : answer(i, q)));
      const early = await view.status();
      expect([early.state, early.ready, early.workers, early.reasons[0]]).to.deep.equal([
        "starting",
        false,
        1,
        "1 of 2 workers not live yet",
      ]);
      late = false;
      const both = await view.status();
      expect([both.state, both.workers]).to.deep.equal(["running", 2]);
    });

    it("should count a worker that no longer answers with its last answer", async () => {
      const { answer } = twoWorkers();
      let gone = false;
      const view = workersView(2, (i, q) => (gone && i === 1 ? Promise.resolve(undefined) : answer(i, q)));
      expect((await view.status()).produced).to.equal(12);
      const metric = 'retail_stream_records_produced_total{topic="visits",type="customer_event"}';
      expect(sample((await view.metrics()).text, metric)).to.equal(6);
      gone = true;
      expect((await view.status()).produced).to.equal(12);
      expect(sample((await view.metrics()).text, metric)).to.equal(6);
    });
  });
});
