import { expect } from "chai";
import { EventEmitter } from "node:events";
import { readBody, type Body } from "../../src/live/server.js";

/** A request as the server sees it: chunks, then an end, an abort or an error. */
class FakeRequest extends EventEmitter {
  destroyed = false;
  setEncoding(): this {
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    return this;
  }
}

/** The body, or "never" when it has not settled once the events are served. */
async function settled(events: (request: FakeRequest) => void): Promise<Body | "never"> {
  const request = new FakeRequest();
  const body = readBody(request as never);
  events(request);
  return Promise.race([body, new Promise<"never">((resolve) => setImmediate(() => resolve("never")))]);
}

describe("the live server's request body", () => {
  it("should be the text once the request ends", async () => {
    expect(
      await settled((r) => {
        r.emit("data", '{"paused":');
        r.emit("data", "true}");
        r.emit("end");
      }),
    ).to.deep.equal({ text: '{"paused":true}' });
  });

  it("should settle as gone when the client aborts or the request fails midway", async () => {
    expect(
      await settled((r) => {
        r.emit("data", '{"pa');
        r.emit("aborted");
      }),
    ).to.deep.equal({ gone: "aborted" });
    expect(await settled((r) => r.emit("error", new Error("socket hang up")))).to.deep.equal({
      gone: "socket hang up",
    });
    expect(await settled((r) => r.emit("close"))).to.deep.equal({ gone: "closed before its end" });
  });

  it("should cut a body past the limit", async () => {
    const big = "x".repeat(70_000);
    expect(await settled((r) => r.emit("data", big))).to.deep.equal({ tooLarge: true });
  });
});
