package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/journeydata/journey/transforms/btyd"
)

// modelResult is the outcome of fitting and scoring one snapshot.
type modelResult struct {
	bg     btyd.BGNBDFit
	bgErr  error
	gg     btyd.GammaGammaFit
	ggErr  error
	scores []customerScore
}

// customerScore holds one customer's model columns; NaN means NULL.
type customerScore struct {
	pAlive, expected90, aov, clv float64
	note                         string
}

// horizon90 is 90 days in the models' time unit (weeks).
const horizon90 = 90.0 / 7

// fitModels fits BG/NBD on every customer and Gamma-Gamma on the repeat
// customers with a positive mean value, then scores every customer. A model
// that cannot be fitted leaves its columns NULL with the reason in the note;
// the snapshot still publishes.
func fitModels(ctx context.Context, cs []btyd.Customer, m Metrics) *modelResult {
	res := &modelResult{scores: make([]customerScore, len(cs))}
	res.bg, res.bgErr = btyd.FitBGNBD(ctx, cs, btyd.FitOptions{})
	res.gg, res.ggErr = btyd.FitGammaGamma(ctx, cs, btyd.FitOptions{})
	if res.ggErr == nil && res.gg.Params.Q <= 1 {
		res.ggErr = fmt.Errorf("%w: q = %.4g ≤ 1, so the mean order value is infinite", btyd.ErrUndefined, res.gg.Params.Q)
	}
	for i := range res.scores {
		res.scores[i] = customerScore{pAlive: math.NaN(), expected90: math.NaN(), aov: math.NaN(), clv: math.NaN()}
	}
	if res.bgErr != nil {
		res.noteAll("BG/NBD not fitted: " + reason(res.bgErr, res.bg.Reason))
		return res
	}
	if res.ggErr != nil {
		res.scoreBGOnly(cs)
		res.noteAll("Gamma-Gamma not fitted: " + reason(res.ggErr, res.gg.Reason))
		return res
	}
	opt := btyd.ScoreOptions{Horizon: horizon90, Months: m.CLVMonths, MonthlyDiscount: m.CLVMonthlyDiscount}
	scores, err := btyd.ScoreCustomers(ctx, res.bg.Params, res.gg.Params, cs, opt)
	if err != nil {
		res.scoreBGOnly(cs)
		res.noteAll("value scores failed: " + err.Error())
		return res
	}
	for i, s := range scores {
		res.scores[i] = customerScore{pAlive: s.PAlive, expected90: s.ExpectedPurchases, aov: s.ExpectedAOV, clv: s.CLV}
	}
	return res
}

// scoreBGOnly fills P(alive) and expected orders when only BG/NBD is usable.
func (res *modelResult) scoreBGOnly(cs []btyd.Customer) {
	for i, c := range cs {
		s := &res.scores[i]
		s.pAlive = res.bg.Params.PAlive(c.X, c.TX, c.T)
		e, err := res.bg.Params.ConditionalExpected(horizon90, c.X, c.TX, c.T)
		if err != nil {
			s.note = "expected orders: " + err.Error()
			continue
		}
		s.expected90 = e
	}
}

func (res *modelResult) noteAll(note string) {
	for i := range res.scores {
		if res.scores[i].note == "" {
			res.scores[i].note = note
		}
	}
}

// reason describes why a fit failed, preferring the fit's own words.
func reason(err error, fitReason string) string {
	if fitReason != "" && errors.Is(err, btyd.ErrNotConverged) {
		return "did not converge: " + fitReason
	}
	return err.Error()
}

// bgnbdReport is the manifest's models.bgnbd.
type bgnbdReport struct {
	R          float64 `json:"r"`
	Alpha      float64 `json:"alpha"`
	A          float64 `json:"a"`
	B          float64 `json:"b"`
	LogLik     float64 `json:"loglik"`
	Customers  int     `json:"customers"`
	Converged  bool    `json:"converged"`
	Iterations int     `json:"iterations"`
	Reason     string  `json:"reason,omitempty"`
}

// gammaGammaReport is the manifest's models.gamma_gamma.
type gammaGammaReport struct {
	P          float64 `json:"p"`
	Q          float64 `json:"q"`
	Gamma      float64 `json:"gamma"`
	LogLik     float64 `json:"loglik"`
	Customers  int     `json:"customers"`
	Converged  bool    `json:"converged"`
	Iterations int     `json:"iterations"`
	Reason     string  `json:"reason,omitempty"`
}

func (res *modelResult) report() map[string]any {
	bg := bgnbdReport{R: res.bg.Params.R, Alpha: res.bg.Params.Alpha, A: res.bg.Params.A, B: res.bg.Params.B,
		LogLik: res.bg.LogLik, Customers: res.bg.Customers, Converged: res.bgErr == nil && res.bg.Converged,
		Iterations: res.bg.Iterations}
	if res.bgErr != nil {
		bg.Reason = reason(res.bgErr, res.bg.Reason)
	}
	gg := gammaGammaReport{P: res.gg.Params.P, Q: res.gg.Params.Q, Gamma: res.gg.Params.Gamma,
		LogLik: res.gg.LogLik, Customers: res.gg.Customers, Converged: res.ggErr == nil && res.gg.Converged,
		Iterations: res.gg.Iterations}
	if res.ggErr != nil {
		gg.Reason = reason(res.ggErr, res.gg.Reason)
	}
	return map[string]any{"bgnbd": bg, "gamma_gamma": gg}
}
