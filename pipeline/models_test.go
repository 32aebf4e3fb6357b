package pipeline_test

import (
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
)

// TestModelsWithoutRepeatCustomers: when no customer has bought twice, the
// models cannot be fitted. The snapshot still publishes, the manifest says
// which model failed and why, and the model columns are NULL with a note.
func TestModelsWithoutRepeatCustomers(t *testing.T) {
	c := tinyCase("a,,s,2024-01-01\nb,,s,2024-01-01\n",
		"o1,a,2024-03-01,10,delivered\no2,b,2024-04-01,20,delivered\n", "", "")
	out, m := testkit.Run(t, c, "2024-06-30")
	for _, name := range []string{"bgnbd", "gamma_gamma"} {
		conv, _ := testkit.Field(m.Models[name], "Converged")
		reason, _ := testkit.Field(m.Models[name], "Reason")
		if conv != "false" || !strings.Contains(reason, "repeat") {
			t.Errorf("%s: converged %s, reason %q; want a failed fit explained by the missing repeat customers", name, conv, reason)
		}
	}
	got := testkit.Rows(t, `SELECT customer_id, p_alive, clv_12m, model_note LIKE 'BG/NBD not fitted:%', churn_risk IS NOT NULL
		FROM read_parquet($1) ORDER BY customer_id`, testkit.Table(out, "customer_metrics"))
	want := [][]string{{"a", "NULL", "NULL", "true", "true"}, {"b", "NULL", "NULL", "true", "true"}}
	if !equalRows(got, want) {
		t.Errorf("got %v, want %v (churn risk still computed from the other parts)", got, want)
	}
}

// TestNoNaNInOutputs: no published number is NaN or infinite, on the demo
// snapshots and on the CDNOW sample.
func TestNoNaNInOutputs(t *testing.T) {
	for _, tc := range []struct{ config, asOf string }{
		{"../testdata/demo/journey.yaml", "2024-06-30"},
		{"../testdata/demo/journey.yaml", "2025-12-31"},
		{"../testdata/cdnow/journey.yaml", "1997-09-30"},
	} {
		out := runConfigFile(t, tc.config, tc.asOf)
		for _, table := range []string{"customer_metrics", "customer_journey", "kpi_daily", "cohort_retention", "journey_events"} {
			glob := testkit.Table(out, table)
			cols := testkit.Rows(t, `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($1))
				WHERE column_type IN ('DOUBLE', 'FLOAT')`, glob)
			for _, c := range cols {
				n := testkit.Value(t, `SELECT count(*) FROM read_parquet($1) WHERE isnan("`+c[0]+`") OR isinf("`+c[0]+`")`, glob)
				if n != "0" {
					t.Errorf("%s %s: %s.%s has %s NaN or infinite values", tc.config, tc.asOf, table, c[0], n)
				}
			}
		}
	}
}
