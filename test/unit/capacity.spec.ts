import { expect } from "chai";
import { judgeStep, search, type Measure } from "../../src/app/capacity.js";
import type { LoadSample } from "../../src/app/loadWatch.js";
import { RunReport } from "../../src/app/report.js";
import type { RetailEvent } from "../../src/model/events.js";
import { Writable } from "node:stream";
import winston from "winston";

/**
 * Twenty seconds of a pipeline that consumes at most `capacity` records/s while it is sent `sent` a
 * second, as the lag reader sees it: the group commits every `commitEvery` seconds, so between
 * commits its lag climbs by all it is sent (a sawtooth), and the ends grow by what was sent.
 */
function samplesOf(sent: number, capacity: number, { commitEvery = 5, start = 0, backlog = 0 } = {}): LoadSample[] {
  const samples: LoadSample[] = [];
  let written = 1_000_000;
  let consumed = written - backlog;
  let committed = consumed;
  for (let second = 0; second <= 20; second += 1) {
    if (second > 0) {
      written += sent;
      consumed = Math.min(written, consumed + capacity);
      if (second % commitEvery === 0) committed = consumed;
    }
    samples.push({ at: start + second * 1000, written, lag: written - committed });
  }
  return samples;
}

describe("capacity search", () => {
  it("should hold a step the group keeps up with, though its lag saws up and down between commits", () => {
    const step = judgeStep(6000, samplesOf(200, 300));
    expect(step.held, step.why).to.equal(true);
    expect(step.sentPerSecond).to.be.closeTo(200, 1);
  });

  it("should not hold a step the group consumes less than 90% of, and say by how much its lag grew", () => {
    const step = judgeStep(6000, samplesOf(400, 300));
    expect(step.held).to.equal(false);
    expect(step.consumedPerSecond).to.be.within(270, 330);
    expect(step.why).to.match(/^consumed \d+ of 400 records\/s: its lag grew (9\d|10\d) a second$/);
    // Just over the line: 330 of 360 a second is 92%, held; 330 of 380 (87%) is not.
    expect(judgeStep(6000, samplesOf(360, 330)).held).to.equal(true);
    expect(judgeStep(6000, samplesOf(380, 330)).held).to.equal(false);
  });

  it("should hold a step that drains a backlog, and not one whose latency p99 passes the bound", () => {
    expect(judgeStep(6000, samplesOf(200, 300, { backlog: 5000 })).held).to.equal(true);
    const slow = judgeStep(6000, samplesOf(200, 300), { p99Ms: 900, maxP99Ms: 500 });
    expect(slow.held).to.equal(false);
    expect(slow.why).to.equal("latency p99 900 ms over the bound of 500 ms");
  });

  it("should not hold a step whose lag could not be read", () => {
    const step = judgeStep(6000, [{ at: 0 }, { at: 1000 }]);
    expect(step).to.deep.include({ held: false, why: "the group's lag could not be read" });
  });

  for (const capacity of [150, 1000, 7000])
    it(`should find a pipeline's capacity of ${capacity} records/s within 10%, doubling then narrowing, within its budget`, async () => {
      let now = 0;
      // Two records per primary event (a sale and its decrement).
      const measure: Measure = async (ratePerMinute) => {
        const sent = (2 * ratePerMinute) / 60;
        const step = judgeStep(ratePerMinute, samplesOf(sent, capacity, { start: now }));
        now += 27_000;
        return step;
      };
      const result = await search({ startPerMinute: 600, budgetMs: 3_600_000 }, 27_000, measure, () => now);
      expect(result.stoppedBy).to.equal("narrowed");
      expect(result.held?.consumedPerSecond).to.be.within(0.88 * capacity, capacity * 1.01);
      expect(result.steps.every((s) => s.held === s.sentPerSecond <= capacity / 0.9)).to.equal(true);
    });

  it("should stop within its budget, and say so, when the budget ends before the search narrows", async () => {
    let now = 0;
    const measure: Measure = async (ratePerMinute) => {
      now += 27_000;
      return judgeStep(ratePerMinute, samplesOf((2 * ratePerMinute) / 60, 1e9, { start: now }));
    };
    const result = await search({ startPerMinute: 600, budgetMs: 100_000 }, 27_000, measure, () => now);
    expect(result.stoppedBy).to.equal("budget");
    expect(result.steps).to.have.length(3);
    expect(now).to.be.at.most(100_000);
  });

  it("should stop when the input stops following the rate: the generator, not the pipeline, is the limit", async () => {
    let now = 0;
    const measure: Measure = async (ratePerMinute) => {
      now += 27_000;
      const sent = Math.min((2 * ratePerMinute) / 60, 3000);
      return judgeStep(ratePerMinute, samplesOf(sent, 1e9, { start: now }));
    };
    const result = await search({ startPerMinute: 600, budgetMs: 3_600_000 }, 27_000, measure, () => now);
    expect(result.stoppedBy).to.equal("generator");
    expect(result.held?.sentPerSecond).to.be.within(1500, 3000);
  });

  it("should judge the generator by the primary events it made, not by records that vary with checkouts' lines", async () => {
    const run = async (madeShare: number): Promise<string> => {
      let now = 0;
      let step = 0;
      const measure: Measure = async (ratePerMinute) => {
        now += 27_000;
        // Records per event swing from 3.5 to 2.6 and back, as a checkout's lines do.
        const perEvent = [3.5, 2.6, 3.2][step++ % 3] as number;
        const samples = samplesOf((perEvent * ratePerMinute) / 60, 2000, { start: now }).map((s, i) => ({
          ...s,
          made: Math.round((i * madeShare * ratePerMinute) / 60),
        }));
        return judgeStep(ratePerMinute, samples);
      };
      return (await search({ startPerMinute: 6000, budgetMs: 3_600_000 }, 27_000, measure, () => now)).stoppedBy;
    };
    expect(await run(1)).to.equal("narrowed");
    expect(await run(0.7)).to.equal("generator");
  });

  it("should stop at once, and say why, when a step cannot measure the group", async () => {
    let calls = 0;
    const measure: Measure = async (ratePerMinute) => {
      calls += 1;
      return judgeStep(ratePerMinute, [{ at: 0 }, { at: 1000 }, { at: 2000 }]);
    };
    const idle: Measure = async (ratePerMinute) => {
      calls += 1;
      return judgeStep(ratePerMinute, [
        { at: 0, lag: 0, written: 0 },
        { at: 1000, lag: 0, written: 0 },
      ]);
    };
    const unread = await search({ startPerMinute: 600, budgetMs: 3_600_000 }, 27_000, idle, () => 0);
    expect(unread.stoppedBy).to.equal("unmeasured");
    expect(unread.steps[0]?.why).to.equal("the group committed no offsets on the run's topics over the step");
    expect(calls).to.equal(1);
    expect((await search({ startPerMinute: 600, budgetMs: 3_600_000 }, 27_000, measure, () => 0)).steps).to.have.length(
      1,
    );
  });

  it("should keep a capacity search's events off the info log, where a live run shows each", () => {
    const lines = (quietEvents: boolean): string[] => {
      const out: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          out.push(chunk.toString());
          done();
        },
      });
      const log = winston.createLogger({ level: "info", transports: [new winston.transports.Stream({ stream })] });
      const visit = { event_type: "customer_event", event_id: "e1", customer_id: "C1", store_id: "S001" };
      const report = new RunReport(log, 0, quietEvents);
      // The source counts the tick first, then its event passes.
      report.tick();
      report.event(visit as unknown as RetailEvent, 0);
      return out;
    };
    expect(lines(false).join("")).to.match(/Event #1: /);
    expect(lines(true)).to.deep.equal([]);
  });
});
