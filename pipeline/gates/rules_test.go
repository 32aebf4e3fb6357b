package gates_test

import (
	"context"
	"strings"
	"testing"

	"github.com/journeydata/journey/pipeline/gates"
)

// ruleCase is a table that trips a rule and one that passes it.
type ruleCase struct {
	name       string
	rule       gates.Rule
	trip, pass string // CREATE TABLE t statements
	want       []gates.Result
}

func TestTableRules(t *testing.T) {
	for _, c := range []ruleCase{{
		name: "unique",
		rule: gates.Rule{Rule: "unique", Columns: []string{"customer_id"}, Severity: "error"},
		trip: `CREATE TABLE t AS SELECT * FROM (VALUES ('C3'), ('C1'), ('C2'), ('C2'), ('C3'), ('C3'), (NULL), (NULL)) v(customer_id)`,
		pass: `CREATE TABLE t AS SELECT * FROM (VALUES ('C1'), ('C2'), (NULL), (NULL)) v(customer_id)`,
		want: []gates.Result{{Table: "t", Column: "customer_id", Rule: "unique", Severity: "error",
			Offending: 2, Total: 8, Detail: "2 duplicate customer_id values, e.g. C2, C3"}},
	}, {
		name: "unique composite key",
		rule: gates.Rule{Rule: "unique", Columns: []string{"snapshot_date", "customer_id"}, Severity: "error"},
		trip: `CREATE TABLE t AS SELECT * FROM (VALUES (DATE '2025-01-01', 'C1'), (DATE '2025-01-01', 'C1'), (DATE '2025-01-02', 'C1')) v(snapshot_date, customer_id)`,
		pass: `CREATE TABLE t AS SELECT * FROM (VALUES (DATE '2025-01-01', 'C1'), (DATE '2025-01-02', 'C1')) v(snapshot_date, customer_id)`,
		want: []gates.Result{{Table: "t", Column: "snapshot_date, customer_id", Rule: "unique", Severity: "error",
			Offending: 1, Total: 3, Detail: "1 duplicate (snapshot_date, customer_id) value, e.g. (2025-01-01, C1)"}},
	}, {
		name: "not_null, one result per column",
		rule: gates.Rule{Rule: "not_null", Columns: []string{"customer_id", "snapshot_date"}, Severity: "error"},
		trip: `CREATE TABLE t AS SELECT * FROM (VALUES ('C1', DATE '2025-01-01'), (NULL, DATE '2025-01-01'), (NULL, DATE '2025-01-01')) v(customer_id, snapshot_date)`,
		pass: `CREATE TABLE t AS SELECT * FROM (VALUES ('C1', DATE '2025-01-01')) v(customer_id, snapshot_date)`,
		want: []gates.Result{
			{Table: "t", Column: "customer_id", Rule: "not_null", Severity: "error", Offending: 2, Total: 3, Detail: "2 rows with NULL customer_id"},
			{Table: "t", Column: "snapshot_date", Rule: "not_null", Severity: "error", Passed: true, Total: 3},
		},
	}, {
		name: "accepted_values",
		rule: gates.Rule{Rule: "accepted_values", Column: "churn_band", Values: []string{"low", "medium", "high"}, Severity: "error"},
		trip: `CREATE TABLE t AS SELECT * FROM (VALUES ('low'), ('high'), ('extreme'), ('Low'), (NULL), (' low')) v(churn_band)`,
		pass: `CREATE TABLE t AS SELECT * FROM (VALUES ('low'), ('medium'), ('high')) v(churn_band)`,
		want: []gates.Result{{Table: "t", Column: "churn_band", Rule: "accepted_values", Severity: "error",
			Offending: 4, Total: 6, Detail: `4 rows with churn_band outside [low, medium, high], e.g. NULL, " low", Low, extreme`}},
	}, {
		name: "accepted_values allowing NULL",
		rule: gates.Rule{Rule: "accepted_values", Column: "churn_band", Values: []string{"low", "medium", "high"}, AllowNull: true, Severity: "error"},
		trip: `CREATE TABLE t AS SELECT * FROM (VALUES ('low'), ('extreme'), (NULL)) v(churn_band)`,
		pass: `CREATE TABLE t AS SELECT * FROM (VALUES ('low'), (NULL)) v(churn_band)`,
		want: []gates.Result{{Table: "t", Column: "churn_band", Rule: "accepted_values", Severity: "error",
			Offending: 1, Total: 3, Detail: "1 row with churn_band outside [low, medium, high] or NULL, e.g. extreme"}},
	}, {
		name: "range",
		rule: gates.Rule{Rule: "range", Column: "churn_risk", Min: ptr(0.0), Max: ptr(100.0), Severity: "error"},
		trip: `CREATE TABLE t AS SELECT * FROM (VALUES (140), (-3), (0), (50), (100), (140), (NULL)) v(churn_risk)`,
		pass: `CREATE TABLE t AS SELECT * FROM (VALUES (0), (100), (NULL)) v(churn_risk)`,
		want: []gates.Result{{Table: "t", Column: "churn_risk", Rule: "range", Severity: "error",
			Offending: 3, Total: 7, Detail: "3 values of churn_risk outside [0, 100], e.g. -3, 140"}},
	}, {
		name: "range with min only catches NaN",
		rule: gates.Rule{Rule: "range", Column: "p_alive", Min: ptr(0.0), Severity: "error"},
		trip: `CREATE TABLE t AS SELECT * FROM (VALUES (0.5::DOUBLE), ('nan'::DOUBLE), (-0.25::DOUBLE)) v(p_alive)`,
		pass: `CREATE TABLE t AS SELECT * FROM (VALUES (0.5::DOUBLE), (7.0::DOUBLE)) v(p_alive)`,
		want: []gates.Result{{Table: "t", Column: "p_alive", Rule: "range", Severity: "error",
			Offending: 2, Total: 3, Detail: "2 values of p_alive below 0, e.g. -0.25, nan"}},
	}, {
		name: "exists_in",
		rule: gates.Rule{Rule: "exists_in", Column: "customer_id", RefTable: "ref", Severity: "error"},
		trip: `CREATE TABLE t AS SELECT * FROM (VALUES ('C1'), ('C2'), ('C9'), ('C9'), (NULL)) v(customer_id)`,
		pass: `CREATE TABLE t AS SELECT * FROM (VALUES ('C1'), ('C2'), (NULL)) v(customer_id)`,
		want: []gates.Result{{Table: "t", Column: "customer_id", Rule: "exists_in", Severity: "error",
			Offending: 2, Total: 5, Detail: "2 rows with a customer_id missing from ref.customer_id, e.g. C9"}},
	}} {
		t.Run(c.name, func(t *testing.T) { c.run(t) })
	}
}

