import { logNormal, pick, type LogNormal, type Rng } from "../random/rng.js";
import { DECLINE_REASONS, type DeclineReason, type OrderStatus, type ReturnReason } from "./events.js";

/** A share for each channel: of checkout lines that come back, or of checkout attempts declined. */
export interface ChannelRates {
  store: number;
  online: number;
}

/**
 * What happens after a checkout (schema version 3), by channel. The return
 * rates' defaults follow the National Retail Federation and Appriss Retail's
 * yearly "Consumer Returns in the Retail Industry" reports, which put returns at
 * roughly 15–17% of US retail sales in 2023–2024, with online purchases coming
 * back more often than in-store ones: 13% of store lines and 20% of online lines
 * here. Declines are a small share of attempts, more online (card not present).
 */
export interface AftercareRates {
  /** The share of checkout lines that come back. */
  returns: ChannelRates;
  /** The share of checkout attempts declined. */
  declines: ChannelRates;
  /** The share of customers who try again (another way to pay) after a decline. */
  retry: number;
}

export const DEFAULT_AFTERCARE: AftercareRates = {
  returns: { store: 0.13, online: 0.2 },
  declines: { store: 0.015, online: 0.035 },
  retry: 0.6,
};

const HOUR = 3_600_000;

/**
 * The delays of an online order's life and of returns, log-normal (hours): the model's assumptions, in the
 * ranges retailers publish (payment captured within minutes, picked and shipped within a day or two, delivered
 * in two to three days, returned within a 30-day window, most in the first week).
 */
export const DELAYS_HOURS = {
  paid: { median: 0.05, spread: 0.8, shortest: 0.005, longest: 1 },
  picked: { median: 4, spread: 0.8, shortest: 0.3, longest: 48 },
  shipped: { median: 3, spread: 0.7, shortest: 0.25, longest: 24 },
  delivered: { median: 40, spread: 0.5, shortest: 6, longest: 168 },
  redelivered: { median: 24, spread: 0.3, shortest: 8, longest: 72 },
  backToSender: { median: 72, spread: 0.4, shortest: 24, longest: 240 },
  cancelled: { median: 2, spread: 1, shortest: 0.05, longest: 48 },
  returned: { median: 5 * 24, spread: 0.8, shortest: 2, longest: 30 * 24 },
} as const satisfies Record<string, LogNormal>;

/** Shares of an online order's turns: cancelled before it ships, a failed delivery, and of those, back to the warehouse. */
export const ORDER_SHARES = { cancelled: 0.04, deliveryFailed: 0.03, backToSender: 0.3 } as const;

/** A return's reasons by weight; a defective item is written off, most others go back on the shelf. */
const REASON_WEIGHTS: ReadonlyArray<readonly [ReturnReason, number]> = [
  ["changed_mind", 35],
  ["wrong_size", 25],
  ["defective", 20],
  ["not_as_described", 15],
  ["arrived_late", 5],
];
/** The share of returns, not defective, written off all the same (opened, damaged in the return). */
const WRITE_OFF_SHARE = 0.05;
/** The share of an online order's returns handed in at a physical store rather than sent back to the warehouse. */
const IN_STORE_SHARE = 0.35;

const DECLINE_WEIGHTS: ReadonlyArray<readonly [DeclineReason, number]> = DECLINE_REASONS.map((reason, i) => [
  reason,
  [40, 25, 15, 10, 10][i] ?? 1,
]);

/** One weighted choice. */
function weighted<T>(rng: Rng, weights: ReadonlyArray<readonly [T, number]>): T {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let draw = rng.next() * total;
  for (const [value, weight] of weights) if ((draw -= weight) < 0) return value;
  return (weights[weights.length - 1] as readonly [T, number])[0];
}

/** A delay in ms, drawn from its log-normal (hours). */
export function delayMs(rng: Rng, which: keyof typeof DELAYS_HOURS): number {
  return Math.round(logNormal(rng, DELAYS_HOURS[which]) * HOUR);
}

