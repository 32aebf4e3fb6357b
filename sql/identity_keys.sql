-- table: identity_keys
-- depends: stg_customers, stg_interactions, stg_orders, stg_survey_responses
-- The identity rule, once for each pair of customer_id and email that an
-- interaction, order or survey answer before the cutoff carries (either may
-- be NULL): by customer_id when it is a CRM contact, else by the normalised
-- email of a CRM contact (the lowest customer_id when several share one),
-- else an unmatched identity of its own (its customer_id, or 'anon-' and the
-- keyed hash of its email). A record's customer is its pair's, joined with
-- IS NOT DISTINCT FROM on both: the pairs are about as many as the customers,
-- so the records join a small table instead of one row per record. A
-- sharded run keeps the pairs of its shard's customers alone
-- (journey_in_shard, true for every customer otherwise).
CREATE OR REPLACE TABLE identity_keys AS
SELECT * FROM (
WITH emails AS (
    SELECT email, min(customer_id) AS customer_id
    FROM stg_customers WHERE email IS NOT NULL GROUP BY email
), pairs AS (
    SELECT DISTINCT customer_id, email FROM (
        SELECT customer_id, email FROM stg_interactions WHERE occurred_at < $cutoff
        UNION ALL
        SELECT customer_id, email FROM stg_orders WHERE ordered_at < $cutoff
        UNION ALL
        SELECT customer_id, email FROM stg_survey_responses WHERE responded_at < $cutoff
    )
)
SELECT p.customer_id AS record_customer_id, p.email AS record_email,
       CASE WHEN c.customer_id IS NOT NULL THEN c.customer_id
            WHEN e.customer_id IS NOT NULL THEN e.customer_id
            WHEN p.customer_id IS NOT NULL THEN p.customer_id
            ELSE 'anon-' || pii_hash(p.email) END AS customer_id,
       CASE WHEN c.customer_id IS NOT NULL THEN 'customer_id'
            WHEN e.customer_id IS NOT NULL THEN 'email'
            ELSE 'unmatched' END AS match_method
FROM pairs p
LEFT JOIN stg_customers c ON c.customer_id = p.customer_id
LEFT JOIN emails e ON e.email = p.email
) WHERE journey_in_shard(customer_id);
