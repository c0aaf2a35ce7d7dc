import { expect } from "chai";
import { reachAheadMs, timestampLimitFor } from "../../src/app/openKafka.js";
import { adminClientSettings } from "../../src/sinks/kafka/topicLimits.js";
import { shortTopics } from "../../src/sinks/kafka/kafkaClient.js";

const NOW = Date.UTC(2026, 10, 30, 12);
const HOUR = 3_600_000;
const LIMIT = { "message.timestamp.after.max.ms": "9223372036854775807" };

describe("the timestamp limit of the topics a run creates", () => {
  it("should take any timestamp when the run's clock can get ahead of the broker's: faster than real time, or a future start", () => {
    expect(timestampLimitFor({ live: true, speed: 60, start: NOW }, NOW)).to.deep.equal(LIMIT);
    expect(timestampLimitFor({ live: true, speed: 1, start: NOW + 2 * HOUR }, NOW)).to.deep.equal(LIMIT);
  });

  it("should keep Kafka's default for a run at real time, a backfill of the past, or a fast run that ends within the hour", () => {
    expect(timestampLimitFor({ live: true, speed: 1, start: NOW }, NOW)).to.deep.equal({});
    expect(timestampLimitFor({ live: false, speed: 1, start: NOW - 86_400_000, end: NOW }, NOW)).to.deep.equal({});
    // 30 simulated minutes at 60x: 29.5 minutes ahead at its end.
    expect(timestampLimitFor({ live: true, speed: 60, start: NOW, end: NOW + HOUR / 2 }, NOW)).to.deep.equal({});
  });
});

describe("how far ahead of the wall clock a run stamps records", () => {
  it("should be the end less the wall time it takes to get there, for a paced run faster than real time", () => {
    // --speed 3600 for 10 wall seconds: 10 simulated hours, all but 10 s of them ahead.
    expect(reachAheadMs({ live: true, speed: 3600, start: NOW, end: NOW + 10 * HOUR }, NOW)).to.equal(
      10 * HOUR - 10_000,
    );
    expect(reachAheadMs({ live: true, speed: 3600, start: NOW }, NOW)).to.equal(Infinity);
  });

  it("should bound a --count run by its largest gaps, but not a Poisson run", () => {
    // 100 ticks of at most 60 s at 2x: 100 minutes simulated in 50 of the wall's.
    expect(
      reachAheadMs({ live: true, speed: 2, start: NOW, count: 100, maxDelayMs: 60_000, arrivals: "uniform" }, NOW),
    ).to.equal(50 * 60_000);
    expect(
      reachAheadMs({ live: true, speed: 2, start: NOW, count: 100, maxDelayMs: 60_000, arrivals: "poisson" }, NOW),
    ).to.equal(Infinity);
  });

  it("should be the head start of a future run at real time, the whole span of a backfill into the future, and nothing with wall-clock timestamps", () => {
    expect(reachAheadMs({ live: true, speed: 1, start: NOW + 2 * HOUR }, NOW)).to.equal(2 * HOUR);
    expect(reachAheadMs({ live: false, speed: 1, start: NOW - HOUR, end: NOW + 3 * HOUR }, NOW)).to.equal(3 * HOUR);
    expect(reachAheadMs({ live: true, speed: 3600, start: NOW, recordTimestamp: "wall" }, NOW)).to.equal(0);
  });
});

describe("the limit reader's client settings, from librdkafka's properties", () => {
  it("should speak SASL/SCRAM over TLS with the CA file, and name what it cannot speak", () => {
    const settings = adminClientSettings(
      "a:1, b:2",
      {
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": "u",
        "sasl.password": "p",
        "ssl.ca.location": "/dev/null",
      },
      5000,
    );
    expect(settings).to.deep.include({
      brokers: ["a:1", "b:2"],
      sasl: { mechanism: "scram-sha-512", username: "u", password: "p" },
    });
    expect(settings).to.have.nested.property("ssl.ca", "");
    expect(
      adminClientSettings("a:1", { "security.protocol": "SASL_SSL", "sasl.mechanisms": "OAUTHBEARER" }, 5000),
    ).to.equal("SASL mechanism OAUTHBEARER");
    expect(adminClientSettings("a:1", {}, 5000)).to.not.have.property("sasl");
  });
});

describe("which existing topics refuse a run ahead of the clock", () => {
  it("should take Kafka's largest limit, read back as a float, as none, even for a run that gets ever further ahead", () => {
    // What another worker of the same run set on the topic it created first: 2^63 - 1, a float once read.
    const limits = new Map([
      ["any", Number("9223372036854775807")],
      ["day", 24 * HOUR],
    ]);
    expect(shortTopics(["any", "day", "default"], limits, Infinity)).to.deep.equal(["day", "default"]);
    expect(shortTopics(["any", "day", "default"], limits, 2 * HOUR)).to.deep.equal(["default"]);
    expect(shortTopics(["any", "day", "default"], limits, HOUR / 2)).to.deep.equal([]);
  });
});