/** The steps of an order's life after `placed`: each status and when it comes (ms after placing). */
export type OrderPlan = ReadonlyArray<{ status: OrderStatus; afterMs: number }>;

/**
 * An online order's life, drawn at its checkout: paid, picked, shipped and
 * delivered after their delays; or cancelled before it ships (at a time drawn
 * after placing, in whichever state it is by then); or a failed delivery,
 * delivered at the next try or sent back to the warehouse.
 */
export function drawOrderPlan(rng: Rng): OrderPlan {
  const paid = delayMs(rng, "paid");
  const picked = paid + delayMs(rng, "picked");
  const shipped = picked + delayMs(rng, "shipped");
  const path: Array<{ status: OrderStatus; afterMs: number }> = [
    { status: "paid", afterMs: paid },
    { status: "picked", afterMs: picked },
  ];
  if (rng.next() < ORDER_SHARES.cancelled) {
    // Cancelled a while after placing, but before it ships: the steps up to then happen, then the cancel.
    const at = Math.min(delayMs(rng, "cancelled"), shipped - 1);
    return [...path.filter((step) => step.afterMs < at), { status: "cancelled", afterMs: at }];
  }
  path.push({ status: "shipped", afterMs: shipped });
  const arrives = shipped + delayMs(rng, "delivered");
  if (rng.next() >= ORDER_SHARES.deliveryFailed) return [...path, { status: "delivered", afterMs: arrives }];
  path.push({ status: "delivery_failed", afterMs: arrives });
  return rng.next() < ORDER_SHARES.backToSender
    ? [...path, { status: "returned_to_sender", afterMs: arrives + delayMs(rng, "backToSender") }]
    : [...path, { status: "delivered", afterMs: arrives + delayMs(rng, "redelivered") }];
}

/** A line that comes back: how many, why, whether it goes back on the shelf, and when (ms after it is in the customer's hands). */
export interface ReturnPlan {
  quantity: number;
  reason: ReturnReason;
  disposition: "restock" | "write_off";
  afterMs: number;
  /** For an online order: handed in at a physical store (else sent back to the warehouse). */
  inStore: boolean;
}

/**
 * Whether a line of `quantity` comes back, and how: at the channel's rate (times `factor`, a scenario's
 * returns wave), all of it mostly, else part; late arrival is a reason online only.
 */
export function drawReturn(
  rng: Rng,
  channel: "store" | "online",
  quantity: number,
  rates: AftercareRates,
  factor = 1,
): ReturnPlan | undefined {
  if (!(rng.next() < Math.min(1, rates.returns[channel] * factor))) return undefined;
  const part = quantity > 1 && rng.next() < 0.25 ? 1 + Math.floor(rng.next() * (quantity - 1)) : quantity;
  let reason = weighted(rng, REASON_WEIGHTS);
  if (reason === "arrived_late" && channel === "store") reason = "changed_mind";
  const disposition = reason === "defective" || rng.next() < WRITE_OFF_SHARE ? "write_off" : "restock";
  const afterMs = delayMs(rng, "returned");
  const inStore = channel === "online" && rng.next() < IN_STORE_SHARE;
  return { quantity: part, reason, disposition, afterMs, inStore };
}

/** A checkout's payment attempts: declined ones (with their reasons), then whether one is approved. */
export interface PaymentPlan {
  declined: DeclineReason[];
  approved: boolean;
}

/** Whether a checkout's payment goes through: declined at the channel's rate, tried again (once) by some. */
export function drawPayment(rng: Rng, channel: "store" | "online", rates: AftercareRates): PaymentPlan {
  if (!(rng.next() < rates.declines[channel])) return { declined: [], approved: true };
  const reason = weighted(rng, DECLINE_WEIGHTS);
  return { declined: [reason], approved: rng.next() < rates.retry };
}

/** Another way to pay than `used`, for a retry. */
export function otherMethod<M>(rng: Rng, methods: readonly M[], used: M): M {
  return pick(
    rng,
    methods.filter((m) => m !== used),
  );
}
