package btyd

import (
	"fmt"
	"math"
)

// BGNBD holds the parameters of a BG/NBD model. While alive, a customer buys
// as a Poisson process whose rate λ (purchases per time unit) is Gamma
// distributed with shape R and rate Alpha across customers; after each
// purchase the customer drops out for good with a probability p that is Beta(A,
// B) distributed across customers. All four must be finite and positive.
type BGNBD struct {
	R, Alpha, A, B float64
}

// Validate reports whether every parameter is finite and positive; the error
// wraps ErrInvalidInput.
func (m BGNBD) Validate() error {
	if !allPositive(m.R, m.Alpha, m.A, m.B) {
		return fmt.Errorf("%w: bg/nbd parameters %+v must be finite and positive", ErrInvalidInput, m)
	}
	return nil
}

// PAlive returns the probability that a customer with frequency x, recency
// tx and age T is still alive at T:
//
//	1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+tx))^(r+x)).
//
// It is exactly 1 when x == 0, lies in [0, 1], and is computed from the log
// of the odds, so that a long-silent frequent buyer gets a value that falls
// smoothly to 0 rather than NaN. Like an out-of-range index, invalid
// arguments are a programming error: PAlive panics unless m.Validate() and
// Customer{X: x, TX: tx, T: T}.Validate() succeed (fitted models are valid;
// ScoreCustomers validates its input and returns errors instead).
func (m BGNBD) PAlive(x, tx, T float64) float64 {
	if err := m.Validate(); err != nil {
		panic("btyd: PAlive: " + err.Error())
	}
	if err := (Customer{X: x, TX: tx, T: T}).Validate(); err != nil {
		panic("btyd: PAlive: " + err.Error())
	}
	return m.pAlive(x, tx, T)
}

// pAlive is PAlive without the argument checks.
func (m BGNBD) pAlive(x, tx, T float64) float64 {
	if x == 0 {
		return 1
	}
	logOdds := math.Log(m.A) - math.Log(m.B+x-1) +
		(m.R+x)*math.Log1p((T-tx)/(m.Alpha+tx))
	if logOdds > 0 {
		e := math.Exp(-logOdds)
		return e / (1 + e)
	}
	return 1 / (1 + math.Exp(logOdds))
}

// ConditionalExpected returns the expected number of purchases in (T, T+t]
// of a customer with frequency x, recency tx and age T (equation 10 of
// Fader, Hardie and Lee 2005): PAlive(x, tx, T) times the expected purchases
// of an alive customer whose rate and dropout distributions are updated by
// the history, Gamma(r+x, alpha+T) and Beta(a, b+x). It is 0 when t == 0 or
// PAlive is 0, grows with t, and is evaluated as described for Expected, for
// any positive a. Errors wrap ErrInvalidInput (invalid model, summary or
// negative t) or come from the 2F1 evaluation.
func (m BGNBD) ConditionalExpected(t, x, tx, T float64) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, fmt.Errorf("conditional expected purchases: %w", err)
	}
	if err := checkHorizon(t); err != nil {
		return 0, fmt.Errorf("conditional expected purchases: %w", err)
	}
	if err := (Customer{X: x, TX: tx, T: T}).Validate(); err != nil {
		return 0, fmt.Errorf("conditional expected purchases: %w", err)
	}
	return m.conditionalExpected(t, x, tx, T, m.pAlive(x, tx, T))
}

// conditionalExpected is ConditionalExpected for valid arguments, given
// pAlive = m.pAlive(x, tx, T).
func (m BGNBD) conditionalExpected(t, x, tx, T, pAlive float64) (float64, error) {
	if pAlive == 0 || t == 0 {
		return 0, nil
	}
	e, err := expectedAlive(t, m.R+x, m.Alpha+T, m.A, m.B+x)
	if err != nil {
		return 0, fmt.Errorf("conditional expected purchases (t=%g, x=%g, tx=%g, T=%g): %w", t, x, tx, T, err)
	}
	return pAlive * e, nil
}

// Expected returns E[X(t)], the expected number of repeat purchases in the
// first t time units of a new customer (equation 7 of Fader, Hardie and Lee
// 2005):
//
//	(a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
//
// The paper derives it for a > 1, but the expectation is finite for every
// a > 0 (it is at most r t / alpha) and the expression is analytic in a, so
// it is used, through Hyp2F1 after Euler's transformation, whenever a is at
// least 0.01 away from 1 and a+b-1 >= 0.01. At a = 1 the closed form is 0/0
// (a removable singularity) and at a+b = 1 its 2F1 has a pole; there, and
// whenever the closed form fails, the same function is evaluated by a series
// with the factor 1/(a-1) divided out analytically (see expectedSeries), so
// no a is refused. Errors wrap ErrInvalidInput (invalid model or negative t)
// or come from the series evaluation.
func (m BGNBD) Expected(t float64) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, fmt.Errorf("expected purchases: %w", err)
	}
	if err := checkHorizon(t); err != nil {
		return 0, fmt.Errorf("expected purchases: %w", err)
	}
	if t == 0 {
		return 0, nil
	}
	e, err := expectedAlive(t, m.R, m.Alpha, m.A, m.B)
	if err != nil {
		return 0, fmt.Errorf("expected purchases (t=%g): %w", t, err)
	}
	return e, nil
}

func checkHorizon(t float64) error {
	if !isFinite(t) || t < 0 {
		return fmt.Errorf("%w: horizon %g must be finite and >= 0", ErrInvalidInput, t)
	}
	return nil
}
