package btyd

import (
	"context"
	"fmt"
	"math"
)

// BGNBDFit is the outcome of FitBGNBD.
type BGNBDFit struct {
	// Params are the maximum-likelihood estimates when Converged; otherwise
	// the best finite parameters the optimiser reached, or the zero value
	// when no optimisation was possible (see Reason).
	Params BGNBD
	// LogLik is the total log-likelihood of Params over all customers; 0
	// when Params is the zero value.
	LogLik float64
	// Customers is the number of customers the likelihood covers.
	Customers int
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
	StdErr BGNBD
}

// FitBGNBD fits a BG/NBD model to cs by maximum likelihood. It optimises the
// logarithms of the parameters with BFGS, using the analytic gradient of the
// log-space likelihood evaluated in parallel (see the package doc), from up
// to three starting points until one converges. The result is the same,
// bit for bit, for the same input whatever opt.Workers.
//
// Errors: invalid options or customers wrap ErrInvalidInput; no customers,
// or no customer with a repeat purchase (the dropout process is then not
// identified), wrap ErrNoData; a fit that did not converge wraps
// ErrNotConverged and is returned with Converged false, its Reason and the
// best parameters found; a done ctx returns ctx.Err() wrapped.
func FitBGNBD(ctx context.Context, cs []Customer, opt FitOptions) (BGNBDFit, error) {
	fit := BGNBDFit{Customers: len(cs)}
	opt, err := opt.resolve()
	if err == nil {
		err = validateCustomers(cs)
	}
	if err != nil {
		return fit, fmt.Errorf("bg/nbd fit: %w", err)
	}
	if fit.Reason = bgUnfittable(cs); fit.Reason != "" {
		return fit, fmt.Errorf("bg/nbd fit: %s: %w", fit.Reason, ErrNoData)
	}
	d := newBGData(cs, opt.Workers)
	out, err := minimizeNLL(ctx, d.negLogLik, d.n, d.starts(), opt)
	if err != nil {
		return fit, fmt.Errorf("bg/nbd fit: %w", err)
	}
	fit.record(out, d.n)
	if !fit.Converged {
		return fit, fmt.Errorf("bg/nbd fit: %s: %w", fit.Reason, ErrNotConverged)
	}
	return fit, nil
}

// record copies the optimiser's outcome over n customers into fit.
func (fit *BGNBDFit) record(out optOutcome, n float64) {
	fit.Converged, fit.Iterations, fit.GradientNorm, fit.Reason = out.converged, out.iterations, out.gradNorm, out.reason
	p := BGNBD{R: math.Exp(out.theta[0]), Alpha: math.Exp(out.theta[1]), A: math.Exp(out.theta[2]), B: math.Exp(out.theta[3])}
	if p.Validate() == nil && isFinite(out.f) {
		fit.Params, fit.LogLik = p, -out.f*n
	}
	if out.converged {
		se := out.stdErr
		fit.StdErr = BGNBD{R: p.R * se[0], Alpha: p.Alpha * se[1], A: p.A * se[2], B: p.B * se[3]}
	}
}

// bgUnfittable returns why the BG/NBD cannot be fitted to cs, or "".
func bgUnfittable(cs []Customer) string {
	if len(cs) == 0 {
		return "no customers"
	}
	for _, c := range cs {
		if c.X > 0 {
			return ""
		}
	}
	return "no repeat customers: the dropout parameters a and b are not identified"
}

// bgRow is one distinct (frequency, recency, age) triple.
type bgRow struct {
	tx, t, w float64 // recency, age, number of customers
	g        int32   // index of the frequency in bgData.xs
}

// bgGroup holds the per-evaluation constants of one frequency x.
type bgGroup struct {
	rx   float64 // r + x
	logK float64 // ln a - ln(b+x-1)
	invB float64 // 1 / (b+x-1)
	zero bool    // x == 0
}

// bgSums is the number of per-chunk sums: log-likelihood, the derivatives
// with respect to r and alpha, and the two dropout-term sums.
const bgSums = 5

// bgData is the BG/NBD likelihood of a set of customers, collapsed to
// distinct rows and frequencies.
type bgData struct {
	rows     []bgRow
	xs       []float64 // distinct frequencies, in order of first appearance
	counts   []float64 // customers per distinct frequency
	n, meanT float64
	workers  int
	groups   []bgGroup         // scratch, one per frequency
	partials [][bgSums]float64 // scratch, one per chunk of rows
}

func newBGData(cs []Customer, workers int) *bgData {
	d := &bgData{n: float64(len(cs)), workers: workers}
	rowOf := make(map[[3]float64]int)
	groupOf := make(map[float64]int32)
	for _, c := range cs {
		g, ok := groupOf[c.X]
		if !ok {
			g = int32(len(d.xs))
			groupOf[c.X] = g
			d.xs, d.counts = append(d.xs, c.X), append(d.counts, 0)
		}
		d.counts[g]++
		d.meanT += c.T
		tx := c.TX
		if c.X == 0 {
			tx = 0
		}
		key := [3]float64{c.X, tx, c.T}
		if i, ok := rowOf[key]; ok {
			d.rows[i].w++
			continue
		}
		rowOf[key] = len(d.rows)
		d.rows = append(d.rows, bgRow{tx: tx, t: c.T, w: 1, g: g})
	}
	d.meanT /= d.n
	d.groups = make([]bgGroup, len(d.xs))
	d.partials = make([][bgSums]float64, numChunks(len(d.rows)))
	return d
}

// starts returns the log-parameters the optimiser starts from: one purchase
// per mean age with a uniform dropout probability, then two others.
func (d *bgData) starts() [][]float64 {
	logs := func(r, alpha, a, b float64) []float64 {
		return []float64{math.Log(r), math.Log(alpha), math.Log(a), math.Log(b)}
	}
	return [][]float64{
		logs(1, d.meanT, 1, 1),
		logs(1, 1, 1, 1),
		logs(0.25, d.meanT/10, 0.8, 2.5),
	}
}
