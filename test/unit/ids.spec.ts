import { expect } from "chai";
import { uuidFrom } from "../../src/random/ids.js";
import { SeededRng } from "../../src/random/rng.js";
import type { Rng } from "../../src/random/rng.js";

/** A version-4 UUID drawn digit by digit, as plainly as it can be written: the stream's ids must stay these. */
function plainUuid(rng: Rng): string {
  const hex = (): string =>
    Math.floor(rng.next() * 256)
      .toString(16)
      .padStart(2, "0");
  const bytes: string[] = [];
  for (let i = 0; i < 16; i += 1) {
    if (i === 6) bytes.push("4" + hex().charAt(1));
    else if (i === 8) bytes.push("89ab".charAt(Math.floor(rng.next() * 4)) + hex().charAt(1));
    else bytes.push(hex());
  }
  const text = bytes.join("");
  return [text.slice(0, 8), text.slice(8, 12), text.slice(12, 16), text.slice(16, 20), text.slice(20)].join("-");
}

describe("uuidFrom", () => {
  it("should draw the same ids as the plain definition, each a version-4 UUID", () => {
    const fast = new SeededRng(11);
    const plain = new SeededRng(11);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) {
      const id = uuidFrom(fast);
      expect(id).to.equal(plainUuid(plain));
      expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    expect(seen.size).to.equal(10_000);
  });

  it("should give each call its own string (ids made earlier stay as they were)", () => {
    const rng = new SeededRng(3);
    const first = uuidFrom(rng);
    const copy = `${first}`;
    uuidFrom(rng);
    expect(first).to.equal(copy);
  });
});
