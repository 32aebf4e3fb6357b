package btyd

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// The BG/NBD log-likelihood of one customer (Fader, Hardie and Lee 2005,
// equation 6, written as in Fader and Hardie's "#NUM!" note) is
//
//	ln Γ(r+x) - ln Γ(r) + r ln α
//	  + ln Γ(a+b) + ln Γ(b+x) - ln Γ(b) - ln Γ(a+b+x)
//	  + logsumexp(A3, [x > 0] A4),
//	A3 = -(r+x) ln(α+T),  A4 = ln a - ln(b+x-1) - (r+x) ln(α+tx).
//
// The first two lines depend on the customer only through x and are summed
// per distinct frequency (groupTerms); the last line is summed per row, in
// parallel (rowTerms). With w the weight exp(A4 - logsumexp) of the second
// term, the partial derivatives are
//
//	∂/∂r = ψ(r+x) - ψ(r) + ln α - (1-w) ln(α+T) - w ln(α+tx)
//	∂/∂α = r/α - (r+x) ((1-w)/(α+T) + w/(α+tx))
//	∂/∂a = ψ(a+b) - ψ(a+b+x) + w/a
//	∂/∂b = ψ(a+b) + ψ(b+x) - ψ(b) - ψ(a+b+x) - w/(b+x-1).

// negLogLik is the negLogLik of the BG/NBD over theta = ln(r, α, a, b).
func (d *bgData) negLogLik(theta, grad []float64) float64 {
	var p [4]float64
	if !expParams(theta, p[:]) {
		clear(grad)
		return math.Inf(1)
	}
	r, alpha, a, b := p[0], p[1], p[2], p[3]
	ll, g := d.groupTerms(r, alpha, a, b)
	s := d.rowTerms(r, alpha)
	ll += s[0]
	g[0] += s[1]
	g[1] += s[2]
	g[2] += s[3] / a
	g[3] -= s[4]
	for i := range grad {
		grad[i] = -p[i] * g[i] / d.n
	}
	return -ll / d.n
}

// groupTerms returns the terms that depend on a customer only through x,
// summed over customers, with their partial derivatives in (r, α, a, b),
// and fills d.groups for rowTerms.
func (d *bgData) groupTerms(r, alpha, a, b float64) (ll float64, g [4]float64) {
	lgR, lgB, lgAB := lgamma(r), lgamma(b), lgamma(a+b)
	psiR, psiB, psiAB := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
	logA := math.Log(a)
	for i, x := range d.xs {
		d.groups[i] = bgGroup{rx: r + x, zero: x == 0}
		if x == 0 {
			continue
		}
		d.groups[i].logK = logA - math.Log(b+x-1)
		d.groups[i].invB = 1 / (b + x - 1)
		n := d.counts[i]
		psiABX := mathext.Digamma(a + b + x)
		ll += n * (lgamma(r+x) - lgR + lgAB + lgamma(b+x) - lgB - lgamma(a+b+x))
		g[0] += n * (mathext.Digamma(r+x) - psiR)
		g[2] += n * (psiAB - psiABX)
		g[3] += n * (psiAB + mathext.Digamma(b+x) - psiB - psiABX)
	}
	logAlpha := math.Log(alpha)
	ll += d.n * r * logAlpha
	g[0] += d.n * logAlpha
	g[1] += d.n * r / alpha
	return ll, g
}

// rowTerms returns the sums over rows of the log-sum-exp term and of its
// derivative pieces, computed per fixed chunk in parallel and added in chunk
// order.
func (d *bgData) rowTerms(r, alpha float64) [bgSums]float64 {
	forEachChunk(len(d.rows), d.workers, func(k, lo, hi int) {
		d.partials[k] = d.chunkTerms(d.rows[lo:hi], alpha)
	})
	var s [bgSums]float64
	for _, p := range d.partials {
		for i := range s {
			s[i] += p[i]
		}
	}
	return s
}

// chunkTerms sums, over rows: the log-sum-exp term, its derivatives in r and
// α, the weight w of the second term, and w/(b+x-1).
func (d *bgData) chunkTerms(rows []bgRow, alpha float64) (s [bgSums]float64) {
	for _, row := range rows {
		g := &d.groups[row.g]
		l1 := math.Log(alpha + row.t)
		i1 := 1 / (alpha + row.t)
		if g.zero {
			s[0] -= row.w * g.rx * l1
			s[1] -= row.w * l1
			s[2] -= row.w * g.rx * i1
			continue
		}
		l2 := math.Log(alpha + row.tx)
		i2 := 1 / (alpha + row.tx)
		lse, w4 := logSumExp2(-g.rx*l1, g.logK-g.rx*l2)
		w3 := 1 - w4
		s[0] += row.w * lse
		s[1] -= row.w * (w3*l1 + w4*l2)
		s[2] -= row.w * g.rx * (w3*i1 + w4*i2)
		s[3] += row.w * w4
		s[4] += row.w * w4 * g.invB
	}
	return s
}

// logSumExp2 returns ln(e^u + e^v) and the weight e^v / (e^u + e^v).
func logSumExp2(u, v float64) (float64, float64) {
	d := v - u
	if d > 0 {
		e := math.Exp(-d)
		return v + math.Log1p(e), 1 / (1 + e)
	}
	e := math.Exp(d)
	return u + math.Log1p(e), e / (1 + e)
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}
