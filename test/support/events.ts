import type { SaleEvent } from "../../src/model/events.js";

/**
 * A sale line for the tests: one unit of P0001 at 1.00 in cash at S001, by C000001, a checkout's only line, in the
 * default schema version (2: its line fields and currency). A test states what matters to it as `fields`; a
 * version 1 sale is `saleEvent({ schema_version: 1 })`, without version 2's fields.
 */
export function saleEvent(fields: Partial<SaleEvent> = {}): SaleEvent {
  const quantity = fields.quantity ?? 1;
  const unitPrice = fields.unit_price ?? 1;
  const sale: SaleEvent = {
    event_id: "sale-1",
    event_type: "sale",
    event_time: "2026-01-01T10:00:00.000Z",
    schema_version: 2,
    transaction_id: "T-1",
    store_id: "S001",
    product_id: "P0001",
    quantity,
    unit_price: unitPrice,
    total_amount: Math.round(quantity * unitPrice * 100) / 100,
    payment_method: "cash",
    customer_id: "C000001",
    line_number: 1,
    line_count: 1,
    currency: "USD",
    ...fields,
  };
  if (sale.schema_version !== 1) return sale;
  const { line_number: _line, line_count: _count, currency: _currency, ...version1 } = sale;
  return version1;
}
