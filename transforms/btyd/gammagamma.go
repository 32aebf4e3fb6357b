package btyd

import (
	"fmt"
	"math"
)

// GammaGamma holds the parameters of a Gamma-Gamma model of spend. A
// customer's transaction values are Gamma distributed with shape P and a rate
// ν that is itself Gamma distributed with shape Q and rate Gamma across
// customers, independently of the purchase process. All three must be finite
// and positive.
type GammaGamma struct {
	P, Q, Gamma float64
}

// Validate reports whether every parameter is finite and positive; the error
// wraps ErrInvalidInput.
func (m GammaGamma) Validate() error {
	if !allPositive(m.P, m.Q, m.Gamma) {
		return fmt.Errorf("%w: gamma-gamma parameters %+v must be finite and positive", ErrInvalidInput, m)
	}
	return nil
}

// ExpectedAOV returns the expected value of a future transaction of a
// customer whose x repeat purchase days had a mean value mean (the posterior
// mean of Fader and Hardie 2013):
//
//	(p γ + p x m) / (p x + q - 1),
//
// a weighted mean of the population mean p γ / (q-1) and mean. When x == 0,
// or mean <= 0 (a customer the fit leaves out, so without usable evidence),
// it is the population mean. The expectation is infinite when the denominator is
// not positive, in particular for the population mean when q <= 1: the error
// then wraps ErrUndefined. Invalid parameters, a negative, fractional or
// non-finite x, or a non-finite mean wrap ErrInvalidInput.
func (m GammaGamma) ExpectedAOV(x, mean float64) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, fmt.Errorf("expected order value: %w", err)
	}
	if !isFinite(x) || x < 0 || x != math.Trunc(x) || !isFinite(mean) {
		return 0, fmt.Errorf("expected order value: %w: frequency %g, mean value %g", ErrInvalidInput, x, mean)
	}
	v, err := m.expectedAOV(x, mean)
	if err != nil {
		return 0, fmt.Errorf("expected order value (x=%g, m=%g): %w", x, mean, err)
	}
	return v, nil
}

// expectedAOV is ExpectedAOV for valid arguments.
func (m GammaGamma) expectedAOV(x, mean float64) (float64, error) {
	if x == 0 || mean <= 0 {
		x, mean = 0, 0
	}
	den := m.P*x + m.Q - 1
	if den <= 0 {
		return 0, fmt.Errorf("%w: p x + q - 1 = %g <= 0, the expected value is infinite", ErrUndefined, den)
	}
	return finiteResult(m.P * (m.Gamma + x*mean) / den)
}
