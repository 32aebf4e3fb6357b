package gates_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/pipeline/gates"
)

// identity builds a customer_identity table with the given number of
// matched and unmatched records.
func identity(matched, unmatched int) string {
	return `CREATE TABLE customer_identity AS
		SELECT CASE WHEN i < ` + strconv.Itoa(matched) + ` THEN 'email' ELSE 'unmatched' END AS match_method
		FROM range(` + strconv.Itoa(matched+unmatched) + `) r(i)`
}

// outputDB opens a database with the clean output tables plus the
// statements' tables.
func outputDB(t *testing.T, stmts ...string) *duck.DB {
	t.Helper()
	return openDB(t, append(stmts, builtinTables...)...)
}

// aggregate evaluates cfg and returns the results of one rule.
func aggregate(t *testing.T, db *duck.DB, rule string, cfg gates.Config, in gates.Inputs) []gates.Result {
	t.Helper()
	var out []gates.Result
	for _, r := range evaluate(t, db, cfg, in).Results {
		if r.Rule == rule {
			out = append(out, r)
		}
	}
	return out
}

func TestReconcile(t *testing.T) {
	stmts := []string{
		`CREATE TABLE stg_orders AS SELECT * FROM (VALUES ('shop'), ('shop'), ('shop'), ('app')) v(_source)`,
		`CREATE TABLE rejects AS SELECT * FROM (VALUES ('shop')) v(source)`,
		identity(10, 0),
	}
	in := gates.Inputs{Sources: map[string]gates.SourceCounts{
		"shop": {Entity: "orders", Read: 4, Loaded: 3, Rejected: 1}, // agrees with the tables
		"app":  {Entity: "orders", Read: 2, Loaded: 1, Rejected: 0}, // one record lost
		"web":  {Entity: "orders", Read: 2, Loaded: 2, Rejected: 0}, // adds up, but the tables disagree
	}}
	wantResults(t, aggregate(t, outputDB(t, stmts...), "reconcile", gates.Config{}, in), []gates.Result{
		{Table: "stg_orders", Source: "app", Rule: "reconcile", Severity: "error", Offending: 1, Total: 2,
			Detail: "read 2, loaded 1 + rejected 0 = 1: 1 record unaccounted for"},
		{Table: "stg_orders", Source: "shop", Rule: "reconcile", Severity: "error", Passed: true, Total: 4,
			Detail: "read 4, loaded 3 + rejected 1"},
		{Table: "stg_orders", Source: "web", Rule: "reconcile", Severity: "error", Offending: 2, Total: 2,
			Detail: "read 2, loaded 2 + rejected 0; but stg_orders holds 0 rows of the source and rejects 0"},
	})
}

func TestReconcileWithoutSourcesIsSkipped(t *testing.T) {
	got := aggregate(t, outputDB(t, identity(1, 0)), "reconcile", gates.Config{}, gates.Inputs{})
	wantResults(t, got, []gates.Result{{Rule: "reconcile", Severity: "error", Passed: true, Skipped: true,
		Detail: "no source counts were given"}})
}

func TestRowCountChange(t *testing.T) {
	in := gates.Inputs{
		PreviousRows: map[string]int64{"customer_metrics": 100, "kpi_daily": 4, "gone": 5, "rejects": 3, "cohort_retention": 0},
		Rows:         map[string]int64{"customer_metrics": 40, "rejects": 300, "cohort_retention": 2},
	}
	// kpi_daily is counted by a query: the fixture holds 6 rows, +50 % is not more than 50 %.
	db := outputDB(t, identity(1, 0))
	wantResults(t, aggregate(t, db, "row_count_change", gates.Config{}, in), []gates.Result{
		{Table: "cohort_retention", Rule: "row_count_change", Severity: "warn", Offending: 2,
			Detail: "rows 0 -> 2: the previous snapshot had none"},
		{Table: "customer_metrics", Rule: "row_count_change", Severity: "warn", Offending: 60, Total: 100,
			Detail: "rows 100 -> 40 (-60.0 %), more than the 50 % allowed"},
		{Table: "gone", Rule: "row_count_change", Severity: "warn", Passed: true, Skipped: true,
			Detail: "the table is no longer built"},
		{Table: "kpi_daily", Rule: "row_count_change", Severity: "warn", Passed: true, Offending: 2, Total: 4,
			Detail: "rows 4 -> 6 (+50.0 %)"},
	})
	cfg := gates.Config{RowCountChange: gates.RowCountChange{MaxChange: ptr(0.7), Severity: "error"}}
	got := aggregate(t, db, "row_count_change", cfg, in)
	if !got[0].Failed() || got[1].Failed() || !got[1].Passed {
		t.Errorf("with max_change 0.7 and severity error: %+v", got)
	}
}

func TestRowCountChangeSkippedOnFirstSnapshot(t *testing.T) {
	in := gates.Inputs{Rows: map[string]int64{"customer_metrics": 40}}
	wantResults(t, aggregate(t, outputDB(t, identity(1, 0)), "row_count_change", gates.Config{}, in), []gates.Result{
		{Rule: "row_count_change", Severity: "warn", Passed: true, Skipped: true, Detail: "no previous snapshot to compare with"},
	})
}

func TestUnmatchedIdentity(t *testing.T) {
	db := outputDB(t)
	share := func(matched, unmatched int, cfg gates.Config) []gates.Result {
		t.Helper()
		if _, err := db.Exec(strings.Replace(identity(matched, unmatched), "CREATE", "CREATE OR REPLACE", 1)); err != nil {
			t.Fatal(err)
		}
		return aggregate(t, db, "unmatched_identity", cfg, gates.Inputs{})
	}
	want := gates.Result{Table: "customer_identity", Column: "match_method", Rule: "unmatched_identity", Severity: "error",
		Offending: 3, Total: 10, Detail: "3 of 10 records match no CRM contact (30.0 %), more than the 20 % allowed"}
	wantResults(t, share(7, 3, gates.Config{}), []gates.Result{want})

	want.Passed, want.Offending, want.Detail = true, 2, "2 of 10 records match no CRM contact (20.0 %)"
	wantResults(t, share(8, 2, gates.Config{}), []gates.Result{want})

	got := share(8, 2, gates.Config{UnmatchedIdentity: gates.UnmatchedIdentity{MaxShare: ptr(0.1), Severity: "warn"}})
	if !got[0].Warned() || got[0].Failed() {
		t.Errorf("max_share 0.1, severity warn: %+v", got)
	}
	want.Offending, want.Total, want.Detail = 0, 0, "0 of 0 records match no CRM contact (0.0 %)"
	wantResults(t, share(0, 0, gates.Config{}), []gates.Result{want})
}
