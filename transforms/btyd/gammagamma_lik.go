package btyd

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// The Gamma-Gamma log-likelihood of one customer with x transactions of
// mean value m (Fader and Hardie 2013) is
//
//	ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln m + px ln x
//	  - (px+q) ln(γ + m x).
//
// Summed over customers, the terms in x only are summed per distinct
// frequency, those in m only are constants (sumLogM, sumXLogM), and
// L = ln(γ + m x) is summed per row in parallel as Σ x L, Σ L and
// Σ (px+q)/(γ+mx), which give the partial derivatives
//
//	∂/∂p = Σ x (ψ(px+q) - ψ(px) + ln x) + Σ x ln m - Σ x L
//	∂/∂q = Σ (ψ(px+q) - ψ(q) + ln γ) - Σ L
//	∂/∂γ = n q/γ - Σ (px+q)/(γ+mx).

// negLogLik is the negLogLik of the Gamma-Gamma over theta = ln(p, q, γ).
func (d *ggData) negLogLik(theta, grad []float64) float64 {
	var par [3]float64
	if !expParams(theta, par[:]) {
		clear(grad)
		return math.Inf(1)
	}
	p, q, gamma := par[0], par[1], par[2]
	ll, g := d.groupTerms(p, q, gamma)
	s := d.rowTerms(p, q, gamma)
	ll += p*d.sumXLogM - d.sumLogM - p*s[0] - q*s[1]
	g[0] += d.sumXLogM - s[0]
	g[1] -= s[1]
	g[2] -= s[2]
	for i := range grad {
		grad[i] = -par[i] * g[i] / d.n
	}
	return -ll / d.n
}

// groupTerms returns the terms that depend on a customer only through x,
// summed over customers, with their partial derivatives in (p, q, γ).
func (d *ggData) groupTerms(p, q, gamma float64) (ll float64, g [3]float64) {
	for i, x := range d.xs {
		n, px, logX := d.counts[i], p*x, math.Log(x)
		psiPXQ := mathext.Digamma(px + q)
		ll += n * (lgamma(px+q) - lgamma(px) + px*logX)
		g[0] += n * x * (psiPXQ - mathext.Digamma(px) + logX)
		g[1] += n * psiPXQ
	}
	logGamma := math.Log(gamma)
	ll += d.n * (q*logGamma - lgamma(q))
	g[1] += d.n * (logGamma - mathext.Digamma(q))
	g[2] += d.n * q / gamma
	return ll, g
}

// rowTerms returns Σ x L, Σ L and Σ (px+q)/(γ+mx) over rows, computed per
// fixed chunk in parallel and added in chunk order.
func (d *ggData) rowTerms(p, q, gamma float64) [3]float64 {
	forEachChunk(len(d.rows), d.workers, func(k, lo, hi int) {
		var s [3]float64
		for _, row := range d.rows[lo:hi] {
			l := math.Log(gamma + row.mx)
			s[0] += row.w * row.x * l
			s[1] += row.w * l
			s[2] += row.w * (p*row.x + q) / (gamma + row.mx)
		}
		d.partials[k] = s
	})
	var s [3]float64
	for _, part := range d.partials {
		for i := range s {
			s[i] += part[i]
		}
	}
	return s
}
