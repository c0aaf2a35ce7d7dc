import { expect } from "chai";
import { timestampLimitFor } from "../../src/app/openKafka.js";

const NOW = Date.UTC(2026, 10, 30, 12);
const LIMIT = { "message.timestamp.after.max.ms": "9223372036854775807" };

describe("the timestamp limit of the topics a run creates", () => {
  it("should take any timestamp when the run's clock can get ahead of the broker's: faster than real time, or a future start", () => {
    expect(timestampLimitFor({ live: true, speed: 60, start: NOW }, NOW)).to.deep.equal(LIMIT);
    expect(timestampLimitFor({ live: true, speed: 1, start: NOW + 2 * 3_600_000 }, NOW)).to.deep.equal(LIMIT);
  });

  it("should keep Kafka's default for a run at real time or a backfill of the past", () => {
    expect(timestampLimitFor({ live: true, speed: 1, start: NOW }, NOW)).to.deep.equal({});
    expect(timestampLimitFor({ live: false, speed: 1, start: NOW - 86_400_000 }, NOW)).to.deep.equal({});
  });
});
