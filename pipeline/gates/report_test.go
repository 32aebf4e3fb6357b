package gates_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/journeydata/journey/pipeline/gates"
)

var sample = gates.Report{Results: []gates.Result{
	{Table: "customer_metrics", Column: "customer_id", Rule: "unique", Severity: "error", Passed: true, Total: 1000},
	{Table: "customer_metrics", Rule: "row_count_change", Severity: "warn", Offending: 600, Total: 1000,
		Detail: "rows 1000 -> 400 (-60.0 %), more than the 50 % allowed"},
	{Table: "customer_metrics", Column: "churn_risk", Rule: "range", Severity: "error", Offending: 2, Total: 1000,
		Detail: "2 values of churn_risk outside [0, 100], e.g. -3, 140"},
	{Table: "stg_orders", Source: "shop", Rule: "reconcile", Severity: "error", Offending: 1, Total: 20,
		Detail: "read 20, loaded 18 + rejected 1 = 19: 1 record unaccounted for"},
	{Rule: "row_count_change", Severity: "warn", Passed: true, Skipped: true, Detail: "no previous snapshot to compare with"},
	{Table: "customer_identity", Column: "match_method", Rule: "unmatched_identity", Severity: "error", Passed: true, Total: 20},
}}

func TestReportText(t *testing.T) {
	want := "" +
		"FAIL  customer_metrics  churn_risk   range             2/1000    2 values of churn_risk outside [0, 100], e.g. -3, 140\n" +
		"FAIL  stg_orders        source shop  reconcile         1/20      read 20, loaded 18 + rejected 1 = 19: 1 record unaccounted for\n" +
		"WARN  customer_metrics  -            row_count_change  600/1000  rows 1000 -> 400 (-60.0 %), more than the 50 % allowed\n" +
		"SKIP  -                 -            row_count_change  0/0       no previous snapshot to compare with\n" +
		"2 gates passed, 1 skipped, 1 warning, 2 failed\n"
	if got := sample.Text(); got != want {
		t.Errorf("Text():\n%s\nwant:\n%s", got, want)
	}
	clean := gates.Report{Results: sample.Results[:1]}
	if got, want := clean.Text(), "1 gate passed, 0 warnings, 0 failed\n"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}

func TestReportVerdicts(t *testing.T) {
	if !sample.Failed() || len(sample.Failures()) != 2 || len(sample.Warnings()) != 1 || len(sample.Skipped()) != 1 {
		t.Errorf("failed %v, failures %d, warnings %d, skipped %d",
			sample.Failed(), len(sample.Failures()), len(sample.Warnings()), len(sample.Skipped()))
	}
	err := sample.Err()
	want := "quality gates failed: customer_metrics.churn_risk range: 2 values of churn_risk outside [0, 100], e.g. -3, 140; " +
		"stg_orders source shop reconcile: read 20, loaded 18 + rejected 1 = 19: 1 record unaccounted for"
	if !errors.Is(err, gates.ErrFailed) || err.Error() != want {
		t.Errorf("Err() = %v\n        want %s", err, want)
	}
	warnOnly := gates.Report{Results: sample.Results[:2]}
	if warnOnly.Failed() || warnOnly.Err() != nil {
		t.Error("a report with only a warning failed")
	}
}

func TestReportJSON(t *testing.T) {
	b, err := json.Marshal(gates.Report{Results: sample.Results[3:5]})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"results":[` +
		`{"table":"stg_orders","source":"shop","rule":"reconcile","severity":"error","passed":false,"offending":1,"total":20,"detail":"read 20, loaded 18 + rejected 1 = 19: 1 record unaccounted for"},` +
		`{"table":"","rule":"row_count_change","severity":"warn","passed":true,"skipped":true,"offending":0,"total":0,"detail":"no previous snapshot to compare with"}]}`
	if string(b) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", b, want)
	}
	var back gates.Report
	if err := json.Unmarshal(b, &back); err != nil || back.Results[0] != sample.Results[3] || back.Results[1] != sample.Results[4] {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}
