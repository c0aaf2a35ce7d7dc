-- The same queries in ksqlDB, after the statements that
-- `retail-stream schemas --format ksql` prints (schema version 2).
-- SET 'auto.offset.reset' = 'earliest'; before running them.

-- Revenue and checkouts per store per hour.
SELECT STORE_ID, WINDOWSTART AS WINDOW_START, SUM(TOTAL_AMOUNT) AS REVENUE, COUNT_DISTINCT(TRANSACTION_ID) AS TRANSACTIONS
FROM SALES WINDOW TUMBLING (SIZE 1 HOUR)
GROUP BY STORE_ID EMIT FINAL;

-- Revenue, lines and units per category per hour: a stream-table join on the product (ksqlDB joins the table's current row).
CREATE STREAM SALE_LINES AS
SELECT S.EVENT_TIME, S.TRANSACTION_ID, S.QUANTITY, S.TOTAL_AMOUNT, P.CATEGORY
FROM SALES S JOIN PRODUCTS P ON S.PRODUCT_ID = P.PRODUCT_ID
EMIT CHANGES;

SELECT CATEGORY, WINDOWSTART AS WINDOW_START, SUM(TOTAL_AMOUNT) AS REVENUE, COUNT(*) AS LINES, SUM(QUANTITY) AS UNITS
FROM SALE_LINES WINDOW TUMBLING (SIZE 1 HOUR)
GROUP BY CATEGORY EMIT FINAL;

-- Current stock per store × product.
SELECT STORE_ID, PRODUCT_ID, STOCK_AFTER FROM STOCK;
