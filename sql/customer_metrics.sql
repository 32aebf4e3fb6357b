-- table: customer_metrics
-- depends: customer_journey, customer_rfm, customer_summary, customer_model_scores
-- One row per customer as of the snapshot: RFM, the BG/NBD / Gamma-Gamma
-- model columns, churn risk 0–100 with band and reasons, loyalty index
-- 0–100 with tier.
--
-- Churn risk (customers with a purchase) = 100 × weighted mean of
--   inactive  (weight 0.5) = 1 − P(alive);
--   overdue   (weight 0.3) = clamp((days since last order / usual gap − 1) / 2, 0, 1),
--             usual gap = the customer's mean days between purchase days, or the
--             median of all repeat customers' gaps for one-time buyers;
--   negative  (weight 0.2) = 0, 0.5, 1 for 0, 1, 2+ negative experiences in 90 days.
-- Without a fitted model the weights of overdue and negative are rescaled.
-- Bands: low < 40 ≤ medium < 70 ≤ high. Reasons: factors worth ≥ 5 points,
-- largest first.
-- Loyalty index = 100 × (0.4 RFM (r+f+m−3)/12 + 0.2 P(alive) + 0.2 advocacy
-- (promoter 1, passive or no answer 0.5, detractor 0) + 0.1 satisfaction
-- (CSAT and CES rescaled to 0–1, 0.5 without answers) + 0.1 engagement
-- (half for a touch in 90 days, half for omnichannel)). Tiers: platinum ≥ 80,
-- gold ≥ 60, silver ≥ 40, bronze.
CREATE OR REPLACE TABLE customer_metrics AS
SELECT *,
       CASE WHEN loyalty_index >= 80 THEN 'platinum' WHEN loyalty_index >= 60 THEN 'gold'
            WHEN loyalty_index >= 40 THEN 'silver' ELSE 'bronze' END AS loyalty_tier
FROM (
WITH rhythm AS (
    SELECT coalesce(median(mean_gap_days), 90.0) AS median_gap FROM customer_summary WHERE mean_gap_days > 0
), base AS (
    SELECT j.customer_id, j.segment, j.country, j.acquisition_channel, j.orders, j.revenue,
           j.negative_experiences_90d, j.negative_reasons_90d, j.last_nps, j.avg_csat, j.avg_ces,
           j.touchpoints_90d, j.is_omnichannel,
           r.recency_days, r.r_score, r.f_score, r.m_score, r.rfm_score, r.rfm_segment,
           s.frequency, s.recency_weeks, s.t_weeks, s.monetary_value, s.days_since_last,
           coalesce(s.mean_gap_days, rhythm.median_gap) AS usual_gap_days,
           m.p_alive, m.expected_orders_90d, m.expected_order_value, m.clv_12m, m.model_note
    FROM customer_journey j
    CROSS JOIN rhythm
    LEFT JOIN customer_rfm r USING (customer_id)
    LEFT JOIN customer_summary s USING (customer_id)
    LEFT JOIN customer_model_scores m USING (customer_id)
), parts AS (
    SELECT *,
           1 - p_alive AS c_inactive,
           greatest(0.0, least(1.0, (days_since_last / greatest(usual_gap_days, 1.0) - 1) / 2)) AS c_overdue,
           CASE WHEN negative_experiences_90d >= 2 THEN 1.0 WHEN negative_experiences_90d = 1 THEN 0.5 ELSE 0.0 END AS c_negative,
           CASE WHEN p_alive IS NULL THEN 0.0 ELSE 0.5 END AS w_inactive
    FROM base
), churn AS (
    SELECT *,
           CASE WHEN orders > 0 THEN round(100 * (w_inactive * coalesce(c_inactive, 0) + 0.3 * c_overdue + 0.2 * c_negative)
                                            / (w_inactive + 0.5)) END AS churn_risk
    FROM parts
)
SELECT CAST($as_of AS DATE) AS snapshot_date, customer_id, segment, country, acquisition_channel,
       orders, revenue, recency_days, r_score, f_score, m_score, rfm_score, rfm_segment,
       frequency, recency_weeks, t_weeks, monetary_value,
       p_alive, expected_orders_90d, expected_order_value, clv_12m, model_note,
       CAST(churn_risk AS INTEGER) AS churn_risk,
       CASE WHEN churn_risk >= 70 THEN 'high' WHEN churn_risk >= 40 THEN 'medium' WHEN churn_risk IS NOT NULL THEN 'low' END AS churn_band,
       CASE WHEN orders = 0 THEN 'no purchase yet' ELSE nullif(array_to_string(list_transform(list_reverse_sort(list_filter([
           {'points': 100 * w_inactive * coalesce(c_inactive, 0) / (w_inactive + 0.5),
            'text': printf('%.0f%% chance they have stopped buying', 100 * coalesce(c_inactive, 0))},
           {'points': 100 * 0.3 * c_overdue / (w_inactive + 0.5),
            'text': printf('overdue: %d days since the last order, usually every %.0f days', days_since_last, usual_gap_days)},
           {'points': 100 * 0.2 * c_negative / (w_inactive + 0.5),
            'text': printf('%d negative experience(s) in %d days: %s', negative_experiences_90d, CAST($negative_window_days AS INTEGER), negative_reasons_90d)}
       ], x -> x.points >= 5)), x -> x.text), '; '), '') END AS churn_reasons,
       CAST(round(100 * (
           0.4 * coalesce((r_score + f_score + m_score - 3) / 12.0, 0)
         + 0.2 * coalesce(p_alive, (r_score - 1) / 4.0, 0)
         + 0.2 * CASE WHEN last_nps >= 9 THEN 1.0 WHEN last_nps <= 6 THEN 0.0 ELSE 0.5 END
         + 0.1 * coalesce((coalesce((avg_csat - 1) / 4, (avg_ces - 1) / 6) + coalesce((avg_ces - 1) / 6, (avg_csat - 1) / 4)) / 2, 0.5)
         + 0.1 * (0.5 * (touchpoints_90d > 0)::INTEGER + 0.5 * is_omnichannel::INTEGER)
       )) AS INTEGER) AS loyalty_index
FROM churn
);
