package btyd

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// publishedBGNBD are the CDNOW estimates of Fader, Hardie and Lee (2005).
var publishedBGNBD = BGNBD{R: 0.2426, Alpha: 4.4135, A: 0.7929, B: 2.4258}

// TestBGNBDPublishedFigures checks the figures published with the CDNOW
// parameters, to the 4 decimals they are given with.
func TestBGNBDPublishedFigures(t *testing.T) {
	m := publishedBGNBD
	if got := m.PAlive(2, 30.43, 38.86); math.Abs(got-0.7266) > 5e-5 {
		t.Errorf("PAlive(2, 30.43, 38.86) = %.6f, want 0.7266", got)
	}
	if got := m.PAlive(0, 0, 38.86); got != 1 {
		t.Errorf("PAlive(0, 0, 38.86) = %v, want 1", got)
	}
	cases := []struct{ t, x, tx, T, want float64 }{
		{39, 2, 30.43, 38.86, 1.2259},
		{39, 0, 0, 38.86, 0.1948},
		{1, 26, 30.86, 31.00, 0.7106},
	}
	for _, c := range cases {
		got, err := m.ConditionalExpected(c.t, c.x, c.tx, c.T)
		if err != nil || math.Abs(got-c.want) > 5e-5 {
			t.Errorf("ConditionalExpected(%v, %v, %v, %v) = %.6f, %v; want %v", c.t, c.x, c.tx, c.T, got, err, c.want)
		}
	}
}

func TestPAliveProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		m := BGNBD{R: logUniform(rng, 0.01, 50), Alpha: logUniform(rng, 0.01, 500), A: logUniform(rng, 0.01, 50), B: logUniform(rng, 0.01, 50)}
		x := math.Floor(logUniform(rng, 1, 1000))
		T := logUniform(rng, 0.1, 5000)
		prev := 1.0
		// Recency falling at fixed age: P(alive) must not rise.
		for _, frac := range []float64{1, 0.9, 0.5, 0.1, 0.01, 0} {
			p := m.PAlive(x, frac*T, T)
			if !(p >= 0 && p <= 1) || p > prev {
				t.Fatalf("%+v: PAlive(%v, %v, %v) = %v after %v", m, x, frac*T, T, p, prev)
			}
			prev = p
		}
		// Age growing at fixed recency: P(alive) must not rise.
		prev = 1.0
		for _, k := range []float64{1, 1.5, 3, 10, 1000} {
			p := m.PAlive(x, T/2, T/2*k)
			if !(p >= 0 && p <= 1) || p > prev {
				t.Fatalf("%+v: PAlive(%v, %v, %v) = %v after %v", m, x, T/2, T/2*k, p, prev)
			}
			prev = p
		}
	}
	// A frequent buyer silent for a long time is numerically dead, not NaN.
	if p := publishedBGNBD.PAlive(300, 1, 5000); p != 0 {
		t.Errorf("PAlive(300, 1, 5000) = %v, want 0", p)
	}
}

func TestPAlivePanicsOnInvalidArguments(t *testing.T) {
	for _, f := range []func(){
		func() { BGNBD{R: -1, Alpha: 1, A: 1, B: 1}.PAlive(1, 1, 2) },
		func() { publishedBGNBD.PAlive(1, 3, 2) },
		func() { publishedBGNBD.PAlive(math.NaN(), 1, 2) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		}()
	}
}

func TestConditionalExpectedGrowsWithHorizon(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		m := BGNBD{R: logUniform(rng, 0.05, 5), Alpha: logUniform(rng, 0.5, 50), A: logUniform(rng, 0.1, 5), B: logUniform(rng, 0.1, 10)}
		x := math.Floor(logUniform(rng, 1, 60)) - 1
		T := logUniform(rng, 1, 100)
		tx := T * rng.Float64()
		prev := 0.0
		for _, h := range []float64{0, 0.5, 1, 4, 13, 52, 104, 520} {
			got, err := m.ConditionalExpected(h, x, tx, T)
			bound := m.PAlive(x, tx, T) * (m.R + x) * h / (m.Alpha + T)
			if err != nil || got < prev || got > bound*(1+1e-9) {
				t.Fatalf("%+v: ConditionalExpected(%v, %v, %v, %v) = %v, %v; previous %v, bound %v", m, h, x, tx, T, got, err, prev, bound)
			}
			prev = got
		}
	}
}

