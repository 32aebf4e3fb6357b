package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
)

// TestDashboardQueries publishes three monthly demo snapshots into one
// output root and runs the dashboard queries of the README
// (testdata/bi/*.sql) over it with DuckDB's read_parquet and Hive
// partitioning, as a BI tool would.
func TestDashboardQueries(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, d := range []string{"2025-04-30", "2025-05-31", "2025-06-30"} {
		cfg, err := pipeline.Load("../testdata/demo/journey.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := testkit.RunConfig(cfg, d, out, t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	queries, _ := filepath.Glob("../testdata/bi/*.sql")
	results := map[string][][]string{}
	for _, q := range queries {
		text, err := os.ReadFile(q)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), strings.TrimSpace(string(text))) {
			t.Errorf("the README does not show %s as it is", q)
		}
		results[filepath.Base(q)] = testkit.Rows(t, strings.ReplaceAll(string(text), "'out/", "'"+filepath.ToSlash(out)+"/"))
	}
	if trend := results["nps_trend.sql"]; len(trend) != 3 || trend[0][0] != "2025-04-30T00:00:00Z" {
		t.Errorf("NPS trend %v, want one row per snapshot", trend)
	}
	if len(results["churn_by_segment.sql"]) < 3 {
		t.Errorf("churn by segment: %v", results["churn_by_segment.sql"])
	}
	cohorts := results["cohort_retention.sql"]
	if len(cohorts) < 12 || cohorts[0][0] != "2024-01-01T00:00:00Z" || cohorts[0][2] != "100" {
		t.Errorf("cohort matrix %v, want a row per month from 2024-01 with 100 %% in month 0", cohorts)
	}
}
