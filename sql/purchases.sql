-- table: purchases
-- depends: stg_orders, identity_keys
-- One row per order placed before the cutoff and not cancelled before it,
-- with its resolved customer and its business-time-zone date. The basis of
-- RFM, repeat purchase rate, cohorts and the BG/NBD summaries.
CREATE OR REPLACE TABLE purchases AS
SELECT ci.customer_id, o.order_id, o.ordered_at,
       CAST(local_time(o.ordered_at, z.offset_us) AS DATE) AS order_date,
       o.amount
FROM stg_orders o
JOIN identity_keys ci ON ci.record_customer_id IS NOT DISTINCT FROM o.customer_id AND ci.record_email IS NOT DISTINCT FROM o.email
LEFT JOIN local_offsets z ON z.utc_day = utc_day(o.ordered_at)
WHERE o.ordered_at < $cutoff
  AND (o.status IS DISTINCT FROM 'cancelled' OR coalesce(o.updated_at, o.ordered_at) >= $cutoff);
