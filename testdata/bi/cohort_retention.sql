-- Cohort retention matrix of the newest complete snapshot: one row per
-- first-order month, one column per month since.
WITH latest AS (
    SELECT max(CAST(as_of AS DATE)) AS snapshot_date FROM read_json('out/_manifests/*.json')
), r AS (
    SELECT cohort_month, cohort_size, months_since, round(retention_pct, 1) AS retention_pct
    FROM read_parquet('out/cohort_retention/*/*.parquet', hive_partitioning = true)
    WHERE snapshot_date = (SELECT snapshot_date FROM latest) AND months_since <= 6
)
PIVOT r ON months_since USING first(retention_pct) GROUP BY cohort_month, cohort_size ORDER BY cohort_month;
