-- table: customer_identity
-- depends: stg_customers, stg_interactions, stg_orders, stg_survey_responses
-- Resolves the customer of every interaction, order and survey answer that
-- happened before the cutoff: by customer_id when it is a CRM contact, else by
-- the normalised email of a CRM contact (the lowest customer_id when several
-- share one), else the record keeps an unmatched identity of its own (its
-- customer_id, or 'anon-' and the keyed hash of its email). One row per record.
-- A sharded run keeps the records of its shard's customers alone
-- (journey_in_shard, true for every customer otherwise).
CREATE OR REPLACE TABLE customer_identity AS
SELECT * FROM (
WITH emails AS (
    SELECT email, min(customer_id) AS customer_id
    FROM stg_customers WHERE email IS NOT NULL GROUP BY email
), recs AS (
    SELECT 'interaction' AS record_type, interaction_id AS record_id, customer_id, email
    FROM stg_interactions WHERE occurred_at < $cutoff
    UNION ALL
    SELECT 'order', order_id, customer_id, email FROM stg_orders WHERE ordered_at < $cutoff
    UNION ALL
    SELECT 'survey', response_id, customer_id, email FROM stg_survey_responses WHERE responded_at < $cutoff
)
SELECT r.record_type, r.record_id,
       CASE WHEN c.customer_id IS NOT NULL THEN c.customer_id
            WHEN e.customer_id IS NOT NULL THEN e.customer_id
            WHEN r.customer_id IS NOT NULL THEN r.customer_id
            ELSE 'anon-' || pii_hash(r.email) END AS customer_id,
       CASE WHEN c.customer_id IS NOT NULL THEN 'customer_id'
            WHEN e.customer_id IS NOT NULL THEN 'email'
            ELSE 'unmatched' END AS match_method
FROM recs r
LEFT JOIN stg_customers c ON c.customer_id = r.customer_id
LEFT JOIN emails e ON e.email = r.email
) WHERE journey_in_shard(customer_id);
