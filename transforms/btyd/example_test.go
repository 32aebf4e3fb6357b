package btyd_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/journeydata/journey/transforms/btyd"
)

// Scoring CDNOW's customer 1 with the published parameters.
func Example() {
	bg := btyd.BGNBD{R: 0.2426, Alpha: 4.4135, A: 0.7929, B: 2.4258}
	gg := btyd.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	c := btyd.Customer{X: 2, TX: 30.43, T: 38.86, M: 22.35}

	next39, err := bg.ConditionalExpected(39, c.X, c.TX, c.T)
	if err != nil {
		panic(err)
	}
	aov, err := gg.ExpectedAOV(c.X, c.M)
	if err != nil {
		panic(err)
	}
	clv, err := btyd.CLV(bg, gg, c, 12, 0.01, btyd.WeeksPerMonth)
	if err != nil {
		panic(err)
	}
	fmt.Printf("P(alive) %.4f\n", bg.PAlive(c.X, c.TX, c.T))
	fmt.Printf("expected purchases in the next 39 weeks %.4f\n", next39)
	fmt.Printf("expected order value %.2f\n", aov)
	fmt.Printf("12-month CLV at 1 %% a month %.2f\n", clv)
	// Output:
	// P(alive) 0.7266
	// expected purchases in the next 39 weeks 1.2259
	// expected order value 24.66
	// 12-month CLV at 1 % a month 36.21
}

// Fitting both models to simulated customers.
func ExampleFitBGNBD() {
	rng := rand.New(rand.NewPCG(1, 2))
	cs := btyd.SimulateBGNBD(rng, btyd.BGNBD{R: 0.25, Alpha: 4, A: 0.8, B: 2.5}, 20_000, 52)
	btyd.SimulateGammaGamma(rng, btyd.GammaGamma{P: 6, Q: 4, Gamma: 15}, cs)

	bg, err := btyd.FitBGNBD(context.Background(), cs, btyd.FitOptions{})
	if err != nil {
		panic(err)
	}
	gg, err := btyd.FitGammaGamma(context.Background(), cs, btyd.FitOptions{})
	if err != nil {
		panic(err)
	}
	p := bg.Params
	fmt.Printf("r %.2f alpha %.1f a %.1f b %.1f\n", p.R, p.Alpha, p.A, p.B)
	fmt.Printf("p %.0f q %.0f gamma %.0f from %d repeat customers\n", gg.Params.P, gg.Params.Q, gg.Params.Gamma, gg.Customers)
	// Output:
	// r 0.25 alpha 4.0 a 0.8 b 2.4
	// p 6 q 4 gamma 15 from 9633 repeat customers
}
