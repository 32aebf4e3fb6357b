package btyd

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestCLVIsTheDiscountedMonthlySum(t *testing.T) {
	bg, gg := publishedBGNBD, publishedGammaGamma
	c := Customer{X: 2, TX: 30.43, T: 38.86, M: 22.35}
	aov, err := gg.ExpectedAOV(c.X, c.M)
	if err != nil {
		t.Fatal(err)
	}
	want, prev := 0.0, 0.0
	for i := 1; i <= 12; i++ {
		e, err := bg.ConditionalExpected(float64(i)*52/12, c.X, c.TX, c.T)
		if err != nil {
			t.Fatal(err)
		}
		want += (e - prev) * aov / math.Pow(1.01, float64(i))
		prev = e
	}
	got, err := CLV(bg, gg, c, 12, 0.01, WeeksPerMonth)
	if err != nil || relErr(got, want) > 1e-14 {
		t.Errorf("CLV = %v, %v; want %v", got, err, want)
	}
	if def, err := CLV(bg, gg, c, 12, 0.01, 0); def != got || err != nil {
		t.Errorf("CLV with the default month = %v, %v; want %v", def, err, got)
	}
	t.Logf("customer 1: P(alive) %.4f, E[AOV] %.2f, 12-month CLV %.2f", bg.PAlive(c.X, c.TX, c.T), aov, got)
}

func TestCLVProperties(t *testing.T) {
	bg, gg := publishedBGNBD, publishedGammaGamma
	c := Customer{X: 5, TX: 20, T: 38, M: 40}
	prev := 0.0
	for _, months := range []int{0, 1, 6, 12, 60} {
		v, err := CLV(bg, gg, c, months, 0.01, WeeksPerMonth)
		if err != nil || v < prev || (months == 0 && v != 0) {
			t.Errorf("CLV over %d months = %v, %v; previous %v", months, v, err, prev)
		}
		prev = v
	}
	undiscounted, _ := CLV(bg, gg, c, 12, 0, WeeksPerMonth)
	discounted, _ := CLV(bg, gg, c, 12, 0.05, WeeksPerMonth)
	if !(discounted < undiscounted) {
		t.Errorf("discounting does not lower the CLV: %v >= %v", discounted, undiscounted)
	}
}

func TestCLVZeroWhenDead(t *testing.T) {
	c := Customer{X: 300, TX: 1, T: 5000, M: -3}
	if p := publishedBGNBD.PAlive(c.X, c.TX, c.T); p != 0 {
		t.Fatalf("P(alive) = %v, the test needs 0", p)
	}
	// The expected order value would be undefined (q < 1 and no usable
	// value), but a dead customer's CLV does not need it.
	gg := GammaGamma{P: 1, Q: 0.5, Gamma: 10}
	if v, err := CLV(publishedBGNBD, gg, c, 12, 0.01, WeeksPerMonth); v != 0 || err != nil {
		t.Errorf("CLV of a dead customer = %v, %v", v, err)
	}
}

func TestCLVErrors(t *testing.T) {
	bg, gg := publishedBGNBD, publishedGammaGamma
	c := Customer{X: 2, TX: 30.43, T: 38.86, M: 22.35}
	cases := []struct {
		name     string
		months   int
		discount float64
		wpm      float64
		c        Customer
		gg       GammaGamma
		want     error
	}{
		{"negative months", -1, 0.01, 0, c, gg, ErrInvalidInput},
		{"discount -1", 12, -1, 0, c, gg, ErrInvalidInput},
		{"nan discount", 12, math.NaN(), 0, c, gg, ErrInvalidInput},
		{"negative month", 12, 0.01, -4, c, gg, ErrInvalidInput},
		{"invalid customer", 12, 0.01, 0, Customer{X: 2, TX: 50, T: 38}, gg, ErrInvalidInput},
		{"invalid model", 12, 0.01, 0, c, GammaGamma{}, ErrInvalidInput},
		{"infinite value", 12, 0.01, 0, Customer{T: 38}, GammaGamma{P: 1, Q: 0.5, Gamma: 1}, ErrUndefined},
	}
	for _, tc := range cases {
		v, err := CLV(bg, tc.gg, tc.c, tc.months, tc.discount, tc.wpm)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, %v; want %v", tc.name, v, err, tc.want)
		}
	}
}

// TestScoreCustomersMatchesSingleCalls scores the CDNOW customers and
// compares every figure with the single-customer functions.
func TestScoreCustomersMatchesSingleCalls(t *testing.T) {
	bg, gg := publishedBGNBD, publishedGammaGamma
	cs := readCDNOW(t, "cdnow_customers_summary_with_transactions.csv")
	opt := DefaultScoreOptions()
	scores, err := ScoreCustomers(context.Background(), bg, gg, cs, opt)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cs {
		want := Score{PAlive: bg.PAlive(c.X, c.TX, c.T)}
		want.ExpectedPurchases, _ = bg.ConditionalExpected(opt.Horizon, c.X, c.TX, c.T)
		want.ExpectedAOV, _ = gg.ExpectedAOV(c.X, c.M)
		want.CLV, _ = CLV(bg, gg, c, opt.Months, opt.MonthlyDiscount, opt.WeeksPerMonth)
		if scores[i] != want {
			t.Fatalf("customer %d: %+v, want %+v", i, scores[i], want)
		}
	}
}

func TestScoreCustomersErrors(t *testing.T) {
	cs := simulated(10_000, 17)
	cs[9000].TX = cs[9000].T + 1
	cs[5000].X = -1
	_, err := ScoreCustomers(context.Background(), publishedBGNBD, publishedGammaGamma, cs, DefaultScoreOptions())
	if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "customer 5000:") {
		t.Errorf("got %v, want the error of customer 5000", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ScoreCustomers(ctx, publishedBGNBD, publishedGammaGamma, cs[:10], DefaultScoreOptions()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	opt := DefaultScoreOptions()
	opt.Horizon = -1
	if _, err := ScoreCustomers(context.Background(), publishedBGNBD, publishedGammaGamma, cs, opt); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("negative horizon: %v", err)
	}
}
