import type { RetailEvent, SaleEvent } from "../model/events.js";

const money = (n: number): string => `$${n.toFixed(2)}`;
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** One readable line for a checkout of several lines: its store, lines, units and total. */
export function describeCheckout(lines: readonly SaleEvent[]): string {
  const [first] = lines as [SaleEvent];
  const total = lines.reduce((sum, line) => sum + Math.round(line.total_amount * 100), 0) / 100;
  const items = lines.map((line) => `${line.product_id} ×${line.quantity}`).join(", ");
  return `checkout ${first.store_id} ${lines.length} lines ${money(total)}: ${items} (${first.customer_id}, ${first.payment_method})`;
}

/** One readable line per event, for the info log. */
export function describe(event: RetailEvent): string {
  switch (event.event_type) {
    case "sale":
      return `sale ${event.store_id}/${event.product_id} ×${event.quantity} ${money(event.total_amount)} (${event.customer_id}, ${event.payment_method})`;
    case "inventory_update":
      return `inventory_update ${event.store_id}/${event.product_id} ${signed(event.quantity_change)} (${event.reason})`;
    case "price_change":
      return `price_change ${event.product_id} ${money(event.old_price)} → ${money(event.new_price)} (${event.reason})`;
    case "customer_event":
      return `customer_event ${event.customer_id} ${event.action} at ${event.store_id}`;
    case "restock_alert":
      return `restock_alert ${event.store_id}/${event.product_id} stock ${event.current_stock} ≤ ${event.reorder_point} (${event.priority})`;
    case "payment":
      return `payment ${event.transaction_id} #${event.attempt} ${money(event.amount)} ${event.payment_method} ${event.status}${event.decline_reason === undefined ? "" : ` (${event.decline_reason})`}`;
    case "order_status":
      return `order_status ${event.order_id} ${event.previous_status ?? "new"} → ${event.status}${event.refund_amount === undefined ? "" : ` refund ${money(event.refund_amount)}`}`;
    case "return":
      return `return ${event.store_id}/${event.product_id} ×${event.quantity} ${money(event.refund_amount)} of ${event.transaction_id}#${event.line_number} (${event.reason}, ${event.disposition})`;
  }
}
