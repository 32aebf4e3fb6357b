package btyd

import (
	"fmt"
	"math"
)

// singularBand is how close a may come to 1, and a+b-1 to 0, before the
// expected purchases are evaluated by expectedSeries instead of the closed
// form, whose cancellation grows as 1/|a-1|.
const singularBand = 0.01

// expectedAlive returns the expected number of purchases in a period of
// length t > 0 of a customer alive at its start whose purchase rate is
// Gamma(r, alpha) and dropout probability Beta(a, b), E[(1-exp(-λpt))/p].
// The result lies in [0, r t / alpha], the purchases without dropout.
func expectedAlive(t, r, alpha, a, b float64) (float64, error) {
	bound := r * t / alpha
	if math.Abs(a-1) >= singularBand && a+b-1 >= singularBand {
		if v, err := expectedClosed(t, r, alpha, a, b); err == nil {
			if v, ok := withinBound(v, bound); ok {
				return v, nil
			}
		}
	}
	v, err := expectedSeries(t, r, alpha, a, b)
	if err != nil {
		return 0, err
	}
	if v, ok := withinBound(v, bound); ok {
		return v, nil
	}
	return 0, fmt.Errorf("%w: expected purchases %g outside [0, %g]", ErrNotConverged, v, bound)
}

// withinBound clamps v into [0, bound] when it is outside by rounding only.
func withinBound(v, bound float64) (float64, bool) {
	slack := 1e-9 * bound
	switch {
	case !isFinite(v) || v < -slack || v > bound+slack:
		return 0, false
	case v < 0:
		return 0, true
	case v > bound:
		return bound, true
	}
	return v, true
}

// expectedClosed evaluates the closed form after Euler's transformation,
//
//	c/(a-1) [1 - (1-z)^(a-1) 2F1(c-r, a-1; c; z)],  c = a+b-1, z = t/(alpha+t),
//
// which equals c/(a-1) [1 - (1-z)^r 2F1(r, b; c; z)] without the overflow of
// the latter's factors for large r (frequent buyers).
func expectedClosed(t, r, alpha, a, b float64) (float64, error) {
	c := a + b - 1
	f, err := hyp2f1(c-r, a-1, c, t/(alpha+t))
	if err != nil {
		return 0, err
	}
	pow := math.Exp(-(a - 1) * math.Log1p(t/alpha))
	return c / (a - 1) * (1 - pow*f), nil
}

// expectedSeries evaluates the same function with the factor 1/(a-1)
// divided out. With L = ln(1-z) = -ln(1+t/alpha), u = (a-1)L and
// 2F1(c-r, a-1; c; z) = 1 + (a-1)/c S, where
//
//	S = Σ_{n>=1} (c-r)_n (a)_{n-1} / ((c+1)_{n-1} n!) z^n,
//
// the closed form becomes
//
//	-c L (e^u - 1)/u - e^u S,
//
// which has no singularity at a = 1 nor at c = 0 (c+1 = a+b > 0). S has the
// term ratio of that 2F1 series and is summed by hypTail.
func expectedSeries(t, r, alpha, a, b float64) (float64, error) {
	c := a + b - 1
	z := t / (alpha + t)
	l := -math.Log1p(t / alpha)
	u := (a - 1) * l
	phi := 1.0
	if u != 0 {
		phi = math.Expm1(u) / u
	}
	s, err := hypTail(c-r, a-1, c, z, 0, (c-r)*z)
	if err != nil {
		return 0, err
	}
	return -c*l*phi - math.Exp(u)*s, nil
}
