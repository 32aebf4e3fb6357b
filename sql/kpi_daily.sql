-- table: kpi_daily
-- depends: customer_journey, customer_metrics, purchases, stg_survey_responses, customer_identity
-- One row per snapshot × dimension value (all; segment; acquisition channel;
-- country), customers attributed by their CRM attributes ('unknown' when
-- missing). Survey KPIs use answers in the last $survey_window_days days:
-- NPS = 100 × (promoters − detractors) / answers, NULL without answers, with
-- the 95 % margin of error 196 × sqrt((p + d − (p − d)²) / n) from the
-- variance of the +1/0/−1 coding; CSAT % = share of 4–5 among all CSAT
-- answers; CES = mean score (and share of 5–7). Active customers bought in
-- the last $activity_window_days days; repeat purchase rate = customers with
-- more than one order / customers with at least one, orders in the last
-- $repeat_window_days days. Counts are always recomputed per group.
CREATE OR REPLACE TABLE kpi_daily AS
WITH dims AS (
    SELECT customer_id, unnest([
        {'dimension': 'all', 'value': 'all'},
        {'dimension': 'segment', 'value': coalesce(segment, 'unknown')},
        {'dimension': 'channel', 'value': coalesce(acquisition_channel, 'unknown')},
        {'dimension': 'country', 'value': coalesce(country, 'unknown')}
    ]) AS d
    FROM customer_journey
), survey AS (
    SELECT ci.customer_id, s.survey_type, s.score
    FROM stg_survey_responses s
    JOIN customer_identity ci ON ci.record_type = 'survey' AND ci.record_id = s.response_id
    WHERE s.responded_at >= $cutoff - to_days(CAST($survey_window_days AS INTEGER))
), survey_kpi AS (
    SELECT d.dimension, d.value,
           count(*) FILTER (WHERE survey_type = 'nps') AS nps_responses,
           count(*) FILTER (WHERE survey_type = 'nps' AND score >= 9) AS promoters,
           count(*) FILTER (WHERE survey_type = 'nps' AND score BETWEEN 7 AND 8) AS passives,
           count(*) FILTER (WHERE survey_type = 'nps' AND score <= 6) AS detractors,
           count(*) FILTER (WHERE survey_type = 'csat') AS csat_responses,
           count(*) FILTER (WHERE survey_type = 'csat' AND score >= 4) AS csat_satisfied,
           count(*) FILTER (WHERE survey_type = 'ces') AS ces_responses,
           avg(score) FILTER (WHERE survey_type = 'ces') AS ces_avg,
           count(*) FILTER (WHERE survey_type = 'ces' AND score >= 5) AS ces_easy
    FROM survey JOIN dims d USING (customer_id) GROUP BY d.dimension, d.value
), buyers AS (
    SELECT customer_id, count(*) AS orders_window
    FROM purchases
    WHERE ordered_at >= $cutoff - to_days(CAST($repeat_window_days AS INTEGER))
    GROUP BY customer_id
), customer_kpi AS (
    SELECT d.dimension, d.value,
           count(*) AS customers,
           count(*) FILTER (WHERE m.recency_days < $activity_window_days) AS active_customers,
           count(b.customer_id) AS buyers_window,
           count(*) FILTER (WHERE b.orders_window > 1) AS repeat_buyers_window,
           count(*) FILTER (WHERE m.churn_band = 'high') AS high_risk_customers,
           sum(1 - m.p_alive ORDER BY m.customer_id) AS expected_churners,
           sum(m.clv_12m ORDER BY m.customer_id) AS clv_total
    FROM dims d
    JOIN customer_metrics m USING (customer_id)
    LEFT JOIN buyers b USING (customer_id)
    GROUP BY d.dimension, d.value
)
SELECT CAST($as_of AS DATE) AS snapshot_date, c.dimension, c.value AS dimension_value,
       c.customers, c.active_customers,
       coalesce(s.nps_responses, 0) AS nps_responses,
       coalesce(s.promoters, 0) AS promoters, coalesce(s.passives, 0) AS passives, coalesce(s.detractors, 0) AS detractors,
       100.0 * (s.promoters - s.detractors) / nullif(s.nps_responses, 0) AS nps,
       196.0 * sqrt(greatest(0.0, (s.promoters + s.detractors) / nullif(s.nps_responses, 0)
                    - pow((s.promoters - s.detractors) / nullif(s.nps_responses, 0), 2)) / nullif(s.nps_responses, 0)) AS nps_margin_of_error,
       coalesce(s.csat_responses, 0) AS csat_responses,
       100.0 * s.csat_satisfied / nullif(s.csat_responses, 0) AS csat_pct,
       coalesce(s.ces_responses, 0) AS ces_responses,
       s.ces_avg,
       100.0 * s.ces_easy / nullif(s.ces_responses, 0) AS ces_easy_pct,
       c.buyers_window, c.repeat_buyers_window,
       100.0 * c.repeat_buyers_window / nullif(c.buyers_window, 0) AS repeat_purchase_rate,
       c.high_risk_customers, c.expected_churners, c.clv_total
FROM customer_kpi c
LEFT JOIN survey_kpi s USING (dimension, value);
