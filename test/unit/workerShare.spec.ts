import { expect } from "chai";
import { workerShare } from "../../src/app/workerProtocol.js";

describe("workerShare", () => {
  it("should split the count as evenly as whole events allow, the first workers taking the remainder", () => {
    const shares = [0, 1, 2].map((i) => workerShare({ count: 10, maxInFlight: 100_000, maxInFlightMb: 8 }, i, 3).count);
    expect(shares).to.deep.equal([4, 3, 3]);
  });

  it("should divide the in-flight bounds, never below one record", () => {
    expect(workerShare({ maxInFlight: 100_000, maxInFlightMb: 8 }, 0, 3)).to.deep.equal({
      maxInFlight: 33_333,
      maxInFlightMb: 8 / 3,
    });
    expect(workerShare({ maxInFlight: 2, maxInFlightMb: 1 }, 3, 4).maxInFlight).to.equal(1);
  });
});
