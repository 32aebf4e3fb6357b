package btyd

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestFitNoCustomers(t *testing.T) {
	ctx := context.Background()
	bg, err := FitBGNBD(ctx, nil, FitOptions{})
	if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "no customers") || bg.Converged || bg.Reason != "no customers" {
		t.Errorf("bg/nbd: %+v, %v", bg, err)
	}
	gg, err := FitGammaGamma(ctx, []Customer{}, FitOptions{})
	if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "no customers") || gg.Converged {
		t.Errorf("gamma-gamma: %+v, %v", gg, err)
	}
}

func TestFitNoRepeatCustomers(t *testing.T) {
	cs := []Customer{{T: 10}, {T: 20}, {T: 0}}
	bg, err := FitBGNBD(context.Background(), cs, FitOptions{})
	if !errors.Is(err, ErrNoData) || bg.Converged || !strings.HasPrefix(bg.Reason, "no repeat customers") || bg.Customers != 3 {
		t.Errorf("bg/nbd: %+v, %v", bg, err)
	}
	cs = append(cs, Customer{X: 2, TX: 5, T: 10, M: 0}, Customer{X: 1, TX: 5, T: 10, M: -4})
	gg, err := FitGammaGamma(context.Background(), cs, FitOptions{})
	if !errors.Is(err, ErrNoData) || gg.Converged || gg.Reason != "no repeat customers with positive value" || gg.Excluded != 2 {
		t.Errorf("gamma-gamma: %+v, %v", gg, err)
	}
}

// TestFitSingleCustomer: one customer cannot identify the parameters. The
// BG/NBD likelihood's supremum lies at infinity, where its gradient vanishes:
// the curvature check must catch it. Both fits must say they did not
// converge and still return finite parameters.
func TestFitSingleCustomer(t *testing.T) {
	cs := []Customer{{X: 2, TX: 30.43, T: 38.86, M: 22.35}}
	bg, err := FitBGNBD(context.Background(), cs, FitOptions{})
	t.Logf("bg/nbd: %+v", bg)
	checkNotConverged(t, err, bg.Converged, bg.Reason, bg.Params.Validate(), bg.LogLik)
	gg, err := FitGammaGamma(context.Background(), cs, FitOptions{})
	t.Logf("gamma-gamma: %+v", gg)
	checkNotConverged(t, err, gg.Converged, gg.Reason, gg.Params.Validate(), gg.LogLik)
}

func checkNotConverged(t *testing.T, err error, converged bool, reason string, paramsErr error, logLik float64) {
	t.Helper()
	if !errors.Is(err, ErrNotConverged) || converged || reason == "" {
		t.Errorf("error %v, converged %v, reason %q: want a reported non-convergence", err, converged, reason)
	}
	if paramsErr != nil || !isFinite(logLik) {
		t.Errorf("parameters not finite: %v, log-likelihood %v", paramsErr, logLik)
	}
}

func TestFitNotConverged(t *testing.T) {
	cs := readCDNOW(t, "cdnow_customers_summary_with_transactions.csv")
	opt := FitOptions{MaxIterations: 2}
	bg, err := FitBGNBD(context.Background(), cs, opt)
	checkNotConverged(t, err, bg.Converged, bg.Reason, bg.Params.Validate(), bg.LogLik)
	gg, err := FitGammaGamma(context.Background(), cs, opt)
	checkNotConverged(t, err, gg.Converged, gg.Reason, gg.Params.Validate(), gg.LogLik)
	t.Logf("reason: %s", bg.Reason)
}

func TestFitInvalidInput(t *testing.T) {
	ctx := context.Background()
	cs := []Customer{{X: 1, TX: 1, T: 2}, {X: 1, TX: 3, T: 2}}
	if _, err := FitBGNBD(ctx, cs, FitOptions{}); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "customer 1:") {
		t.Errorf("recency beyond age: %v", err)
	}
	cs[1] = Customer{X: 1, TX: 1, T: 2, M: math.NaN()}
	if _, err := FitGammaGamma(ctx, cs, FitOptions{}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("NaN value: %v", err)
	}
	if _, err := FitBGNBD(ctx, cs[:1], FitOptions{GradientTolerance: -1}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("negative tolerance: %v", err)
	}
}

func TestFitCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cs := readCDNOW(t, "cdnow_customers_summary_with_transactions.csv")
	if _, err := FitBGNBD(ctx, cs, FitOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("bg/nbd: %v", err)
	}
	if _, err := FitGammaGamma(ctx, cs, FitOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("gamma-gamma: %v", err)
	}
}
