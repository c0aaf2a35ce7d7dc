import { expect } from "chai";
import Kafka from "node-rdkafka";
import {
  ERRORS,
  codeOf,
  isFatal,
  isRefusedRecord,
  isTimestampRefused,
  isFenced,
  isQueueFull,
  isRetriable,
  isUnknownTopic,
  kafkaProblem,
  needsAbort,
} from "../../src/sinks/kafka/kafkaErrors.js";

describe("Kafka errors, classified in one place", () => {
  it("should name every code as node-rdkafka's own table does, with its value", () => {
    const theirs = Kafka.CODES.ERRORS as Record<string, number>;
    for (const [name, code] of Object.entries(ERRORS)) expect(theirs[name], name).to.equal(code);
  });

  it("should go by node-rdkafka's flags and codes, not by the message's words", () => {
    expect(isRetriable({ message: "anything", isRetriable: true })).to.equal(true);
    expect(isRetriable({ message: "retriable, it says", code: 14 })).to.equal(false);
    expect(needsAbort({ message: "x", isTxnRequiresAbort: true })).to.equal(true);
    expect(isFatal({ message: "x", isFatal: true })).to.equal(true);
    expect(isFatal({ message: "x", code: ERRORS.ERR__FATAL })).to.equal(true);
    expect(isFatal({ message: "Local: Fatal error, it says" })).to.equal(false);
    expect(isQueueFull({ message: "x", code: ERRORS.ERR__QUEUE_FULL })).to.equal(true);
    expect(isFenced({ message: "Broker: x", code: ERRORS.ERR_PRODUCER_FENCED })).to.equal(true);
    expect(isFenced({ message: "Broker: x", code: ERRORS.ERR_INVALID_PRODUCER_EPOCH })).to.equal(true);
    // A missing checkpoint topic means nothing was committed; a timed-out query must not be taken for it.
    expect(isUnknownTopic({ message: "x", code: ERRORS.ERR_UNKNOWN_TOPIC_OR_PART })).to.equal(true);
    expect(isUnknownTopic({ message: "x", code: ERRORS.ERR__UNKNOWN_TOPIC })).to.equal(true);
    expect(isUnknownTopic({ message: "Local: Timed out", code: -185 })).to.equal(false);
  });

  it("should know a delivery report's code by librdkafka's text, as node-rdkafka hands it over without one", () => {
    expect(codeOf({ message: "invalid timestamp", code: -1 })).to.equal(ERRORS.ERR_INVALID_TIMESTAMP);
    expect(codeOf({ message: "Broker: Invalid timestamp", code: -1 })).to.equal(ERRORS.ERR_INVALID_TIMESTAMP);
    expect(codeOf({ message: "broker failed to validate record", code: -1 })).to.equal(ERRORS.ERR_INVALID_RECORD);
    expect(isTimestampRefused({ message: "invalid timestamp", code: -1 })).to.equal(true);
    // Several refused records in one batch: each reported as invalid, the rest of the batch as failed with them.
    expect(
      codeOf({ message: "an invalid record in the same batch caused the failure of this message too", code: -1 }),
    ).to.equal(ERRORS.ERR__INVALID_DIFFERENT_RECORD);
    for (const message of [
      "invalid timestamp",
      "broker failed to validate record",
      "Local: an invalid record in the same batch caused the failure of this message too",
    ]) {
      expect(isRefusedRecord({ message, code: -1 }), message).to.equal(true);
    }
    expect(isRefusedRecord({ message: "Local: Message timed out", code: -1 })).to.equal(false);
    expect(codeOf({ message: "something else", code: -1 })).to.equal(-1);
    expect(codeOf({ message: "invalid timestamp", code: 5 })).to.equal(5);
  });

  it("should say what to do about a code whatever its message", () => {
    expect(
      kafkaProblem({ message: "Broker: x", code: ERRORS.ERR_TOPIC_AUTHORIZATION_FAILED }, "b:9092", "create"),
    ).to.match(/^not authorized: the principal needs CREATE/);
    expect(kafkaProblem({ message: "Broker: x", code: ERRORS.ERR_PRODUCER_FENCED }, "b:9092")).to.match(
      /^fenced: another process/,
    );
    expect(kafkaProblem({ message: "Local: x", code: ERRORS.ERR__ALL_BROKERS_DOWN }, "b:9092")).to.match(
      /^cannot reach Kafka at b:9092/,
    );
    expect(kafkaProblem({ message: "Broker: not leader", code: 6 }, "b:9092")).to.equal(undefined);
    expect(
      kafkaProblem({ message: "Broker: Invalid timestamp", code: ERRORS.ERR_INVALID_TIMESTAMP }, "b:9092", "write"),
    ).to.match(/message\.timestamp\.after\.max\.ms/);
    expect(kafkaProblem({ message: "broker failed to validate record", code: -1 }, "b:9092", "write")).to.match(
      /^the broker refused records on checking them .*message\.timestamp\.before\.max\.ms .*compacted topic/,
    );
  });
});