func (c ruleCase) run(t *testing.T) {
	ref := `CREATE TABLE ref AS SELECT * FROM (VALUES ('C1'), ('C2'), ('C2')) v(customer_id)`
	rep := evaluate(t, openDB(t, c.trip, ref), only("t", c.rule), gates.Inputs{})
	wantResults(t, rep.Results, c.want)
	if !rep.Failed() {
		t.Error("Failed() = false for a tripped error gate")
	}
	rep = evaluate(t, openDB(t, c.pass, ref), only("t", c.rule), gates.Inputs{})
	if rep.Failed() || len(rep.Warnings()) > 0 {
		t.Errorf("the passing table failed:\n%s", rep.Text())
	}
}

func TestSeverityWarnDoesNotFail(t *testing.T) {
	db := openDB(t, `CREATE TABLE t AS SELECT * FROM (VALUES (1), (1)) v(id)`)
	rep := evaluate(t, db, only("t", gates.Rule{Rule: "unique", Columns: []string{"id"}, Severity: "warn"}), gates.Inputs{})
	if rep.Failed() || rep.Err() != nil {
		t.Errorf("a warn gate failed the report: %v", rep.Err())
	}
	if w := rep.Warnings(); len(w) != 1 || w[0].Offending != 1 || w[0].Detail != "1 duplicate id value, e.g. 1" {
		t.Errorf("warnings = %+v", w)
	}
}

func TestSeverityDefaultsToError(t *testing.T) {
	db := openDB(t, `CREATE TABLE t AS SELECT * FROM (VALUES (1), (NULL)) v(id)`)
	cfg := only("t", gates.Rule{Rule: "not_null", Columns: []string{"id"}})
	rep := evaluate(t, db, cfg, gates.Inputs{})
	if !rep.Failed() || rep.Results[0].Severity != gates.Error {
		t.Errorf("results = %+v", rep.Results)
	}
	if cfg.Tables["t"][0].Severity != "" {
		t.Error("Evaluate changed the caller's configuration")
	}
}

func TestEvaluationErrors(t *testing.T) {
	db := openDB(t, `CREATE TABLE t AS SELECT 'C1' AS customer_id, 5 AS churn_risk, 'x' AS label`)
	for _, c := range []struct {
		rule gates.Rule
		want string
	}{
		{gates.Rule{Rule: "range", Column: "churn_riskk", Max: ptr(100.0)},
			`evaluate quality gate t.churn_riskk range: column "churn_riskk" does not exist in t (its columns: customer_id, churn_risk, label)`},
		{gates.Rule{Rule: "exists_in", Column: "customer_id", RefTable: "nowhere"},
			`evaluate quality gate t.customer_id exists_in: table nowhere does not exist`},
	} {
		_, err := gates.Evaluate(context.Background(), db, only("t", c.rule), gates.Inputs{})
		if err == nil || err.Error() != c.want {
			t.Errorf("error = %v\n         want %s", err, c.want)
		}
	}
	_, err := gates.Evaluate(context.Background(), db, only("missing", gates.Rule{Rule: "not_null", Columns: []string{"id"}}), gates.Inputs{})
	if want := "evaluate quality gate missing.id not_null: table missing does not exist"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	_, err = gates.Evaluate(context.Background(), db, only("t", gates.Rule{Rule: "range", Column: "label", Min: ptr(0.0)}), gates.Inputs{})
	if err == nil || !strings.HasPrefix(err.Error(), "evaluate quality gate t.label range: Conversion Error") {
		t.Errorf("a non-numeric range column: error = %v", err)
	}
}
