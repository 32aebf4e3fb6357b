package gen_test

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/journeydata/journey/internal/gen"
	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sources"
)

// TestParameterRecovery generates 20,000 customers with the default
// parameters and dirt, runs the pipeline as of the truth's date and checks
// that the BG/NBD and Gamma-Gamma fits in the manifest recover the
// generating parameters.
//
// Tolerance: maximum-likelihood estimates are asymptotically normal around
// the truth, with the standard errors of the observed information. The
// test takes those from a refit (btyd, which reports them) of the
// published summaries (frequency, recency, age, mean value; gen.Recovery)
// and allows 4 of them: a 6e-5 chance
// per parameter of failing for a fresh seed. At this size the standard
// errors are 1–6 % of the parameters (checked below, so the test has
// teeth). The fit sees the snapshot's purchase days: every purchase lies on
// or before the as-of date, so recency and age are those of the generating
// process; the few orders of unknown customers (dirt) add one-time buyers.
// The refit without them (gen.RecoveryOfKnown) is held to the same bound.
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
	rows, customers, err := gen.Recovery(context.Background(), &s.Truth, m.Models, testkit.Table(out, "customer_metrics"))
	if err != nil {
		t.Fatal(err)
	}
	known, err := gen.RecoveryOfKnown(context.Background(), &s.Truth, testkit.Table(out, "customer_metrics"), testkit.Table(out, "customer_journey"))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range append(rows, known...) {
		what := "run's fit"
		if i >= len(rows) {
			what = "refit on CRM customers"
		}
		t.Logf("%s: %-5s fitted %8.4f ± %.4f, truth %g (%+.1f standard errors)", what, r.Name, r.Fitted, r.StdErr, r.Truth, r.Z)
		if !(r.StdErr > 0 && r.StdErr < 0.1*r.Truth) || math.Abs(r.Fitted-r.Truth) > 4*r.StdErr {
			t.Errorf("%s: %s = %.4f ± %.4f, true value %g", what, r.Name, r.Fitted, r.StdErr, r.Truth)
		}
	}
	if known[0].Fitted == rows[0].Fitted {
		t.Error("the refit on CRM customers left no customer out")
	}
	truth := s.Truth
	var unknown float64
	for _, src := range truth.Sources {
		if src.Entity == "orders" {
			unknown += float64(src.Dirt["unknown_customer"])
		}
	}
	buyers := float64(truth.Counts.Buyers)
	if customers := float64(customers); customers < buyers || customers > buyers+unknown {
		t.Errorf("BG/NBD fitted on %g customers; %g buyers and %g orders of unknown customers were generated", customers, buyers, unknown)
	}
}
