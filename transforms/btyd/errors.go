package btyd

import "errors"

// Sentinel errors. Errors returned by this package wrap one of them when the
// caller may want to branch on the cause; test with errors.Is.
var (
	// ErrNoData means there is not enough data to fit a model: no
	// customers at all, no repeat customers (BG/NBD), or no repeat customers
	// with a positive mean value (Gamma-Gamma).
	ErrNoData = errors.New("not enough data")

	// ErrNotConverged means an iterative computation stopped before meeting
	// its convergence criterion: a model fit (the returned fit then carries
	// the best finite parameters found and a Reason) or a series evaluation.
	ErrNotConverged = errors.New("did not converge")

	// ErrUndefined means the requested quantity does not exist, or is
	// infinite, for the given parameters, such as the population mean value
	// of a Gamma-Gamma model with q <= 1, or 2F1 with c a non-positive integer.
	ErrUndefined = errors.New("undefined for these parameters")

	// ErrInvalidInput means an argument is out of its domain: a negative,
	// fractional or non-finite frequency, a recency beyond the age, a
	// non-positive model parameter, and the like.
	ErrInvalidInput = errors.New("invalid input")
)
