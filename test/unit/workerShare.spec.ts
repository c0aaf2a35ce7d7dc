import { expect } from "chai";
import { workerShare } from "../../src/app/workerProtocol.js";

describe("workerShare", () => {
  it("should divide the in-flight bounds, never below one record", () => {
    expect(workerShare({ maxInFlight: 100_000, maxInFlightMb: 8 }, 3)).to.deep.equal({
      maxInFlight: 33_333,
      maxInFlightMb: 8 / 3,
    });
    expect(workerShare({ maxInFlight: 2, maxInFlightMb: 1 }, 4).maxInFlight).to.equal(1);
  });
});
