import { profileOf } from "./profiles.js";
import { uuidFrom } from "../random/ids.js";
import { pick, type Rng } from "../random/rng.js";
import type { ChainState } from "./chainState.js";
import { currencyOf } from "./chain.js";
import { PRICE_REASONS, fromCents, type PriceChangeEvent, type PriceChangeReason, type RetailEvent } from "./events.js";
import type { Tick } from "./tick.js";

/** Shelf prices per store × product: drawn changes, and a flash sale's cut and restore. */
export class Pricing {
  constructor(
    private readonly state: ChainState,
    private readonly rng: Rng,
    private readonly iso: (time: number) => string,
  ) {}

  /** A flash sale starts (an open store cuts the category's prices) or ends (they go back), in `store`. */
  reprice(time: number, store: number, { id, category, discount, phase }: NonNullable<Tick["reprice"]>): RetailEvent[] {
    const events: RetailEvent[] = [];
    for (const product of this.state.productsOf(category)) {
      const cell = this.state.cellOf(store, product);
      const oldCents = this.state.priceAt(cell);
      const newCents =
        phase === "start" ? Math.max(1, Math.round(oldCents * (1 - discount))) : this.state.restorePrice(id, cell);
      if (newCents === undefined || newCents === oldCents) continue;
      if (phase === "start") this.state.savePrice(id, cell, oldCents);
      events.push(this.event(time, cell, oldCents, newCents, phase === "start" ? "flash_sale" : "flash_sale_end"));
    }
    return events;
  }

  change(time: number, store: number): PriceChangeEvent {
    const cell = this.state.cellOf(store, Math.floor(this.rng.next() * this.state.products.length));
    const product = this.state.productAt(cell);
    const oldCents = this.state.priceAt(cell);
    const reason = pick(this.rng, PRICE_REASONS);
    const baseCents = Math.round(product.base_price * 100);
    const factor =
      reason === "cost_change"
        ? 0.95 + this.rng.next() * 0.2
        : reason === "clearance"
          ? 0.5 + this.rng.next() * 0.2
          : 0.75 + this.rng.next() * 0.2;
    const from = reason === "cost_change" ? oldCents : baseCents;
    // Shelf prices end in 9; the band keeps them between 40% and 160% of the base price.
    let cents = Math.min(
      Math.max(Math.round((from * factor) / 10) * 10 - 1, Math.max(9, Math.round(baseCents * 0.4))),
      Math.round(baseCents * 1.6),
    );
    if (cents === oldCents) cents = Math.max(9, cents - 10);
    return this.event(time, cell, oldCents, cents, reason);
  }

  private event(
    time: number,
    cell: number,
    oldCents: number,
    newCents: number,
    reason: PriceChangeReason,
  ): PriceChangeEvent {
    this.state.setPrice(cell, newCents);
    return {
      event_id: uuidFrom(this.rng),
      event_type: "price_change",
      event_time: this.iso(time),
      schema_version: this.state.version,
      product_id: this.state.productAt(cell).sku,
      store_id: this.state.storeAt(cell).store_id,
      old_price: fromCents(oldCents),
      new_price: fromCents(newCents),
      reason,
      ...(profileOf(this.state.version).currency ? { currency: currencyOf(this.state.storeAt(cell)) } : {}),
    };
  }
}
