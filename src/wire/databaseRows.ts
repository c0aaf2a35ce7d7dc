// The rows of the database `--sink postgres` writes (docs/database.md), as `verify --postgres`
// reads them back: amounts as exact decimal text, times as epoch milliseconds.

export interface OrderRow {
  transaction_id: string;
  store_id: string;
  ordered_at: number;
  line_count: number;
  total: string;
  /** An online order's current status (database version 2); null for a till's checkout. */
  status: string | null;
}
export interface OrderLineRow {
  transaction_id: string;
  line_number: number;
  product_id: string;
  quantity: number;
  unit_price: string;
  total_amount: string;
  event_id: string;
}
export interface MovementRow {
  event_id: string;
  store_id: string;
  product_id: string;
  quantity_change: number;
  reason: string;
  stock_after: number;
  source_event_id: string | null;
  moved_at: number;
}
export interface StockRow {
  store_id: string;
  product_id: string;
  quantity: number;
  updated_at: number;
}
export interface PriceChangeRow {
  event_id: string;
  store_id: string;
  product_id: string;
  old_price: string;
  new_price: string;
  changed_at: number;
}
export interface PriceRow {
  store_id: string;
  product_id: string;
  price: string;
  updated_at: number;
}
export interface FactIdRow {
  event_id: string;
}

export interface PaymentRow {
  payment_id: string;
  event_id: string;
  transaction_id: string;
  amount: string;
  status: string;
}
export interface StatusChangeRow {
  event_id: string;
  order_id: string;
  status: string;
  changed_at: number;
}
export interface ReturnRow {
  return_id: string;
  event_id: string;
  quantity: number;
  refund_amount: string;
}

/** Every table `verify --postgres` checks. */
export interface DatabaseRows {
  orders: OrderRow[];
  orderLines: OrderLineRow[];
  movements: MovementRow[];
  stock: StockRow[];
  priceChanges: PriceChangeRow[];
  prices: PriceRow[];
  visits: FactIdRow[];
  alerts: FactIdRow[];
  payments: PaymentRow[];
  statusChanges: StatusChangeRow[];
  returns: ReturnRow[];
}
