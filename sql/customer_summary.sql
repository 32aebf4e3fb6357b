-- table: customer_summary
-- depends: purchases
-- The "buy till you die" summary per customer with a purchase, the one
-- definition the BG/NBD and Gamma-Gamma models use: orders on the same
-- business day are merged into one purchase day; frequency = repeat purchase
-- days (days − 1); recency_weeks = first to last purchase day; t_weeks =
-- first purchase day to the snapshot date (both in days / 7); monetary_value
-- = mean total of the repeat days (the first day excluded), 0 without repeats.
CREATE OR REPLACE TABLE customer_summary AS
WITH days AS (
    SELECT customer_id, order_date, sum(amount) AS day_total
    FROM purchases GROUP BY customer_id, order_date
)
SELECT customer_id,
       count(*) - 1 AS frequency,
       date_diff('day', min(order_date), max(order_date)) / 7.0 AS recency_weeks,
       date_diff('day', min(order_date), CAST($as_of AS DATE)) / 7.0 AS t_weeks,
       coalesce((sum(day_total) - arg_min(day_total, order_date)) / nullif(count(*) - 1, 0), 0) AS monetary_value,
       date_diff('day', max(order_date), CAST($as_of AS DATE)) AS days_since_last,
       CASE WHEN count(*) > 1 THEN date_diff('day', min(order_date), max(order_date)) / (count(*) - 1.0) END AS mean_gap_days
FROM days GROUP BY customer_id;
