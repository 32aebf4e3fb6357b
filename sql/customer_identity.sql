-- table: customer_identity
-- depends: identity_keys, stg_interactions, stg_orders, stg_survey_responses
-- The resolved customer of every interaction, order and survey answer that
-- happened before the cutoff, and how it was matched (customer_id, email or
-- unmatched): the identity rule of its pair of customer_id and email
-- (identity_keys). One row per record; in a sharded run, the records of the
-- shard's customers.
CREATE OR REPLACE TABLE customer_identity AS
SELECT 'interaction' AS record_type, r.interaction_id AS record_id, k.customer_id, k.match_method
FROM stg_interactions r
JOIN identity_keys k ON k.record_customer_id IS NOT DISTINCT FROM r.customer_id AND k.record_email IS NOT DISTINCT FROM r.email
WHERE r.occurred_at < $cutoff
UNION ALL
SELECT 'order', r.order_id, k.customer_id, k.match_method
FROM stg_orders r
JOIN identity_keys k ON k.record_customer_id IS NOT DISTINCT FROM r.customer_id AND k.record_email IS NOT DISTINCT FROM r.email
WHERE r.ordered_at < $cutoff
UNION ALL
SELECT 'survey', r.response_id, k.customer_id, k.match_method
FROM stg_survey_responses r
JOIN identity_keys k ON k.record_customer_id IS NOT DISTINCT FROM r.customer_id AND k.record_email IS NOT DISTINCT FROM r.email
WHERE r.responded_at < $cutoff;
