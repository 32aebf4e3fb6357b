-- NPS trend: one point per published snapshot, with its 95 % margin of error.
WITH complete AS (
    SELECT CAST(as_of AS DATE) AS snapshot_date FROM read_json('out/_manifests/*.json')
)
SELECT snapshot_date, nps, nps_margin_of_error, nps_responses, promoters, passives, detractors
FROM read_parquet('out/kpi_daily/*/*.parquet', hive_partitioning = true)
WHERE dimension = 'all' AND snapshot_date IN (SELECT snapshot_date FROM complete)
ORDER BY snapshot_date;
