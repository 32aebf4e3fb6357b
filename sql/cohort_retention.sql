-- table: cohort_retention
-- depends: purchases
-- One row per first-order month (business time zone) × months since, from 0
-- up to the snapshot's month: cohort size, customers of the cohort with a
-- purchase in that month, and retention % = active / cohort size.
CREATE OR REPLACE TABLE cohort_retention AS
WITH months AS (
    SELECT customer_id, date_trunc('month', order_date) AS month FROM purchases GROUP BY ALL
), cohorts AS (
    SELECT customer_id, min(month) AS cohort_month FROM months GROUP BY customer_id
), sizes AS (
    SELECT cohort_month, count(*) AS cohort_size FROM cohorts GROUP BY cohort_month
), grid AS (
    SELECT cohort_month, cohort_size, unnest(range(0, CAST(date_diff('month', cohort_month, date_trunc('month', CAST($as_of AS DATE))) + 1 AS BIGINT))) AS months_since
    FROM sizes
), active AS (
    SELECT c.cohort_month, date_diff('month', c.cohort_month, m.month) AS months_since, count(*) AS active_customers
    FROM months m JOIN cohorts c USING (customer_id) GROUP BY ALL
)
SELECT CAST($as_of AS DATE) AS snapshot_date, CAST(g.cohort_month AS DATE) AS cohort_month, g.months_since,
       g.cohort_size, coalesce(a.active_customers, 0) AS active_customers,
       100.0 * coalesce(a.active_customers, 0) / g.cohort_size AS retention_pct
FROM grid g LEFT JOIN active a USING (cohort_month, months_since);
