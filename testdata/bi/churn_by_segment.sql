-- Churn-risk distribution by segment in the newest complete snapshot.
WITH latest AS (
    SELECT max(CAST(as_of AS DATE)) AS snapshot_date FROM read_json('out/_manifests/*.json')
)
SELECT segment, churn_band, count(*) AS customers, round(avg(churn_risk), 1) AS avg_churn_risk,
       round(sum(clv_12m), 2) AS clv_12m
FROM read_parquet('out/customer_metrics/*/*.parquet', hive_partitioning = true)
WHERE snapshot_date = (SELECT snapshot_date FROM latest) AND churn_band IS NOT NULL
GROUP BY segment, churn_band
ORDER BY segment, churn_band;
