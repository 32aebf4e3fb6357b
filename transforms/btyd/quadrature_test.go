package btyd

import "math"

// expectedByQuadrature integrates E[(1 - (1+p t/α)^-r) / p] over
// p ~ Beta(a, b), the expected purchases in a period t of a customer alive
// at its start, by the tanh-sinh rule: p = 1/(1+exp(-π sinh τ)), which
// absorbs the endpoint singularities of the Beta density.
func expectedByQuadrature(t, r, alpha, a, b float64) float64 {
	const h, kmax = 1.0 / 64, 5 * 64
	logBeta := lgamma(a) + lgamma(b) - lgamma(a+b)
	s := t / alpha
	sum := 0.0
	for k := -kmax; k <= kmax; k++ {
		tau := float64(k) * h
		v := math.Pi * math.Sinh(tau)
		logP, logQ := -math.Log1p(math.Exp(-v)), -math.Log1p(math.Exp(v))
		p := math.Exp(logP)
		f := -math.Expm1(-r*math.Log1p(s*p)) / p
		// Beta density p^(a-1) (1-p)^(b-1) / B(a,b) times dp/dτ = p(1-p) π cosh τ.
		w := math.Exp(a*logP+b*logQ-logBeta) * math.Pi * math.Cosh(tau)
		sum += f * w
	}
	return sum * h
}
