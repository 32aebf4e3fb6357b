package btyd

import (
	"context"
	"errors"
	"math"
	"testing"
)

// publishedGammaGamma are the CDNOW estimates of Fader and Hardie (2013).
var publishedGammaGamma = GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}

func TestExpectedAOVPublishedFigures(t *testing.T) {
	m := publishedGammaGamma
	cases := []struct{ x, mean, want float64 }{
		{2, 22.35, 24.66},
		{0, 0, 35.22},
		{0, 99, 35.22}, // the mean value of a customer without repeats is ignored
		{3, -5, 35.22}, // so is a non-positive one: no usable evidence
		{3, 0, 35.22},
	}
	for _, c := range cases {
		got, err := m.ExpectedAOV(c.x, c.mean)
		if err != nil || math.Abs(got-c.want) > 0.005 {
			t.Errorf("ExpectedAOV(%v, %v) = %.4f, %v; want %v", c.x, c.mean, got, err, c.want)
		}
	}
}

func TestExpectedAOVInfiniteMean(t *testing.T) {
	m := GammaGamma{P: 2, Q: 0.8, Gamma: 10}
	if v, err := m.ExpectedAOV(0, 0); !errors.Is(err, ErrUndefined) {
		t.Errorf("population mean with q <= 1: %v, %v", v, err)
	}
	// A repeat customer's posterior mean is finite as soon as p x + q > 1.
	got, err := m.ExpectedAOV(1, 30)
	if want := 2 * (10 + 30) / (2 + 0.8 - 1); err != nil || relErr(got, want) > 1e-15 {
		t.Errorf("ExpectedAOV(1, 30) = %v, %v; want %v", got, err, want)
	}
	if _, err := (GammaGamma{P: 0.1, Q: 0.5, Gamma: 1}).ExpectedAOV(2, 30); !errors.Is(err, ErrUndefined) {
		t.Errorf("p x + q - 1 < 0: %v", err)
	}
	for _, x := range []float64{-1, 1.5, math.NaN()} {
		if _, err := publishedGammaGamma.ExpectedAOV(x, 10); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ExpectedAOV(%v, 10): %v", x, err)
		}
	}
	if _, err := (GammaGamma{P: 1, Q: 2}).ExpectedAOV(1, 10); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("gamma 0: %v", err)
	}
}

func TestFitGammaGammaExcludesNonPositiveValues(t *testing.T) {
	cs := simulated(5000, 13)
	cs = append(cs, Customer{X: 2, TX: 3, T: 10, M: 0}, Customer{X: 1, TX: 3, T: 10, M: -12.5})
	fit, err := FitGammaGamma(context.Background(), cs, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	repeaters := 0
	for _, c := range cs {
		if c.X > 0 && c.M > 0 {
			repeaters++
		}
	}
	if fit.Excluded != 2 || fit.Customers != repeaters {
		t.Errorf("customers %d excluded %d, want %d and 2", fit.Customers, fit.Excluded, repeaters)
	}
}
