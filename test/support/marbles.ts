import { expect } from "chai";
import { TestScheduler } from "rxjs/testing";

/** A fresh TestScheduler whose assertions are chai deep-equals. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}
