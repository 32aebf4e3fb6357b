package gates_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/journeydata/journey/pipeline/gates"
)

// builtinTables are minimal output tables that pass every built-in rule.
var builtinTables = []string{
	`CREATE TABLE journey_events AS SELECT * FROM (VALUES
		('C1', TIMESTAMPTZ '2025-01-01 10:00:00+00', 'order:1', 'purchase'),
		('C1', TIMESTAMPTZ '2025-01-02 10:00:00+00', 'delivery:1', 'post_purchase'),
		('C2', TIMESTAMPTZ '2025-01-03 10:00:00+00', 'interaction:7', 'awareness')
	) v(customer_id, event_at, event_id, stage)`,
	`CREATE TABLE customer_journey AS SELECT * FROM (VALUES
		(DATE '2025-01-31', 'C1', 'first_purchase'), (DATE '2025-01-31', 'C2', 'awareness'), (DATE '2025-01-31', 'C3', 'lapsed')
	) v(snapshot_date, customer_id, journey_stage)`,
	`CREATE TABLE customer_metrics AS SELECT * FROM (VALUES
		(DATE '2025-01-31', 'C1', 'low', 'gold', 'new', 12, 64, 0.9::DOUBLE, 5, 1, 3),
		(DATE '2025-01-31', 'C2', NULL, 'bronze', NULL, NULL, 20, NULL, NULL, NULL, NULL),
		(DATE '2025-01-31', 'C3', 'high', 'silver', 'hibernating', 100, 40, 0.0::DOUBLE, 1, 1, 1)
	) v(snapshot_date, customer_id, churn_band, loyalty_tier, rfm_segment, churn_risk, loyalty_index, p_alive, r_score, f_score, m_score)`,
	`CREATE TABLE kpi_daily AS SELECT DATE '2025-01-31' AS snapshot_date, d AS dimension, v AS dimension_value
		FROM (VALUES ('all', 'all'), ('segment', 'gold'), ('segment', 'unknown'), ('channel', 'web'), ('country', 'DE'), ('country', 'unknown')) t(d, v)`,
	`CREATE TABLE cohort_retention AS SELECT * FROM (VALUES
		(DATE '2025-01-31', DATE '2025-01-01', 0, 100.0)
	) v(snapshot_date, cohort_month, months_since, retention_pct)`,
}

// runTables are the run's other tables the built-ins read, for one source.
var runTables = []string{
	identity(9, 1),
	`CREATE TABLE stg_orders AS SELECT 'shop' AS _source FROM range(3)`,
	`CREATE TABLE rejects AS SELECT 'shop' AS source`,
}

var runInputs = gates.Inputs{
	Sources:      map[string]gates.SourceCounts{"shop": {Entity: "orders", Read: 4, Loaded: 3, Rejected: 1}},
	PreviousRows: map[string]int64{"customer_metrics": 3, "journey_events": 3},
}

func TestBuiltinsPassOnCleanTables(t *testing.T) {
	db := openDB(t, append(builtinTables, runTables...)...)
	rep := evaluate(t, db, gates.Config{}, runInputs)
	if rep.Failed() || len(rep.Warnings()) > 0 || len(rep.Skipped()) > 0 {
		t.Fatalf("clean tables:\n%s", rep.Text())
	}
	// 31 table rules (not_null counts once per column), 1 source, 2 tables, identity.
	if want := "35 gates passed, 0 warnings, 0 failed"; rep.Summary() != want {
		t.Errorf("summary = %q, want %q", rep.Summary(), want)
	}
	rules := map[string]bool{}
	for _, r := range rep.Results {
		rules[r.Rule] = true
	}
	if len(rules) != 8 {
		t.Errorf("rules evaluated: %v, want all eight", rules)
	}
}

func TestBuiltinsCatchBrokenTables(t *testing.T) {
	db := openDB(t, append(builtinTables, runTables...)...)
	for _, s := range []string{
		`INSERT INTO customer_metrics (snapshot_date, customer_id, churn_band, loyalty_tier, churn_risk, p_alive)
			VALUES ('2025-01-31', 'C1', 'extreme', 'gold', 101, 1.5), ('2025-01-31', 'C42', 'low', 'gold', 1, 0.5)`,
		`UPDATE customer_journey SET journey_stage = 'loyal' WHERE customer_id = 'C3'`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	rep := evaluate(t, db, gates.Config{}, runInputs)
	var got []string
	for _, r := range rep.Failures() {
		got = append(got, r.Name()+": "+r.Detail)
	}
	want := []string{
		"customer_journey.journey_stage accepted_values: 1 row with journey_stage outside [awareness, first_purchase, repeat, advocacy, lapsed], e.g. loyal",
		"customer_metrics.(snapshot_date, customer_id) unique: 1 duplicate (snapshot_date, customer_id) value, e.g. (2025-01-31, C1)",
		"customer_metrics.churn_band accepted_values: 1 row with churn_band outside [low, medium, high] or NULL, e.g. extreme",
		"customer_metrics.churn_risk range: 1 value of churn_risk outside [0, 100], e.g. 101",
		"customer_metrics.p_alive range: 1 value of p_alive outside [0, 1], e.g. 1.5",
		"customer_metrics.customer_id exists_in: 1 row with a customer_id missing from customer_journey.customer_id, e.g. C42",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if w := rep.Warnings(); len(w) != 1 || w[0].Table != "customer_metrics" || w[0].Rule != "row_count_change" {
		t.Errorf("warnings = %+v", w)
	}
	if err := rep.Err(); !errors.Is(err, gates.ErrFailed) {
		t.Errorf("Err() = %v", err)
	}
}

func TestDefaultsOff(t *testing.T) {
	rep := evaluate(t, openDB(t), gates.Config{Defaults: ptr(false)}, runInputs)
	if len(rep.Results) != 0 {
		t.Errorf("defaults: false still ran %d gates", len(rep.Results))
	}
}

func TestBuiltinRulesAreValid(t *testing.T) {
	tables := map[string][]gates.Rule{}
	for _, tr := range gates.Builtin() {
		tables[tr.Table] = append(tables[tr.Table], tr.Rule)
	}
	l := newList()
	gates.Config{Tables: tables}.Validate(l, outputTables)
	if err := l.Err(); err != nil {
		t.Error(err)
	}
}
