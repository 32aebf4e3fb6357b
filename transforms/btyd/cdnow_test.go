package btyd

import (
	"context"
	"math"
	"testing"
)

// TestFitBGNBDCDNOW reproduces the BG/NBD estimates of Fader, Hardie and Lee
// (2005) on the CDNOW sample: each parameter within 0.1 % and the
// log-likelihood within 0.05 of the published figures.
func TestFitBGNBDCDNOW(t *testing.T) {
	cs := readCDNOW(t, "cdnow_customers_summary.csv")
	fit, err := FitBGNBD(context.Background(), cs, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bg/nbd: %+v", fit)
	want := publishedBGNBD
	got := fit.Params
	for _, p := range []struct {
		name      string
		got, want float64
	}{{"r", got.R, want.R}, {"alpha", got.Alpha, want.Alpha}, {"a", got.A, want.A}, {"b", got.B, want.B}} {
		if relErr(p.got, p.want) > 0.001 {
			t.Errorf("%s = %.6f, want %.4f within 0.1 %%", p.name, p.got, p.want)
		}
	}
	if math.Abs(fit.LogLik-(-9582.43)) > 0.05 {
		t.Errorf("log-likelihood %.4f, want -9582.43", fit.LogLik)
	}
	if !fit.Converged || fit.Customers != 2357 || fit.Reason != "" || fit.GradientNorm > 1e-8 {
		t.Errorf("fit status: %+v", fit)
	}
}

// TestFitGammaGammaCDNOW reproduces the Gamma-Gamma estimates of Fader and
// Hardie (2013) on the 946 CDNOW repeat customers: each parameter within
// 0.5 % and the log-likelihood within 0.05 of the published figures.
func TestFitGammaGammaCDNOW(t *testing.T) {
	cs := readCDNOW(t, "cdnow_customers_summary_with_transactions.csv")
	fit, err := FitGammaGamma(context.Background(), cs, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gamma-gamma: %+v", fit)
	want := publishedGammaGamma
	got := fit.Params
	for _, p := range []struct {
		name      string
		got, want float64
	}{{"p", got.P, want.P}, {"q", got.Q, want.Q}, {"gamma", got.Gamma, want.Gamma}} {
		if relErr(p.got, p.want) > 0.005 {
			t.Errorf("%s = %.6f, want %.2f within 0.5 %%", p.name, p.got, p.want)
		}
	}
	if math.Abs(fit.LogLik-(-4055.92)) > 0.05 {
		t.Errorf("log-likelihood %.4f, want -4055.92", fit.LogLik)
	}
	if !fit.Converged || fit.Customers != 946 || fit.Excluded != 0 {
		t.Errorf("fit status: %+v", fit)
	}
}

// TestFitIsDeterministic fits data spread over several chunks with different
// numbers of workers: the parameters must be bit-identical.
func TestFitIsDeterministic(t *testing.T) {
	cs := simulated(40_000, 11)
	ctx := context.Background()
	bg1, err := FitBGNBD(ctx, cs, FitOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	gg1, err := FitGammaGamma(ctx, cs, FitOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n := numChunks(len(newBGData(cs, 1).rows)); n < 3 {
		t.Fatalf("only %d chunks: the test needs several", n)
	}
	for _, workers := range []int{2, 3, 8} {
		bg, err1 := FitBGNBD(ctx, cs, FitOptions{Workers: workers})
		gg, err2 := FitGammaGamma(ctx, cs, FitOptions{Workers: workers})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if bg != bg1 || gg != gg1 {
			t.Errorf("workers %d: %+v %+v, with one worker %+v %+v", workers, bg, gg, bg1, gg1)
		}
	}
}

// TestGradients compares the analytic gradients with central differences.
func TestGradients(t *testing.T) {
	cs := readCDNOW(t, "cdnow_customers_summary_with_transactions.csv")
	bg := newBGData(cs, 2)
	checkGradient(t, "bg/nbd", bg.negLogLik, []float64{-1.2, 1.1, -0.3, 0.7})
	checkGradient(t, "bg/nbd far", bg.negLogLik, []float64{1, -2, 2, -1})
	gg := newGGData(cs, 2)
	checkGradient(t, "gamma-gamma", gg.negLogLik, []float64{1.5, 1.2, 2.9})
	checkGradient(t, "gamma-gamma far", gg.negLogLik, []float64{-1, 0.1, 0.5})
}

func checkGradient(t *testing.T, name string, f negLogLik, theta []float64) {
	t.Helper()
	grad := make([]float64, len(theta))
	f(theta, grad)
	scratch := make([]float64, len(theta))
	for i := range theta {
		const h = 1e-6
		up, down := append([]float64(nil), theta...), append([]float64(nil), theta...)
		up[i] += h
		down[i] -= h
		numeric := (f(up, scratch) - f(down, scratch)) / (2 * h)
		if math.Abs(numeric-grad[i]) > 1e-7*math.Max(1, math.Abs(numeric)) {
			t.Errorf("%s: ∂/∂θ%d analytic %.10g, numeric %.10g", name, i, grad[i], numeric)
		}
	}
}
