// The documented range of every number the chain, scenarios and weights take: finite, and small
// enough that what the tool makes of them fits every format and the database (cents in 32 bits,
// numeric(12,2), integer stock), and that sums over a chain stay exact.

/** Highest base price or cost, in the chain's money: shelf prices reach 1.6× it, still within 32-bit cents. */
export const MAX_PRICE = 1_000_000;
/** Highest initial stock or reorder point of a product (a store's stock is a 32-bit integer). */
export const MAX_STOCK = 1_000_000;
/** Highest relative popularity of a product. */
export const MAX_POPULARITY = 1_000_000;
/** Highest weight of an event type (only the ratios matter). */
export const MAX_WEIGHT = 1_000_000;
/** Highest multiplier of a rate curve's hour, weekday or date. */
export const MAX_CURVE = 1_000;
/** Highest demand factor of a flash sale, or factor of a surge. */
export const MAX_FACTOR = 1_000;
/** Highest rate of primary events, per minute (a scenario's, or --rate). */
export const MAX_RATE = 1_000_000;
/** Slowest and fastest simulated time against the wall clock (--speed, and a live change of it). */
export const MIN_SPEED = 0.001;
export const MAX_SPEED = 1_000_000;
/** Longest span of a scenario's happening, in minutes (a year). */
export const MAX_MINUTES = 525_600;
