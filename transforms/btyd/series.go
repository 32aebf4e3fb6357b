package btyd

import (
	"fmt"
	"math"
)

// hypTail returns base + Σ_{n>=1} t_n, where t_1 = first and
//
//	t_{n+1} = t_n (a+n)(b+n) z / ((c+n)(n+1)),
//
// the ratio of successive terms of 2F1(a, b; c; z): with base 1 and first
// abz/c it is the 2F1 series itself. c+n must not be 0 for n >= 1. The sum
// stops when a bound on the remaining terms is below hypTol of the sum; it
// fails after hypMaxTerms terms or when cancellation lost more than eight
// digits.
func hypTail(a, b, c, z, base, first float64) (float64, error) {
	sum, term := base+first, first
	mag := math.Abs(base) + math.Abs(first)
	for n := 1; term != 0; n++ {
		if n >= hypMaxTerms {
			return 0, fmt.Errorf("%w: series needs more than %d terms", ErrNotConverged, hypMaxTerms)
		}
		fn := float64(n)
		term *= (a + fn) * (b + fn) / ((c + fn) * (fn + 1)) * z
		sum += term
		mag += math.Abs(term)
		if math.Abs(term) <= hypTol*math.Abs(sum) && tailNegligible(a, b, c, z, fn+1, term, sum) {
			break
		}
	}
	if !isFinite(sum) || !isFinite(mag) {
		return 0, fmt.Errorf("%w: series overflows", ErrUndefined)
	}
	if mag > hypMaxCancel*math.Abs(sum) {
		return 0, fmt.Errorf("%w: cancellation in the series lost more than eight digits", ErrNotConverged)
	}
	return sum, nil
}

// tailNegligible reports whether the terms after term, the m-th, add up to
// at most hypTol of sum. From index m on, the ratio of successive terms is
// z (m+a)/(m+1) (m+b)/(m+c); once every factor is positive each quotient is
// monotone in m and tends to 1, so its supremum is max(quotient at m, 1).
// That bounds the tail by a geometric series. Both pairings of the factors
// give a bound; the smaller is used.
func tailNegligible(a, b, c, z, m, term, sum float64) bool {
	if m+a <= 0 || m+b <= 0 || m+c <= 0 {
		return false
	}
	rho1 := math.Max((m+a)/(m+1), 1) * math.Max((m+b)/(m+c), 1)
	rho2 := math.Max((m+a)/(m+c), 1) * math.Max((m+b)/(m+1), 1)
	rho := math.Abs(z) * math.Min(rho1, rho2)
	return rho < 1 && math.Abs(term)*rho/(1-rho) <= hypTol*math.Abs(sum)
}
