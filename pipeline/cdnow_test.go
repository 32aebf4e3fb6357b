package pipeline_test

import (
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
)

// TestCDNOW runs the CDNOW sample through the ordinary orders mapping and
// checks the published figures of Fader, Hardie & Lee (2005) and Fader &
// Hardie (2013), as listed in shared/data/cdnow/README.md.
func TestCDNOW(t *testing.T) {
	cfg, err := pipeline.Load("../testdata/cdnow/journey.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	m, err := testkit.RunConfig(cfg, "1997-09-30", out, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	metrics := testkit.Table(out, "customer_metrics")
	counts := testkit.Rows(t, `SELECT count(*), count(*) FILTER (WHERE frequency > 0), sum(frequency) FROM read_parquet($1)`, metrics)
	if want := []string{"2357", "946", "2457"}; !equal(counts[0], want) {
		t.Errorf("customers, repeaters, repeat days = %v, want %v", counts[0], want)
	}
	one := testkit.Rows(t, `SELECT frequency, round(recency_weeks, 2), round(t_weeks, 2), round(monetary_value, 2)
		FROM read_parquet($1) WHERE customer_id = '0001'`, metrics)
	if want := []string{"2", "30.43", "38.86", "22.35"}; !equal(one[0], want) {
		t.Errorf("customer 1 summary = %v, want %v", one[0], want)
	}

	bg := m.Models["bgnbd"]
	gg := m.Models["gamma_gamma"]
	checkParam(t, "r", field(t, bg, "R"), 0.2426, 0.001)
	checkParam(t, "alpha", field(t, bg, "Alpha"), 4.4135, 0.001)
	checkParam(t, "a", field(t, bg, "A"), 0.7929, 0.001)
	checkParam(t, "b", field(t, bg, "B"), 2.4258, 0.001)
	if ll := field(t, bg, "LogLik"); math.Abs(ll-(-9582.43)) > 0.05 {
		t.Errorf("BG/NBD log-likelihood %.4f, want -9582.43 ± 0.05", ll)
	}
	checkParam(t, "p", field(t, gg, "P"), 6.25, 0.005)
	checkParam(t, "q", field(t, gg, "Q"), 3.74, 0.005)
	checkParam(t, "gamma", field(t, gg, "Gamma"), 15.44, 0.005)

	// Scores of customer 1 (x = 2, t_x = 30.43, T = 38.86, m = 22.35) with the
	// fitted parameters: P(alive) 0.7266 to 3 decimals; expected order value
	// 24.66 and, for one-time buyers, the population mean 35.22, both
	// published for the rounded parameters (6.25, 3.74, 15.44), so within 0.5 %.
	s := testkit.Rows(t, `SELECT round(p_alive, 3), model_note IS NULL FROM read_parquet($1) WHERE customer_id = '0001'`, metrics)
	if want := []string{"0.727", "true"}; !equal(s[0], want) {
		t.Errorf("customer 1 P(alive), no note = %v, want %v", s[0], want)
	}
	aov := func(where string) float64 {
		v := testkit.Value(t, `SELECT DISTINCT expected_order_value FROM read_parquet($1) WHERE `+where, metrics)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	checkParam(t, "customer 1 expected order value", aov("customer_id = '0001'"), 24.66, 0.005)
	checkParam(t, "one-time buyers' expected order value", aov("frequency = 0"), 35.22, 0.005)
}

func field(t *testing.T, report any, name string) float64 {
	t.Helper()
	v, ok := testkit.Field(report, name)
	if !ok {
		t.Fatalf("manifest model %T has no field %s", report, name)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func checkParam(t *testing.T, name string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want) > rel*want {
		t.Errorf("%s = %.5f, want %.4f within %.1f %%", name, got, want, rel*100)
	}
}
