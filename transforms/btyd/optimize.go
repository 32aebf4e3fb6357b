package btyd

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
)

// FitOptions tunes the maximum-likelihood fits. The zero value is ready to
// use.
type FitOptions struct {
	// MaxIterations caps the optimiser's iterations from each starting
	// point; 0 means 200.
	MaxIterations int
	// GradientTolerance is the gradient criterion of convergence: no
	// partial derivative of the mean log-likelihood per customer with
	// respect to the logarithms of the parameters may exceed it in absolute
	// value; 0 means 1e-8. A point where the Newton step changes no
	// log-parameter by more than 1e-6 also meets it: on large data sets the
	// rounding noise of the likelihood stops line searches near 1e-7. In
	// both cases the likelihood must also be curved downwards in every
	// direction (see BGNBDFit.Converged).
	GradientTolerance float64
	// Workers is the number of goroutines evaluating the likelihood; 0
	// means runtime.GOMAXPROCS(0). The fitted parameters do not depend on it.
	Workers int
}

// resolve validates o and fills in the defaults.
func (o FitOptions) resolve() (FitOptions, error) {
	if o.MaxIterations < 0 || o.Workers < 0 || !(o.GradientTolerance >= 0) || math.IsInf(o.GradientTolerance, 1) {
		return o, fmt.Errorf("%w: fit options %+v: values must be finite and >= 0", ErrInvalidInput, o)
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = 200
	}
	if o.GradientTolerance == 0 {
		o.GradientTolerance = 1e-8
	}
	o.Workers = defaultWorkers(o.Workers)
	return o, nil
}

// evaluationsPerIteration bounds the likelihood evaluations per optimiser
// iteration on average, so that a line search that cannot make progress
// (on a degenerate likelihood) ends the run.
const evaluationsPerIteration = 10

// negLogLik returns the negative mean log-likelihood per customer at the
// log-parameters theta and writes its gradient with respect to theta into
// grad.
type negLogLik func(theta, grad []float64) float64

// optOutcome is the result of minimising a negLogLik.
type optOutcome struct {
	theta      []float64
	f          float64   // negative mean log-likelihood at theta
	gradNorm   float64   // largest absolute partial derivative at theta
	stdErr     []float64 // standard errors of theta, when converged
	iterations int
	converged  bool
	reason     string // why not converged
}

// minimizeNLL minimises f, the negative mean log-likelihood of n customers,
// from each start in turn and returns the first converged outcome or, if
// none converged, the best one. Only a cancelled ctx is an error.
func minimizeNLL(ctx context.Context, f negLogLik, n float64, starts [][]float64, opt FitOptions) (optOutcome, error) {
	var best optOutcome
	iterations := 0
	for i, start := range starts {
		out, err := minimizeFrom(ctx, f, n, start, opt)
		if err != nil {
			return optOutcome{}, err
		}
		iterations += out.iterations
		out.iterations = iterations
		if out.converged {
			return out, nil
		}
		if i == 0 || out.f < best.f || math.IsNaN(best.f) {
			best = out
		}
	}
	best.iterations = iterations
	best.reason = fmt.Sprintf("none of %d starting points converged; best: %s", len(starts), best.reason)
	return best, nil
}

// minimizeFrom runs BFGS with a More-Thuente line search from start and
// checks the result: gradient norm, then curvature.
func minimizeFrom(ctx context.Context, f negLogLik, n float64, start []float64, opt FitOptions) (optOutcome, error) {
	cache := &evalCache{f: f}
	problem := optimize.Problem{Func: cache.value, Grad: cache.gradient}
	settings := &optimize.Settings{
		GradientThreshold: opt.GradientTolerance,
		MajorIterations:   opt.MaxIterations,
		FuncEvaluations:   evaluationsPerIteration * opt.MaxIterations,
		Recorder:          ctxRecorder{ctx},
	}
	method := &optimize.BFGS{Linesearcher: &optimize.MoreThuente{}}
	res, err := optimize.Minimize(problem, slices.Clone(start), settings, method)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return optOutcome{}, ctxErr
	}
	if res == nil {
		return optOutcome{}, fmt.Errorf("optimizer setup: %w", err)
	}
	status := "status " + res.Status.String()
	if err != nil {
		status += " (" + err.Error() + ")"
	}
	out := optOutcome{theta: slices.Clone(res.X), iterations: res.MajorIterations}
	judge(&out, f, n, opt, status)
	return out, nil
}

// judge evaluates the optimiser's best point out.theta and decides whether
// it is a maximum of the likelihood: the likelihood must be curved downwards
// in every direction (see curvature) and either the gradient norm must be
// within tolerance or the Newton step must move no log-parameter by more
// than maxNewtonStep. The second case is a line search that stalled on the
// rounding noise of the likelihood, which for large data sets lies near a
// gradient norm of 1e-8.
func judge(out *optOutcome, f negLogLik, n float64, opt FitOptions, status string) {
	grad := make([]float64, len(out.theta))
	out.f = f(out.theta, grad)
	out.gradNorm = floats.Norm(grad, math.Inf(1))
	if !isFinite(out.f) || !isFinite(out.gradNorm) {
		out.reason = "the log-likelihood is not finite at the optimiser's best point"
		return
	}
	se, step, flat := curvature(f, out.theta, grad, n)
	atOptimum := out.gradNorm <= opt.GradientTolerance ||
		(flat == "" && floats.Norm(step, math.Inf(1)) <= maxNewtonStep)
	switch {
	case !atOptimum:
		out.reason = fmt.Sprintf("optimizer stopped with %s at gradient norm %.3g > tolerance %.3g after %d iterations",
			status, out.gradNorm, opt.GradientTolerance, out.iterations)
	case flat != "":
		out.reason = flat
	default:
		out.stdErr, out.converged = se, true
	}
}

// evalCache evaluates f once per point for gonum's separate Func and Grad
// calls, and maps a NaN value to +Inf so that line searches back off.
type evalCache struct {
	f         negLogLik
	x, grad   []float64
	val       float64
	evaluated bool
}

func (c *evalCache) eval(x []float64) {
	if c.evaluated && slices.Equal(x, c.x) {
		return
	}
	c.x = append(c.x[:0], x...)
	c.grad = slices.Grow(c.grad[:0], len(x))[:len(x)]
	c.val = c.f(x, c.grad)
	if math.IsNaN(c.val) {
		c.val = math.Inf(1)
	}
	c.evaluated = true
}

func (c *evalCache) value(x []float64) float64 {
	c.eval(x)
	return c.val
}

func (c *evalCache) gradient(grad, x []float64) {
	c.eval(x)
	copy(grad, c.grad)
}

// ctxRecorder stops the optimiser when ctx is done.
type ctxRecorder struct{ ctx context.Context }

func (r ctxRecorder) Init() error { return r.ctx.Err() }

func (r ctxRecorder) Record(*optimize.Location, optimize.Operation, *optimize.Stats) error {
	return r.ctx.Err()
}

// expParams returns exp(theta[i]) for every i and whether all are finite and
// positive.
func expParams(theta []float64, out []float64) bool {
	ok := true
	for i, v := range theta {
		out[i] = math.Exp(v)
		ok = ok && out[i] > 0 && !math.IsInf(out[i], 0)
	}
	return ok
}