// TestExpectedAgainstQuadrature checks the closed form and its a ≈ 1 series
// against a direct numerical integration of E[(1 - (1+pt/α)^-r)/p] over
// p ~ Beta(a, b), including a < 1, a = 1 exactly and a+b = 1.
func TestExpectedAgainstQuadrature(t *testing.T) {
	for _, r := range []float64{0.24, 2.3} {
		for _, alpha := range []float64{4.4, 43} {
			for _, a := range []float64{0.3, 0.6, 0.79, 0.995, 1, 1.00001, 1.3, 3} {
				for _, b := range []float64{0.4, 2.4} {
					for _, h := range []float64{1, 39, 520} {
						m := BGNBD{R: r, Alpha: alpha, A: a, B: b}
						got, err := m.Expected(h)
						want := expectedByQuadrature(h, r, alpha, a, b)
						if err != nil || relErr(got, want) > 1e-9 {
							t.Errorf("%+v: Expected(%v) = %.12g, %v; quadrature %.12g", m, h, got, err, want)
						}
					}
				}
			}
		}
	}
}

// TestExpectedPathsAgree checks the closed form against the series that
// divides out 1/(a-1), where both apply.
func TestExpectedPathsAgree(t *testing.T) {
	for _, a := range []float64{0.2, 0.79, 0.98, 1.02, 1.5, 4} {
		for _, x := range []float64{0, 1, 7, 40} {
			for _, h := range []float64{0.5, 13, 52, 300} {
				r, alpha, b := 0.24+x, 43.3, 2.43+x
				closed, err1 := expectedClosed(h, r, alpha, a, b)
				series, err2 := expectedSeries(h, r, alpha, a, b)
				if err1 != nil || err2 != nil || relErr(closed, series) > 1e-10 {
					t.Errorf("a=%v x=%v t=%v: closed %.15g (%v), series %.15g (%v)", a, x, h, closed, err1, series, err2)
				}
			}
		}
	}
}

// TestExpectedMatchesSimulation checks E[X(T)] for a < 1, where the paper's
// derivation does not apply, against the mean of simulated customers.
func TestExpectedMatchesSimulation(t *testing.T) {
	m := BGNBD{R: 0.5, Alpha: 4, A: 0.6, B: 2.5}
	cs := SimulateBGNBD(rand.New(rand.NewPCG(5, 6)), m, 200_000, 52)
	var sum, sumSq float64
	for _, c := range cs {
		sum += c.X
		sumSq += c.X * c.X
	}
	n := float64(len(cs))
	mean := sum / n
	se := math.Sqrt((sumSq/n - mean*mean) / n)
	want, err := m.Expected(52)
	if err != nil || math.Abs(mean-want) > 4*se {
		t.Errorf("simulated mean %.4f ± %.4f, Expected(52) = %.4f, %v", mean, se, want, err)
	}
}

func TestBGNBDMethodErrors(t *testing.T) {
	bad := BGNBD{R: 1, Alpha: 0, A: 1, B: 1}
	if _, err := bad.Expected(1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Expected with alpha 0: %v", err)
	}
	if _, err := publishedBGNBD.Expected(-1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Expected(-1): %v", err)
	}
	if _, err := publishedBGNBD.ConditionalExpected(1, 1.5, 1, 2); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("fractional frequency: %v", err)
	}
	if _, err := publishedBGNBD.ConditionalExpected(math.Inf(1), 1, 1, 2); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("infinite horizon: %v", err)
	}
	if v, err := publishedBGNBD.ConditionalExpected(0, 3, 1, 2); v != 0 || err != nil {
		t.Errorf("zero horizon: %v, %v", v, err)
	}
}

func logUniform(rng *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo)))
}
