package gen_test

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/journeydata/journey/internal/gen"
	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/transforms/btyd"
)

// TestParameterRecovery generates 20,000 customers with the default
// parameters and dirt, runs the pipeline as of the truth's date and checks
// that the BG/NBD and Gamma-Gamma fits in the manifest recover the
// generating parameters.
//
// Tolerance: maximum-likelihood estimates are asymptotically normal around
// the truth, with the standard errors of the observed information. The
// test takes those from a refit (btyd, which reports them) of the
// published summaries (frequency, recency, age, mean value; rounded to six
// digits by the reader, which moves the standard errors, not the
// estimates, by nothing that matters) and allows 4 of them: a 6e-5 chance
// per parameter of failing for a fresh seed. At this size the standard
// errors are 1.5–4 % of the parameters (checked below, so the test has
// teeth). The fit sees the snapshot's purchase days: every purchase lies on
// or before the as-of date, so recency and age are those of the generating
// process; the few orders of unknown customers (dirt) add one-time buyers.
func TestParameterRecovery(t *testing.T) {
	dir, s := write(t, gen.Options{Customers: 20_000, Seed: 2024, Dirt: gen.DefaultDirt})
	cfg, err := pipeline.Load(filepath.Join(dir, gen.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	// The models see only orders (and the CRM, for identities): leave the
	// touchpoints and surveys out to keep the test fast.
	cfg.Sources = slices.DeleteFunc(cfg.Sources, func(s sources.Spec) bool {
		return s.Entity != "customers" && s.Entity != "orders"
	})
	out := filepath.Join(t.TempDir(), "out")
	m, err := testkit.RunConfig(cfg, s.Truth.AsOf, out, t.TempDir())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	bg, gg := refit(t, testkit.Table(out, "customer_metrics"))
	truth := s.Truth
	checks := []struct {
		name, model, field string
		truth, se          float64
	}{
		{"r", "bgnbd", "R", truth.BGNBD.R, bg.StdErr.R},
		{"alpha", "bgnbd", "Alpha", truth.BGNBD.Alpha, bg.StdErr.Alpha},
		{"a", "bgnbd", "A", truth.BGNBD.A, bg.StdErr.A},
		{"b", "bgnbd", "B", truth.BGNBD.B, bg.StdErr.B},
		{"p", "gamma_gamma", "P", truth.GammaGamma.P, gg.StdErr.P},
		{"q", "gamma_gamma", "Q", truth.GammaGamma.Q, gg.StdErr.Q},
		{"gamma", "gamma_gamma", "Gamma", truth.GammaGamma.Gamma, gg.StdErr.Gamma},
	}
	for _, c := range checks {
		got := manifestParam(t, m.Models[c.model], c.field)
		t.Logf("%-5s fitted %8.4f ± %.4f, truth %g (%+.1f standard errors)", c.name, got, c.se, c.truth, (got-c.truth)/c.se)
		if !(c.se > 0 && c.se < 0.1*c.truth) || math.Abs(got-c.truth) > 4*c.se {
			t.Errorf("%s = %.4f ± %.4f, true value %g", c.name, got, c.se, c.truth)
		}
	}
	var unknown float64
	for _, src := range truth.Sources {
		if src.Entity == "orders" {
			unknown += float64(src.Dirt["unknown_customer"])
		}
	}
	customers, buyers := manifestParam(t, m.Models["bgnbd"], "Customers"), float64(truth.Counts.Buyers)
	if customers < buyers || customers > buyers+unknown {
		t.Errorf("BG/NBD fitted on %g customers; %g buyers and %g orders of unknown customers were generated", customers, buyers, unknown)
	}
}

// refit fits both models to the published per-customer summaries, for
// their standard errors.
func refit(t *testing.T, metrics string) (btyd.BGNBDFit, btyd.GammaGammaFit) {
	t.Helper()
	rows := testkit.Rows(t, `SELECT frequency, recency_weeks, t_weeks, monetary_value FROM read_parquet($1)
		WHERE frequency IS NOT NULL ORDER BY customer_id`, metrics)
	cs := make([]btyd.Customer, len(rows))
	for i, r := range rows {
		v := make([]float64, 4)
		for j := range v {
			var err error
			if v[j], err = strconv.ParseFloat(r[j], 64); err != nil {
				t.Fatalf("summary row %v: %v", r, err)
			}
		}
		cs[i] = btyd.Customer{X: v[0], TX: v[1], T: v[2], M: v[3]}
	}
	bg, err := btyd.FitBGNBD(context.Background(), cs, btyd.FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gg, err := btyd.FitGammaGamma(context.Background(), cs, btyd.FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return bg, gg
}

func manifestParam(t *testing.T, report any, field string) float64 {
	t.Helper()
	v, ok := testkit.Field(report, field)
	if !ok {
		t.Fatalf("manifest model %T has no field %s", report, field)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
