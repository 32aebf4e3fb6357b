package btyd

import (
	"context"
	"math"
	"testing"
)

// The parameters the recovery test and the benchmarks simulate from.
var (
	trueBGNBD      = BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}
	trueGammaGamma = GammaGamma{P: 6, Q: 4, Gamma: 15}
)

// TestParameterRecovery fits both models to 100,000 customers simulated from
// known parameters. Maximum-likelihood estimates are asymptotically normal
// around the truth with the standard errors the fit reports (inverse
// observed information), so each estimate must lie within 4 standard errors
// of its true value (a 6e-5 chance of failing per parameter for a fresh
// seed; the seed is fixed). The standard errors themselves must be small,
// below 10 % of the parameter, so that the check has teeth.
func TestParameterRecovery(t *testing.T) {
	cs := simulated(100_000, 42)
	ctx := context.Background()
	bg, err := FitBGNBD(ctx, cs, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gg, err := FitGammaGamma(ctx, cs, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bg/nbd %+v ± %+v; gamma-gamma (%d repeaters) %+v ± %+v", bg.Params, bg.StdErr, gg.Customers, gg.Params, gg.StdErr)
	checks := []struct {
		name           string
		got, se, truth float64
	}{
		{"r", bg.Params.R, bg.StdErr.R, trueBGNBD.R},
		{"alpha", bg.Params.Alpha, bg.StdErr.Alpha, trueBGNBD.Alpha},
		{"a", bg.Params.A, bg.StdErr.A, trueBGNBD.A},
		{"b", bg.Params.B, bg.StdErr.B, trueBGNBD.B},
		{"p", gg.Params.P, gg.StdErr.P, trueGammaGamma.P},
		{"q", gg.Params.Q, gg.StdErr.Q, trueGammaGamma.Q},
		{"gamma", gg.Params.Gamma, gg.StdErr.Gamma, trueGammaGamma.Gamma},
	}
	for _, c := range checks {
		if !(c.se > 0 && c.se < 0.1*c.truth) || math.Abs(c.got-c.truth) > 4*c.se {
			t.Errorf("%s = %.4f ± %.4f, true value %v", c.name, c.got, c.se, c.truth)
		}
	}
}
