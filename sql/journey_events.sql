-- table: journey_events
-- depends: stg_interactions, stg_orders, stg_survey_responses, identity_keys
-- batches: event_batches by customer_id
-- files: partitioned by event_month
-- The unified timeline: one row per touchpoint before the cutoff (an
-- interaction, an order, its delivery, return or cancellation, a survey
-- answer) with its resolved customer, journey stage, negative-experience flag,
-- sequence number per customer and seconds since the customer's previous event.
-- A record's customer is that of its pair of customer_id and email
-- (identity_keys), which covers the records before the cutoff: an order's
-- events are those of an order placed before it.
-- Dates and months are in the business time zone: local_time(ts, offset_us)
-- is timezone($tz, ts), with the offset of ts's day looked up in
-- local_offsets instead of asking ICU for every instant.
WITH ev AS (
    SELECT 'interaction:' || i.interaction_id AS event_id, ids.customer_id, i.occurred_at AS event_at,
           'interactions' AS entity, i._source AS source, coalesce(i.channel, 'unknown') AS channel,
           coalesce(i.type, 'interaction') AS event_type,
           CASE WHEN i.type IN ('support_ticket', 'complaint', 'call', 'chat') THEN 'service' ELSE 'awareness' END AS stage,
           i.duration_seconds AS value,
           CASE WHEN i.type = 'complaint' THEN 'complaint'
                WHEN i.type = 'support_ticket' AND i.resolved = false THEN 'unresolved ticket' END AS negative_reason
    FROM stg_interactions i JOIN identity_keys ids ON ids.record_customer_id IS NOT DISTINCT FROM i.customer_id AND ids.record_email IS NOT DISTINCT FROM i.email
    WHERE i.occurred_at < $cutoff
    UNION ALL
    SELECT 'order:' || o.order_id, ids.customer_id, o.ordered_at, 'orders', o._source,
           coalesce(o.channel, 'unknown'), 'order', 'purchase', o.amount, NULL
    FROM stg_orders o JOIN identity_keys ids ON ids.record_customer_id IS NOT DISTINCT FROM o.customer_id AND ids.record_email IS NOT DISTINCT FROM o.email
    WHERE o.ordered_at < $cutoff
    UNION ALL
    SELECT 'delivery:' || o.order_id, ids.customer_id, o.delivered_at, 'orders', o._source,
           coalesce(o.channel, 'unknown'), 'delivery', 'post_purchase', NULL,
           CASE WHEN CAST(local_time(o.delivered_at, zd.offset_us) AS DATE) > CAST(local_time(o.promised_at, zp.offset_us) AS DATE)
                THEN 'late delivery' END
    FROM stg_orders o JOIN identity_keys ids ON ids.record_customer_id IS NOT DISTINCT FROM o.customer_id AND ids.record_email IS NOT DISTINCT FROM o.email
    LEFT JOIN local_offsets zd ON zd.utc_day = utc_day(o.delivered_at)
    LEFT JOIN local_offsets zp ON zp.utc_day = utc_day(o.promised_at)
    WHERE o.ordered_at < $cutoff AND o.delivered_at IS NOT NULL AND o.status IS DISTINCT FROM 'cancelled'
    UNION ALL
    SELECT 'return:' || o.order_id, ids.customer_id, coalesce(o.updated_at, o.delivered_at, o.ordered_at), 'orders', o._source,
           coalesce(o.channel, 'unknown'), CASE o.status WHEN 'returned' THEN 'return' ELSE 'refund' END,
           'post_purchase', coalesce(o.refunded_amount, o.amount), 'return'
    FROM stg_orders o JOIN identity_keys ids ON ids.record_customer_id IS NOT DISTINCT FROM o.customer_id AND ids.record_email IS NOT DISTINCT FROM o.email
    WHERE o.ordered_at < $cutoff AND o.status IN ('returned', 'refunded')
    UNION ALL
    SELECT 'cancellation:' || o.order_id, ids.customer_id, coalesce(o.updated_at, o.ordered_at), 'orders', o._source,
           coalesce(o.channel, 'unknown'), 'order_cancelled', 'purchase', o.amount, NULL
    FROM stg_orders o JOIN identity_keys ids ON ids.record_customer_id IS NOT DISTINCT FROM o.customer_id AND ids.record_email IS NOT DISTINCT FROM o.email
    WHERE o.ordered_at < $cutoff AND o.status = 'cancelled'
    UNION ALL
    SELECT 'survey:' || s.response_id, ids.customer_id, s.responded_at, 'survey_responses', s._source,
           'survey', s.survey_type || '_response',
           CASE WHEN s.survey_type = 'nps' AND s.score >= 9 THEN 'advocacy'
                WHEN s.touchpoint = 'support' THEN 'service' ELSE 'post_purchase' END,
           s.score,
           CASE WHEN s.survey_type = 'nps' AND s.score <= 6 THEN 'detractor'
                WHEN s.survey_type = 'csat' AND s.score <= 2 THEN 'low CSAT'
                WHEN s.survey_type = 'ces' AND s.score <= 3 THEN 'high effort (CES)' END
    FROM stg_survey_responses s JOIN identity_keys ids ON ids.record_customer_id IS NOT DISTINCT FROM s.customer_id AND ids.record_email IS NOT DISTINCT FROM s.email
    WHERE s.responded_at < $cutoff
),
local AS (
    SELECT ev.*, local_time(event_at, z.offset_us) AS local_at
    FROM ev LEFT JOIN local_offsets z ON z.utc_day = utc_day(event_at)
    WHERE event_at < $cutoff
)
SELECT customer_id, event_at,
       CAST(local_at AS DATE) AS event_date,
       strftime(local_at, '%Y-%m') AS event_month,
       event_id, entity, source, channel, stage, event_type, value,
       negative_reason IS NOT NULL AS is_negative, negative_reason
FROM local;
-- each batch:
-- The sequence number and the gap are a window over each customer's
-- events. It runs on batches of customers (by a hash of the customer id,
-- sized so that a batch holds a few million events): the window over all
-- events of a million customers does not fit a few GB of memory, and
-- DuckDB's window does not spill far enough; a batch does. The gap is
-- computed from epoch microseconds: subtracting two TIMESTAMPTZ values goes
-- through the ICU calendar and costs over a microsecond a row. (Kept in
-- files, the statement's rows go to each batch's Parquet files by month.)
CREATE OR REPLACE TABLE journey_events AS
SELECT customer_id, event_at, event_date, event_month,
       event_id, entity, source, channel, stage, event_type, value,
       is_negative, negative_reason,
       row_number() OVER w AS sequence_number,
       (epoch_us(event_at) - epoch_us(lag(event_at) OVER w)) / 1e6 AS seconds_since_previous
FROM batch_rows
WINDOW w AS (PARTITION BY customer_id ORDER BY event_at, event_id);
