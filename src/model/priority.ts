import type { Priority } from "./events.js";

/** How urgent a restock is, from how far below the reorder point stock has fallen. */
export function priorityOf(current: number, reorderPoint: number): Priority {
  if (current === 0) return "critical";
  const ratio = reorderPoint === 0 ? 1 : current / reorderPoint;
  return ratio <= 0.25 ? "high" : ratio <= 0.6 ? "medium" : "low";
}
