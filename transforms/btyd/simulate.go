package btyd

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// SimulateBGNBD draws n customers from the BG/NBD model p, each observed for
// an age T from its first purchase: λ ~ Gamma(shape R, rate Alpha) and
// dropout probability ~ Beta(A, B); purchases follow a Poisson process of rate
// λ, and after each repeat purchase the customer drops out with that
// probability. It returns the summaries X, TX and T (M is 0). The customers
// depend only on the state of rng, so a seeded source gives the same
// customers every time; the cost grows with the number of purchases. It
// panics if p is invalid or T is negative or not finite.
func SimulateBGNBD(rng *rand.Rand, p BGNBD, n int, T float64) []Customer {
	if err := p.Validate(); err != nil {
		panic("btyd: SimulateBGNBD: " + err.Error())
	}
	if !isFinite(T) || T < 0 {
		panic("btyd: SimulateBGNBD: invalid age")
	}
	rate := distuv.Gamma{Alpha: p.R, Beta: p.Alpha, Src: rng}
	dropout := distuv.Beta{Alpha: p.A, Beta: p.B, Src: rng}
	out := make([]Customer, n)
	for i := range out {
		lambda := rate.Rand()
		out[i] = simulatePurchases(rng, lambda, dropout.Rand(), T)
	}
	return out
}

// simulatePurchases runs one customer's purchase and dropout process.
func simulatePurchases(rng *rand.Rand, lambda, dropout, T float64) Customer {
	c := Customer{T: T}
	for t := 0.0; ; {
		t += rng.ExpFloat64() / lambda
		if t > T {
			return c
		}
		c.X++
		c.TX = t
		if rng.Float64() < dropout {
			return c
		}
	}
}

// SimulateGammaGamma sets the mean value M of every customer of cs with
// X > 0 from the Gamma-Gamma model gg, and M = 0 for the others: the
// customer's rate ν ~ Gamma(shape Q, rate Gamma) and each of the X
// transactions is Gamma(shape P, rate ν). M is drawn as the mean of X such
// transactions, whose sum is exactly Gamma(shape P X, rate ν), in one draw.
// Like SimulateBGNBD it is deterministic for a seeded rng and panics if gg is
// invalid.
func SimulateGammaGamma(rng *rand.Rand, gg GammaGamma, cs []Customer) {
	if err := gg.Validate(); err != nil {
		panic("btyd: SimulateGammaGamma: " + err.Error())
	}
	rate := distuv.Gamma{Alpha: gg.Q, Beta: gg.Gamma, Src: rng}
	for i := range cs {
		cs[i].M = 0
		if cs[i].X <= 0 {
			continue
		}
		nu := rate.Rand()
		total := distuv.Gamma{Alpha: gg.P * cs[i].X, Beta: nu, Src: rng}.Rand()
		cs[i].M = total / cs[i].X
	}
}
