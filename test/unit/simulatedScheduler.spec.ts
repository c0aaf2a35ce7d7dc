import { expect } from "chai";
import { interval, take, timer } from "rxjs";
import { SimulatedScheduler } from "../../src/clock/simulatedScheduler.js";

describe("SimulatedScheduler", () => {
  it("should start its clock at the given simulated time", () => {
    expect(new SimulatedScheduler(Date.UTC(2026, 0, 1)).now()).to.equal(Date.UTC(2026, 0, 1));
  });

  it("should run actions in simulated-time order, ties in scheduling order, with now() at each one's time", () => {
    const scheduler = new SimulatedScheduler(1000);
    const ran: string[] = [];
    scheduler.schedule(() => ran.push(`b@${scheduler.now()}`), 20);
    scheduler.schedule(() => ran.push(`a@${scheduler.now()}`), 10);
    scheduler.schedule(() => ran.push(`c@${scheduler.now()}`), 20);
    while (scheduler.runNext());
    expect(ran).to.deep.equal(["a@1010", "b@1020", "c@1020"]);
  });

  it("should only run what is due by the limit", () => {
    const scheduler = new SimulatedScheduler(0);
    const ran: number[] = [];
    for (const t of [5, 10, 15]) scheduler.schedule(() => ran.push(t), t);
    while (scheduler.runNext(10));
    expect(ran).to.deep.equal([5, 10]);
    expect(scheduler.nextDue()).to.equal(15);
  });

  it("should not run cancelled actions and should forget them", () => {
    const scheduler = new SimulatedScheduler(0);
    const ran: number[] = [];
    const subscription = scheduler.schedule(() => ran.push(1), 5);
    scheduler.schedule(() => ran.push(2), 6);
    subscription.unsubscribe();
    expect(scheduler.pending).to.equal(1);
    while (scheduler.runNext());
    expect(ran).to.deep.equal([2]);
  });

  it("should drive RxJS's own recursive schedules (interval) at exact simulated times", () => {
    const scheduler = new SimulatedScheduler(0);
    const times: number[] = [];
    interval(250, scheduler)
      .pipe(take(4))
      .subscribe(() => times.push(scheduler.now()));
    while (scheduler.runNext());
    expect(times).to.deep.equal([250, 500, 750, 1000]);
    expect(scheduler.pending).to.equal(0);
  });

  it("should move the idle clock forward but never past a queued action or backwards", () => {
    const scheduler = new SimulatedScheduler(100);
    scheduler.advanceTo(50);
    expect(scheduler.now()).to.equal(100);
    timer(400, scheduler).subscribe();
    scheduler.advanceTo(10_000);
    expect(scheduler.now()).to.equal(500);
  });

  it("should keep its queue compact when many timers are cancelled behind a live one", () => {
    const scheduler = new SimulatedScheduler(0);
    // The live action sits on top, so cancelled entries never surface by themselves: only compaction drops them.
    scheduler.schedule(() => undefined, 1);
    for (let i = 0; i < 10_000; i += 1) scheduler.schedule(() => undefined, 1_000_000).unsubscribe();
    expect(scheduler.pending).to.equal(1);
    expect(scheduler.queued).to.be.at.most(130);
    expect(scheduler.nextDue()).to.equal(1);
  });
});
