import { expect } from "chai";
import type Kafka from "node-rdkafka";
import { disconnectedForNow, fencedForNow, inAttempts } from "../../src/sinks/kafka/kafkaClient.js";
import { ERRORS } from "../../src/sinks/kafka/kafkaErrors.js";

const error = (code: number, message: string): Kafka.LibrdKafkaError =>
  ({ code, message, errno: code, origin: "kafka" }) as Kafka.LibrdKafkaError;
const fenced = error(
  ERRORS.ERR_INVALID_REPLICATION_FACTOR,
  "Unable to replicate the partition 1 time(s): All brokers are currently fenced.",
);

describe("Kafka requests in attempts", () => {
  it("should ask again while the broker is fenced for a moment after a pause, and take the answer that follows", async () => {
    const answers = [{ error: fenced }, { error: fenced }, { value: true }];
    let asked = 0;
    const answer = await inAttempts(performance.now() + 10_000, async () => answers[asked++] ?? {}, fencedForNow);
    expect(asked).to.equal(3);
    expect(answer).to.deep.equal({ value: true });
  });

  it("should not ask again for a replication factor the cluster can never take, nor past the deadline", async () => {
    const tooMany = error(
      ERRORS.ERR_INVALID_REPLICATION_FACTOR,
      "Replication factor: 3 larger than available brokers: 1.",
    );
    let asked = 0;
    const answer = await inAttempts(
      performance.now() + 10_000,
      async () => (asked++, { error: tooMany }),
      fencedForNow,
    );
    expect([asked, answer.error?.message]).to.deep.equal([1, tooMany.message]);
    let late = 0;
    const ended = await inAttempts(performance.now() - 1, async () => (late++, { error: fenced }), fencedForNow);
    expect([late, ended.error]).to.deep.equal([1, fenced]);
  });

  it("should ask again when the connection dropped under the request (the broker frozen at start)", async () => {
    const transport = error(ERRORS.ERR__TRANSPORT, "Local: Broker transport failure");
    const answers = [{ error: transport }, { value: "metadata" }];
    let asked = 0;
    const answer = await inAttempts(performance.now() + 10_000, async () => answers[asked++] ?? {}, disconnectedForNow);
    expect([asked, answer.value]).to.deep.equal([2, "metadata"]);
  });
});
