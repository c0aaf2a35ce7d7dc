import { expect } from "chai";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readChain, SAMPLE_DATA_DIR, SHIPPED_CHAIN_SHA256 } from "../../src/data/chainFiles.js";
import { parseChain } from "../../src/model/chain.js";
import { ConfigError } from "../../src/errors.js";

describe("the shipped chain, checked here rather than at every start", () => {
  const file = (name: string): { name: string; text: string } => ({
    name,
    text: readFileSync(join(SAMPLE_DATA_DIR, name), "utf8"),
  });

  it("should pass every check of a chain, and be the bytes the start trusts", () => {
    const checked = parseChain({ stores: file("stores.json"), products: file("products.json") });
    expect(checked.stores.length).to.be.greaterThan(5);
    expect(checked.products.length).to.be.greaterThan(100);
    const hash = createHash("sha256")
      .update(readFileSync(join(SAMPLE_DATA_DIR, "stores.json")))
      .update(readFileSync(join(SAMPLE_DATA_DIR, "products.json")))
      .digest("hex");
    expect(SHIPPED_CHAIN_SHA256, "data/ changed: update SHIPPED_CHAIN_SHA256 once its checks pass").to.equal(hash);
    expect(readChain()).to.deep.equal(checked);
  });

  it("should check a copy of the chain elsewhere, and refuse it once broken", () => {
    const dir = mkdtempSync(join(tmpdir(), "retail-chain-"));
    try {
      cpSync(join(SAMPLE_DATA_DIR, "stores.json"), join(dir, "stores.json"));
      cpSync(join(SAMPLE_DATA_DIR, "products.json"), join(dir, "products.json"));
      expect(readChain(dir).stores).to.have.length(readChain().stores.length);
      const stores = JSON.parse(readFileSync(join(dir, "stores.json"), "utf8")) as Array<Record<string, unknown>>;
      (stores[0] as Record<string, unknown>).timezone = "Mars/Olympus_Mons";
      writeFileSync(join(dir, "stores.json"), JSON.stringify(stores));
      expect(() => readChain(dir)).to.throw(ConfigError, /timezone/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
