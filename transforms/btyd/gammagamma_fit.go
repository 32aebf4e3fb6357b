package btyd

import (
	"context"
	"fmt"
	"math"
)

// GammaGammaFit is the outcome of FitGammaGamma.
type GammaGammaFit struct {
	// Params are the maximum-likelihood estimates when Converged; otherwise
	// the best finite parameters the optimiser reached, or the zero value
	// when no optimisation was possible (see Reason).
	Params GammaGamma
	// LogLik is the total log-likelihood of Params over the customers used;
	// 0 when Params is the zero value.
	LogLik float64
	// Customers is the number of customers used: those with X > 0 and M > 0.
	Customers int
	// Excluded is the number of customers with X > 0 left out because
	// their mean value M is zero or negative.
	Excluded int
	// Converged reports whether the fit reached a maximum: the gradient
	// criterion of FitOptions is met and the likelihood is curved
	// downwards in every direction, with a Hessian (in log-parameters)
	// whose condition number is at most 1e6. A flat direction means the
	// data do not identify the parameters, as with a single customer.
	Converged bool
	// Iterations is the number of optimiser iterations, summed over the
	// starting points tried.
	Iterations int
	// GradientNorm is the largest absolute partial derivative of the mean
	// log-likelihood per customer with respect to the log-parameters, at
	// Params.
	GradientNorm float64
	// Reason says why the fit did not converge; empty when it did.
	Reason string
	// StdErr holds, field by field, the asymptotic standard error of each
	// parameter of Params, from the observed information (a numerical
	// Hessian of the log-likelihood) and the delta method; zero when the
	// fit did not converge.
	StdErr GammaGamma
}

// FitGammaGamma fits a Gamma-Gamma model by maximum likelihood to the
// customers of cs with X > 0 and M > 0 (the others carry no spend
// information the model can use; those with X > 0 and M <= 0 are counted in
// Excluded). The optimisation, determinism and errors are as for FitBGNBD;
// no usable customer gives Reason "no repeat customers with positive value"
// and an error wrapping ErrNoData.
func FitGammaGamma(ctx context.Context, cs []Customer, opt FitOptions) (GammaGammaFit, error) {
	var fit GammaGammaFit
	opt, err := opt.resolve()
	if err == nil {
		err = validateCustomers(cs)
	}
	if err != nil {
		return fit, fmt.Errorf("gamma-gamma fit: %w", err)
	}
	d := newGGData(cs, opt.Workers)
	fit.Customers, fit.Excluded = int(d.n), d.excluded
	if fit.Reason = ggUnfittable(cs, d); fit.Reason != "" {
		return fit, fmt.Errorf("gamma-gamma fit: %s: %w", fit.Reason, ErrNoData)
	}
	out, err := minimizeNLL(ctx, d.negLogLik, d.n, d.starts(), opt)
	if err != nil {
		return fit, fmt.Errorf("gamma-gamma fit: %w", err)
	}
	fit.record(out, d.n)
	if !fit.Converged {
		return fit, fmt.Errorf("gamma-gamma fit: %s: %w", fit.Reason, ErrNotConverged)
	}
	return fit, nil
}

// record copies the optimiser's outcome over n customers into fit.
func (fit *GammaGammaFit) record(out optOutcome, n float64) {
	fit.Converged, fit.Iterations, fit.GradientNorm, fit.Reason = out.converged, out.iterations, out.gradNorm, out.reason
	p := GammaGamma{P: math.Exp(out.theta[0]), Q: math.Exp(out.theta[1]), Gamma: math.Exp(out.theta[2])}
	if p.Validate() == nil && isFinite(out.f) {
		fit.Params, fit.LogLik = p, -out.f*n
	}
	if out.converged {
		se := out.stdErr
		fit.StdErr = GammaGamma{P: p.P * se[0], Q: p.Q * se[1], Gamma: p.Gamma * se[2]}
	}
}

// ggUnfittable returns why the Gamma-Gamma cannot be fitted, or "".
func ggUnfittable(cs []Customer, d *ggData) string {
	switch {
	case len(cs) == 0:
		return "no customers"
	case d.n == 0:
		return "no repeat customers with positive value"
	}
	return ""
}

// ggRow is one distinct (frequency, mean value) pair.
type ggRow struct {
	x, mx, w float64 // frequency, frequency × mean value, number of customers
}

// ggData is the Gamma-Gamma likelihood of a set of customers, collapsed to
// distinct rows and frequencies.
type ggData struct {
	rows     []ggRow
	xs       []float64 // distinct frequencies, in order of first appearance
	counts   []float64 // customers per distinct frequency
	n, meanM float64
	sumLogM  float64 // Σ ln m
	sumXLogM float64 // Σ x ln m
	excluded int
	workers  int
	partials [][3]float64 // scratch, one per chunk of rows
}

func newGGData(cs []Customer, workers int) *ggData {
	d := &ggData{workers: workers}
	rowOf := make(map[[2]float64]int)
	groupOf := make(map[float64]int)
	for _, c := range cs {
		switch {
		case c.X == 0:
			continue
		case c.M <= 0:
			d.excluded++
			continue
		}
		d.add(c, rowOf, groupOf)
	}
	if d.n > 0 {
		d.meanM /= d.n
	}
	d.partials = make([][3]float64, numChunks(len(d.rows)))
	return d
}

// add adds customer c, who has X > 0 and M > 0.
func (d *ggData) add(c Customer, rowOf map[[2]float64]int, groupOf map[float64]int) {
	g, ok := groupOf[c.X]
	if !ok {
		g = len(d.xs)
		groupOf[c.X] = g
		d.xs, d.counts = append(d.xs, c.X), append(d.counts, 0)
	}
	d.counts[g]++
	d.n++
	d.meanM += c.M
	logM := math.Log(c.M)
	d.sumLogM += logM
	d.sumXLogM += c.X * logM
	key := [2]float64{c.X, c.M}
	if i, ok := rowOf[key]; ok {
		d.rows[i].w++
		return
	}
	rowOf[key] = len(d.rows)
	d.rows = append(d.rows, ggRow{x: c.X, mx: c.X * c.M, w: 1})
}

// starts returns the log-parameters the optimiser starts from, each with a
// population mean value p γ / (q-1) equal to the sample's.
func (d *ggData) starts() [][]float64 {
	logs := func(p, q, gamma float64) []float64 {
		return []float64{math.Log(p), math.Log(q), math.Log(gamma)}
	}
	return [][]float64{
		logs(1, 2, d.meanM),
		logs(4, 3, d.meanM/2),
		logs(0.5, 1.5, d.meanM),
	}
}
