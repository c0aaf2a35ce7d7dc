-- Queries over retail-stream's topics in Flink SQL, after the tables that
-- `retail-stream schemas --format flink-sql` prints (schema versions 2 and 3).
-- The e2e test runs exactly these against a seeded run and checks each row
-- against the run's ground truth. Set table.local-time-zone to 'UTC'.

-- Revenue and checkouts per store per hour: tumbling event-time windows, exact to the cent.
-- query: revenue_per_store_hour
SELECT store_id, window_start, SUM(total_amount) AS revenue, COUNT(DISTINCT transaction_id) AS transactions
FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(event_time), INTERVAL '1' HOUR))
GROUP BY store_id, window_start, window_end;

-- Each sale line with its product's category as it was at the sale: a temporal (versioned) join.
CREATE TEMPORARY VIEW sale_lines AS
SELECT s.event_time, s.transaction_id, s.quantity, s.total_amount, p.category
FROM sales AS s
JOIN products FOR SYSTEM_TIME AS OF s.event_time AS p ON s.product_id = p.product_id;

-- Revenue, lines and units per category per hour.
-- query: revenue_per_category_hour
SELECT category, window_start, SUM(total_amount) AS revenue, COUNT(*) AS `lines`, SUM(quantity) AS units
FROM TABLE(TUMBLE(TABLE sale_lines, DESCRIPTOR(event_time), INTERVAL '1' HOUR))
GROUP BY category, window_start, window_end;

-- Current stock per store × product: the inventory topic read as an upsert table (its key is the pair).
-- query: stock
SELECT store_id, product_id, stock_after FROM stock;

-- Schema version 3: every movement of money at a store, in event time: the sale lines' amounts, less the
-- refunds it pays out (returns handed in there, online orders cancelled or sent back).
CREATE TEMPORARY VIEW money AS
SELECT store_id, event_time, total_amount AS amount FROM sales
UNION ALL
SELECT store_id, event_time, -refund_amount AS amount FROM `returns`
UNION ALL
SELECT store_id, event_time, -refund_amount AS amount FROM order_status_changes WHERE refund_amount IS NOT NULL;

-- Net revenue per store per hour (schema version 3): what each store kept, exact to the cent.
-- query: net_revenue_per_store_hour
SELECT store_id, window_start, SUM(amount) AS net_revenue
FROM TABLE(TUMBLE(TABLE money, DESCRIPTOR(event_time), INTERVAL '1' HOUR))
GROUP BY store_id, window_start, window_end;
