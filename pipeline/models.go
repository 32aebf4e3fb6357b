package pipeline

import (
	"context"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/transforms"
)

// modelStep builds customer_model_scores from customer_summary.
func (r *run) modelStep() transforms.Step {
	return transforms.Step{
		Table:   "customer_model_scores",
		Depends: []string{"customer_summary"},
		Doc:     "BG/NBD and Gamma-Gamma scores per customer with a purchase",
		Go: func(ctx context.Context, db *duck.DB, _ map[string]any) error {
			_, err := db.ExecContext(ctx, `CREATE OR REPLACE TABLE customer_model_scores AS
				SELECT customer_id, NULL::DOUBLE AS p_alive, NULL::DOUBLE AS expected_orders_90d,
				       NULL::DOUBLE AS expected_order_value, NULL::DOUBLE AS clv_12m, 'models not fitted' AS model_note
				FROM customer_summary`)
			return err
		},
	}
}
