package pipeline

import (
	"context"
	"fmt"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/transforms"
	"github.com/journeydata/journey/transforms/btyd"
)

// modelStep builds customer_model_scores: the BG/NBD and Gamma-Gamma fits on
// the snapshot's customer_summary, and every customer's scores.
func (r *run) modelStep() transforms.Step {
	return transforms.Step{
		Table:   "customer_model_scores",
		Depends: []string{"customer_summary"},
		Doc:     "BG/NBD and Gamma-Gamma fits and scores per customer with a purchase",
		Go: func(ctx context.Context, db *duck.DB, _ map[string]any) error {
			ids, cs, err := readSummary(ctx, db)
			if err != nil {
				return err
			}
			m := fitModels(ctx, cs, r.cfg.Metrics)
			if err := ctx.Err(); err != nil {
				return err
			}
			r.manifest.Models = m.report()
			r.logModels(m)
			return writeScores(ctx, db, ids, m)
		},
	}
}

// readSummary reads customer_summary in customer order.
func readSummary(ctx context.Context, db *duck.DB) ([]string, []btyd.Customer, error) {
	rows, err := db.QueryContext(ctx, `SELECT customer_id, frequency, recency_weeks, t_weeks, monetary_value
		FROM customer_summary ORDER BY customer_id`)
	if err != nil {
		return nil, nil, fmt.Errorf("read customer_summary: %w", err)
	}
	defer rows.Close()
	var ids []string
	var cs []btyd.Customer
	for rows.Next() {
		var id string
		var c btyd.Customer
		if err := rows.Scan(&id, &c.X, &c.TX, &c.T, &c.M); err != nil {
			return nil, nil, fmt.Errorf("read customer_summary: %w", err)
		}
		ids = append(ids, id)
		cs = append(cs, c)
	}
	return ids, cs, rows.Err()
}

func (r *run) logModels(m *modelResult) {
	bg, gg := m.report()["bgnbd"].(bgnbdReport), m.report()["gamma_gamma"].(gammaGammaReport)
	r.opt.Log.Info().Bool("converged", bg.Converged).Float64("r", bg.R).Float64("alpha", bg.Alpha).
		Float64("a", bg.A).Float64("b", bg.B).Float64("loglik", bg.LogLik).Int("customers", bg.Customers).
		Str("reason", bg.Reason).Msg("BG/NBD fitted")
	r.opt.Log.Info().Bool("converged", gg.Converged).Float64("p", gg.P).Float64("q", gg.Q).
		Float64("gamma", gg.Gamma).Float64("loglik", gg.LogLik).Int("customers", gg.Customers).
		Str("reason", gg.Reason).Msg("Gamma-Gamma fitted")
}
