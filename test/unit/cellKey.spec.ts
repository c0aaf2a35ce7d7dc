import { expect } from "chai";
import { cellKey } from "../../src/wire/envelope.js";

describe("cellKey", () => {
  it("should be the JSON of the store × product pair, asked once or again, ids with quotes too", () => {
    const stores = ["S001", "ONLINE", 'S"q', "S\\b"];
    const products = ["P0001", "P0499", 'P"x'];
    for (let round = 0; round < 2; round += 1)
      for (const store_id of stores)
        for (const product_id of products) {
          const key = cellKey(store_id, product_id);
          expect(key).to.equal(JSON.stringify({ store_id, product_id }));
          expect(JSON.parse(key)).to.deep.equal({ store_id, product_id });
        }
  });

  it("should keep answering beyond the stores it keeps", () => {
    for (let i = 0; i < 10_050; i += 1)
      expect(cellKey(`X${i}`, "P1")).to.equal(`{"store_id":"X${i}","product_id":"P1"}`);
  });
});
