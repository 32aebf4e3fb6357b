package btyd

import (
	"context"
	"math/rand/v2"
	"testing"
)

// simulated returns n customers drawn from the parameters of the recovery
// test, observed for a year, with a fixed seed.
func simulated(n int, seed uint64) []Customer {
	rng := rand.New(rand.NewPCG(seed, 1))
	cs := SimulateBGNBD(rng, trueBGNBD, n, 52)
	SimulateGammaGamma(rng, trueGammaGamma, cs)
	return cs
}

// benchmarkFitScore fits both models to n simulated customers and scores
// every customer with the product defaults (90 days, 12-month CLV at 1 %).
func benchmarkFitScore(b *testing.B, n int) {
	cs := simulated(n, 7)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		bg, err := FitBGNBD(ctx, cs, FitOptions{})
		if err != nil {
			b.Fatal(err)
		}
		gg, err := FitGammaGamma(ctx, cs, FitOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ScoreCustomers(ctx, bg.Params, gg.Params, cs, DefaultScoreOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
}

func BenchmarkFitScore100k(b *testing.B) { benchmarkFitScore(b, 100_000) }

func BenchmarkFitScore1M(b *testing.B) { benchmarkFitScore(b, 1_000_000) }
