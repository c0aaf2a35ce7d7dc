import { WEIGHTED_TYPES, type EventType, type WeightedType } from "../model/events.js";
import { weightProblems, type Weights } from "../model/weights.js";

/** Names users write for each type: the original plan's keys and the event types. */
const ALIASES: Record<string, WeightedType> = {
  sale: "sale",
  sales: "sale",
  inventory: "inventory_update",
  inventory_update: "inventory_update",
  customer: "customer_event",
  customers: "customer_event",
  customer_event: "customer_event",
  price: "price_change",
  price_change: "price_change",
  prices: "price_change",
  restock: "restock_alert",
  restock_alert: "restock_alert",
  restocks: "restock_alert",
};

/** Names of the types that are caused, never weighted (schema version 3): for `--topic`. */
const CAUSED_ALIASES: Record<string, EventType> = {
  payment: "payment",
  payments: "payment",
  order_status: "order_status",
  orders: "order_status",
  return: "return",
  returns: "return",
};

/** The weighted event type a user's name stands for, if any. */
export function typeNamed(name: string): WeightedType | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

/** Any event type a user's name stands for (weighted or caused), if any: what `--topic` names. */
export function anyTypeNamed(name: string): EventType | undefined {
  const key = name.trim().toLowerCase();
  return ALIASES[key] ?? CAUSED_ALIASES[key];
}

/** Weights from a name → number map (config file); problems are returned, not thrown. */
export function weightsFromMap(
  input: Record<string, unknown>,
  source: string,
): { weights: Weights; problems: string[] } {
  const weights: Weights = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(input)) {
    const type = typeNamed(name);
    if (type === undefined)
      problems.push(`${source}: unknown event type "${name}" (use sales, inventory, customer, price_change, restock)`);
    else if (typeof value !== "number")
      problems.push(`${source}: weight of "${name}" must be a number, got ${JSON.stringify(value)}`);
    else weights[type] = (weights[type] ?? 0) + value;
  }
  if (problems.length === 0) problems.push(...weightProblems(weights).map((p) => `${source}: ${p}`));
  if (problems.length === 0 && WEIGHTED_TYPES.every((t) => t === "restock_alert" || !((weights[t] ?? 0) > 0))) {
    problems.push(
      `${source}: restock alerts follow the stock that sales and other movements use up: give sales, inventory, customer or price a weight too`,
    );
  }
  return { weights, problems };
}

/** Weights from `sales=50,inventory=20,…`. */
export function parseWeights(text: string): { weights: Weights; problems: string[] } {
  const entries: Record<string, unknown> = {};
  for (const part of text.split(",")) {
    const match = /^\s*([A-Za-z_]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (match === null)
      return { weights: {}, problems: [`--weights: "${part}" is not name=number (e.g. sales=50,inventory=20)`] };
    const value = Number(match[2]);
    if (!Number.isFinite(value))
      return { weights: {}, problems: [`--weights: "${match[2]}" in "${part.trim()}" is not a number`] };
    entries[match[1] as string] = value;
  }
  return weightsFromMap(entries, "--weights");
}
