-- table: customer_rfm
-- depends: purchases
-- RFM per customer with at least one purchase: recency (days since the last
-- order), frequency (orders) and monetary (revenue) as of the snapshot, each
-- scored 1–5 with value-based cuts: score = 1 + floor(5 × (rank − 1) / n),
-- where rank is the SQL RANK over the value (ties share a rank, so equal
-- values always get equal scores) and recency is ranked in reverse (recent is
-- best). Segments follow the common R/F grid.
CREATE OR REPLACE TABLE customer_rfm AS
WITH base AS (
    SELECT customer_id,
           date_diff('day', max(order_date), CAST($as_of AS DATE)) AS recency_days,
           count(*) AS frequency, CAST(sum(amount) AS DECIMAL(18,4)) AS monetary
    FROM purchases GROUP BY customer_id
), scored AS (
    SELECT *,
           1 + CAST(floor(5.0 * (rank() OVER (ORDER BY recency_days DESC) - 1) / count(*) OVER ()) AS INTEGER) AS r_score,
           1 + CAST(floor(5.0 * (rank() OVER (ORDER BY frequency) - 1) / count(*) OVER ()) AS INTEGER) AS f_score,
           1 + CAST(floor(5.0 * (rank() OVER (ORDER BY monetary) - 1) / count(*) OVER ()) AS INTEGER) AS m_score
    FROM base
)
SELECT customer_id, recency_days, frequency, monetary, r_score, f_score, m_score,
       r_score::VARCHAR || f_score::VARCHAR || m_score::VARCHAR AS rfm_score,
       CASE WHEN r_score >= 4 AND f_score >= 4 THEN 'champions'
            WHEN r_score >= 3 AND f_score >= 4 THEN 'loyal'
            WHEN r_score >= 4 AND f_score >= 2 THEN 'potential_loyalist'
            WHEN r_score >= 4 THEN 'new'
            WHEN r_score = 3 AND f_score <= 3 THEN 'need_attention'
            WHEN r_score <= 2 AND f_score >= 4 THEN 'cant_lose'
            WHEN r_score <= 2 AND f_score >= 2 THEN 'at_risk'
            ELSE 'hibernating' END AS rfm_segment
FROM scored;
