package gen

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/transforms/btyd"
)

// Recovered compares one model parameter a run fitted with the value the
// data set was generated with.
type Recovered struct {
	Model  string  `json:"model"`
	Name   string  `json:"parameter"`
	Truth  float64 `json:"truth"`
	Fitted float64 `json:"fitted"`
	// StdErr is the asymptotic standard error of the estimate, from a refit
	// of the published per-customer summaries (btyd reports it; the run's
	// manifest does not).
	StdErr float64 `json:"std_err"`
	// Z is (fitted − truth) / std_err: within ±1 for about two parameters
	// in three, ±2 for 19 in 20, when the fit recovers the truth.
	Z float64 `json:"z"`
}

// Recovery compares the fits in a run's manifest (its models section) with
// the truth, taking standard errors from a refit of the run's published
// customer_metrics files (metrics, a glob). It also returns the number of
// customers the BG/NBD fit saw.
func Recovery(ctx context.Context, truth *Truth, models map[string]any, metrics string) ([]Recovered, int, error) {
	var fitted struct {
		BG struct {
			R, Alpha, A, B float64
			Customers      int
		} `json:"bgnbd"`
		GG struct{ P, Q, Gamma float64 } `json:"gamma_gamma"`
	}
	b, err := json.Marshal(models)
	if err == nil {
		err = json.Unmarshal(b, &fitted)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read the run's model fits: %w", err)
	}
	bg, gg, err := refit(ctx, metrics, "")
	if err != nil {
		return nil, 0, err
	}
	fit := btyd.BGNBD{R: fitted.BG.R, Alpha: fitted.BG.Alpha, A: fitted.BG.A, B: fitted.BG.B}
	gfit := btyd.GammaGamma{P: fitted.GG.P, Q: fitted.GG.Q, Gamma: fitted.GG.Gamma}
	return compare(truth, fit, bg.StdErr, gfit, gg.StdErr), fitted.BG.Customers, nil
}

// RecoveryOfKnown refits the published customer_metrics files (metrics, a
// glob) on the customers the CRM knows (created_at set in the
// customer_journey files of glob journeys) and compares the refit with the
// truth. It leaves out the one-time buyers that the dirt's
// orders of unknown customers add, which the generating process did not
// make: at a million customers their 0.2 % weigh several standard errors.
func RecoveryOfKnown(ctx context.Context, truth *Truth, metrics, journeys string) ([]Recovered, error) {
	bg, gg, err := refit(ctx, metrics, "customer_id IN (SELECT customer_id FROM read_parquet($2) WHERE created_at IS NOT NULL)", journeys)
	if err != nil {
		return nil, err
	}
	return compare(truth, bg.Params, bg.StdErr, gg.Params, gg.StdErr), nil
}

// refit fits both models to the published summaries that match where
// (empty: all), a condition with parameters $2… from args.
func refit(ctx context.Context, metrics, where string, args ...any) (btyd.BGNBDFit, btyd.GammaGammaFit, error) {
	cs, err := publishedSummaries(ctx, metrics, where, args...)
	if err != nil {
		return btyd.BGNBDFit{}, btyd.GammaGammaFit{}, err
	}
	bg, err := btyd.FitBGNBD(ctx, cs, btyd.FitOptions{})
	if err != nil {
		return bg, btyd.GammaGammaFit{}, fmt.Errorf("refit BG/NBD for its standard errors: %w", err)
	}
	gg, err := btyd.FitGammaGamma(ctx, cs, btyd.FitOptions{})
	if err != nil {
		return bg, gg, fmt.Errorf("refit Gamma-Gamma for its standard errors: %w", err)
	}
	return bg, gg, nil
}

// compare lines up fitted parameters and their standard errors with the
// truth.
func compare(truth *Truth, bg, bgSE btyd.BGNBD, gg, ggSE btyd.GammaGamma) []Recovered {
	rows := []Recovered{
		{"BG/NBD", "r", truth.BGNBD.R, bg.R, bgSE.R, 0},
		{"BG/NBD", "alpha", truth.BGNBD.Alpha, bg.Alpha, bgSE.Alpha, 0},
		{"BG/NBD", "a", truth.BGNBD.A, bg.A, bgSE.A, 0},
		{"BG/NBD", "b", truth.BGNBD.B, bg.B, bgSE.B, 0},
		{"Gamma-Gamma", "p", truth.GammaGamma.P, gg.P, ggSE.P, 0},
		{"Gamma-Gamma", "q", truth.GammaGamma.Q, gg.Q, ggSE.Q, 0},
		{"Gamma-Gamma", "gamma", truth.GammaGamma.Gamma, gg.Gamma, ggSE.Gamma, 0},
	}
	for i := range rows {
		if rows[i].StdErr > 0 {
			rows[i].Z = (rows[i].Fitted - rows[i].Truth) / rows[i].StdErr
		}
	}
	return rows
}

// publishedSummaries reads the model inputs of every customer with a
// purchase (and matching where, when set) from published customer_metrics
// files, in customer order.
func publishedSummaries(ctx context.Context, glob, where string, args ...any) ([]btyd.Customer, error) {
	db, err := duck.Open(ctx, duck.Settings{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT frequency, recency_weeks, t_weeks, monetary_value FROM read_parquet($1)
		WHERE frequency IS NOT NULL`+and(where)+` ORDER BY customer_id`, append([]any{glob}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read the published customer summaries: %w", err)
	}
	defer rows.Close()
	var cs []btyd.Customer
	for rows.Next() {
		var c btyd.Customer
		if err := rows.Scan(&c.X, &c.TX, &c.T, &c.M); err != nil {
			return nil, fmt.Errorf("read the published customer summaries: %w", err)
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

func and(cond string) string {
	if cond == "" {
		return ""
	}
	return " AND (" + cond + ")"
}
