package btyd

import (
	"fmt"
	"math"
)

const (
	// hypMaxTerms bounds the number of terms of one series.
	hypMaxTerms = 1 << 20
	// hypTol is the relative truncation error at which a series stops.
	hypTol = 1e-15
	// hypMaxCancel is the largest accepted ratio of the sum of the absolute
	// values of a series' terms to the absolute value of its sum: beyond it
	// cancellation has lost more than eight digits.
	hypMaxCancel = 1e8
	// hypConnectCancel is the same limit for the two halves of the
	// connection formula, which has a series to fall back on.
	hypConnectCancel = 1e4
	// hypNearOne is the argument from which the connection formula to
	// 1-z is tried.
	hypNearOne = 0.9
	// hypIntegerGap is how far from an integer c-a-b must be for the
	// connection formula, whose gamma factors have poles at the integers.
	hypIntegerGap = 1e-3
)

// Hyp2F1 returns the Gaussian hypergeometric function
//
//	2F1(a, b; c; z) = Σ_{n>=0} (a)_n (b)_n / ((c)_n n!) z^n
//
// for real a, b, c and z <= 1, where (x)_n is the rising factorial. It sums
// the series, stopping when a bound on the remaining terms, tracked from the
// ratio of successive terms, falls below 1e-15 of the sum, after the
// transformation that suits z:
//
//   - z < 0: Pfaff, 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)), whose
//     argument lies in (0, 1) and whose terms do not alternate;
//   - 0 < z < 1 and c-a-b < 0: Euler, 2F1(a,b;c;z) =
//     (1-z)^(c-a-b) 2F1(c-a, c-b; c; z), whose terms fall faster;
//   - 0.9 <= z < 1 with c-a-b at least 1e-3 away from an integer: the
//     connection formula to argument 1-z (Abramowitz and Stegun 15.3.6),
//     falling back to the series above if its two halves cancel;
//   - z = 1: Gauss's theorem, finite only when c-a-b > 0.
//
// When a or b is a non-positive integer the series is a polynomial and is
// summed for any z. The relative error is of the order of 1e-14 in normal
// use. Errors wrap ErrUndefined (non-finite arguments, c a non-positive
// integer not preceded by a terminating numerator parameter, z > 1, a
// divergent value at z = 1, overflow) or ErrNotConverged (more than 2^20
// terms needed, which happens only within about 1e-5 of z = 1, or
// cancellation that lost more than eight digits).
func Hyp2F1(a, b, c, z float64) (float64, error) {
	v, err := hyp2f1(a, b, c, z)
	if err != nil {
		return 0, fmt.Errorf("hyp2f1(%g, %g; %g; %g): %w", a, b, c, z, err)
	}
	return v, nil
}

func hyp2f1(a, b, c, z float64) (float64, error) {
	if err := hypCheck(a, b, c, z); err != nil {
		return 0, err
	}
	switch {
	case z == 0 || a == 0 || b == 0:
		return 1, nil
	case isNonPosInt(a) || isNonPosInt(b):
		return hypSeries(a, b, c, z)
	case z < 0:
		return hypPfaff(a, b, c, z)
	case z == 1:
		return hypGauss(a, b, c)
	case z >= hypNearOne && !nearInteger(c-a-b, hypIntegerGap):
		if v, err := hypConnect(a, b, c, z); err == nil {
			return v, nil
		}
	}
	return hypEuler(a, b, c, z)
}

// hypCheck rejects the arguments for which 2F1 is not a finite real number.
func hypCheck(a, b, c, z float64) error {
	terminating := isNonPosInt(a) || isNonPosInt(b)
	switch {
	case !isFinite(a) || !isFinite(b) || !isFinite(c) || !isFinite(z):
		return fmt.Errorf("%w: non-finite argument", ErrUndefined)
	case isNonPosInt(c) && !endsBefore(a, c) && !endsBefore(b, c):
		return fmt.Errorf("%w: c is a non-positive integer", ErrUndefined)
	case z > 1 && !terminating:
		return fmt.Errorf("%w: z > 1 lies on the branch cut", ErrUndefined)
	}
	return nil
}

// endsBefore reports whether the numerator parameter p ends the series
// before the denominator parameter c reaches zero.
func endsBefore(p, c float64) bool { return isNonPosInt(p) && p > c }

