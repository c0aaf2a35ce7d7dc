import { expect } from "chai";
import { parseLatencyMatch } from "../../src/model/latencyMatch.js";
import { LatencyTracker, summarise } from "../../src/verify/latency.js";

const T0 = Date.UTC(2026, 10, 2, 10);

describe("latency of a pipeline's outputs", () => {
  it("should match an output to its input by the event id it keeps, at any depth, and count those it cannot", () => {
    const tracker = new LatencyTracker({ by: "id", field: "after.event_id" });
    tracker.sent("a", T0, 1_000);
    tracker.sent("b", T0, 1_010);
    expect(tracker.seen({ after: { event_id: "b" } }, 1_050)).to.equal(40);
    expect(tracker.seen({ after: { event_id: "a" } }, 1_100)).to.equal(100);
    expect(tracker.seen({ after: { event_id: "zzz" } }, 1_100)).to.equal(undefined);
    expect(tracker.seen({ event_id: "a" }, 1_100)).to.equal(undefined);
    expect(tracker.unmatched).to.equal(2);
    expect(tracker.total()).to.deep.equal({ count: 2, p50: 40, p95: 100, p99: 100, max: 100 });
  });

  it("should forget inputs older than it keeps, so memory is bounded by time, not by the run", () => {
    const tracker = new LatencyTracker({ by: "id", field: "event_id" }, 60_000);
    tracker.sent("old", T0, 0);
    tracker.sent("new", T0, 61_000);
    expect(tracker.seen({ event_id: "old" }, 61_001)).to.equal(undefined);
    expect(tracker.seen({ event_id: "new" }, 61_001)).to.equal(1);
  });

  it("should time a window's row from its last input produced, whatever the form of its bounds", () => {
    const tracker = new LatencyTracker({ by: "window", start: "window_start", end: "window_end" });
    // Inputs of 10:00:00–10:00:59 produced at 5,000 + their second; one of 10:01:00 produced later.
    for (let s = 0; s < 60; s += 1) tracker.sent(`e${s}`, T0 + s * 1000 + 300, 5_000 + s);
    tracker.sent("next", T0 + 60_000, 9_000);
    // Flink writes "2026-11-02 10:00:00" (UTC here), others ISO 8601 or epoch ms.
    expect(tracker.seen({ window_start: "2026-11-02 10:00:00", window_end: "2026-11-02 10:01:00" }, 5_100)).to.equal(
      41,
    );
    expect(tracker.seen({ window_start: "2026-11-02T10:00:00Z", window_end: "2026-11-02T10:00:30Z" }, 5_100)).to.equal(
      71,
    );
    expect(tracker.seen({ window_start: T0, window_end: T0 + 120_000 }, 9_500)).to.equal(500);
    expect(tracker.seen({ window_start: "soon", window_end: "later" }, 9_500)).to.equal(undefined);
  });

  it("should summarise by nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarise(values)).to.deep.equal({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(summarise([])).to.deep.equal({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });

  it("should read --latency-match's forms and name what it cannot", () => {
    expect(parseLatencyMatch("event_id")).to.deep.equal({ by: "id", field: "event_id" });
    expect(parseLatencyMatch("window:ws,we")).to.deep.equal({ by: "window", start: "ws", end: "we" });
    expect(parseLatencyMatch("window:ws")).to.match(/"window:ws" is not a field .* or window:START_FIELD,END_FIELD/);
  });
});