// hypPfaff evaluates z < 0 through the Pfaff transformation.
func hypPfaff(a, b, c, z float64) (float64, error) {
	if isNonPosInt(c-a) && !isNonPosInt(c-b) {
		a, b = b, a // keep the parameter that makes the new series terminate
	}
	v, err := hyp2f1(a, c-b, c, z/(z-1))
	if err != nil {
		return 0, err
	}
	return finiteResult(math.Exp(-a*math.Log1p(-z)) * v)
}

// hypGauss evaluates z = 1 by Gauss's theorem.
func hypGauss(a, b, c float64) (float64, error) {
	if c-a-b <= 0 {
		return 0, fmt.Errorf("%w: the series diverges at z = 1 when c-a-b <= 0", ErrUndefined)
	}
	return gammaRatio(c, c-a-b, c-a, c-b)
}

// hypEuler evaluates 0 < z < 1 by the series, after Euler's transformation
// when that makes the terms fall faster or the series terminate.
func hypEuler(a, b, c, z float64) (float64, error) {
	m := c - a - b
	if m >= 0 && !isNonPosInt(c-a) && !isNonPosInt(c-b) {
		return hypSeries(a, b, c, z)
	}
	v, err := hypSeries(c-a, c-b, c, z)
	if err != nil {
		return 0, err
	}
	return finiteResult(math.Exp(m*math.Log1p(-z)) * v)
}

// hypConnect evaluates z near 1 through the connection formula
//
//	2F1(a,b;c;z) = Γ(c)Γ(m)/(Γ(c-a)Γ(c-b)) 2F1(a, b; 1-m; 1-z)
//	  + (1-z)^m Γ(c)Γ(-m)/(Γ(a)Γ(b)) 2F1(c-a, c-b; m+1; 1-z),  m = c-a-b,
//
// valid when m is not an integer.
func hypConnect(a, b, c, z float64) (float64, error) {
	m, y := c-a-b, 1-z
	t1, err := hypConnectHalf(c, m, c-a, c-b, a, b, 1-m, y)
	if err != nil {
		return 0, err
	}
	t2, err := hypConnectHalf(c, -m, a, b, c-a, c-b, m+1, y)
	if err != nil {
		return 0, err
	}
	t2 *= math.Pow(y, m)
	v := t1 + t2
	if !isFinite(v) || math.Abs(t1)+math.Abs(t2) > hypConnectCancel*math.Abs(v) {
		return 0, fmt.Errorf("%w: connection formula cancels", ErrNotConverged)
	}
	return v, nil
}

// hypConnectHalf returns Γ(n1)Γ(n2)/(Γ(d1)Γ(d2)) 2F1(a, b; c; y).
func hypConnectHalf(n1, n2, d1, d2, a, b, c, y float64) (float64, error) {
	g, err := gammaRatio(n1, n2, d1, d2)
	if err != nil || g == 0 {
		return 0, err
	}
	s, err := hyp2f1(a, b, c, y)
	if err != nil {
		return 0, err
	}
	return g * s, nil
}

// hypSeries sums the 2F1 series directly.
func hypSeries(a, b, c, z float64) (float64, error) {
	return hypTail(a, b, c, z, 1, a*b/c*z)
}

// gammaRatio returns Γ(n1)Γ(n2)/(Γ(d1)Γ(d2)), which is 0 when a
// denominator argument is a pole of Γ.
func gammaRatio(n1, n2, d1, d2 float64) (float64, error) {
	if isNonPosInt(d1) || isNonPosInt(d2) {
		return 0, nil
	}
	if isNonPosInt(n1) || isNonPosInt(n2) {
		return 0, fmt.Errorf("%w: pole of the gamma function", ErrUndefined)
	}
	l1, s1 := math.Lgamma(n1)
	l2, s2 := math.Lgamma(n2)
	l3, s3 := math.Lgamma(d1)
	l4, s4 := math.Lgamma(d2)
	return finiteResult(float64(s1*s2*s3*s4) * math.Exp(l1+l2-l3-l4))
}

func finiteResult(v float64) (float64, error) {
	if !isFinite(v) {
		return 0, fmt.Errorf("%w: result overflows", ErrUndefined)
	}
	return v, nil
}

func isNonPosInt(v float64) bool { return v <= 0 && v == math.Trunc(v) }

func nearInteger(v, gap float64) bool { return math.Abs(v-math.Round(v)) < gap }
