package gates_test

import (
	"bytes"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/pipeline/gates"
)

var outputTables = []string{"journey_events", "customer_journey", "customer_metrics", "kpi_daily", "cohort_retention", "rejects"}

// newList is a problem list under "gates", as the pipeline passes it.
func newList() check.List { return check.NewList().Under("gates") }

// decode reads a journey.yaml fragment as the pipeline does (unknown keys
// are errors).
func decode(t *testing.T, src string) (gates.Config, error) {
	t.Helper()
	var doc struct {
		Gates gates.Config `yaml:"gates"`
	}
	dec := yaml.NewDecoder(bytes.NewReader([]byte(src)))
	dec.KnownFields(true)
	err := dec.Decode(&doc)
	return doc.Gates, err
}

func validate(t *testing.T, src string) []string {
	t.Helper()
	cfg, err := decode(t, src)
	if err != nil {
		t.Fatal(err)
	}
	l := newList()
	cfg.Validate(l, outputTables)
	var out []string
	for _, p := range l.Problems() {
		out = append(out, p.String())
	}
	return out
}

const example = `
gates:
  defaults: true
  row_count_change:
    max_change: 0.5
    severity: warn
  unmatched_identity:
    max_share: 0.2
    severity: error
  tables:
    customer_metrics:
      - {rule: unique, columns: [customer_id], severity: error}
      - {rule: not_null, columns: [customer_id, snapshot_date], severity: error}
      - {rule: accepted_values, column: churn_band, values: [low, medium, high], allow_null: true, severity: error}
      - {rule: range, column: churn_risk, min: 0, max: 100, severity: error}
      - {rule: exists_in, column: customer_id, ref_table: customer_journey}
`

func TestExampleConfigIsValid(t *testing.T) {
	if problems := validate(t, example); len(problems) > 0 {
		t.Errorf("problems in the documented example:\n%s", strings.Join(problems, "\n"))
	}
}

func TestApplyDefaults(t *testing.T) {
	var c gates.Config
	c.ApplyDefaults()
	if !*c.Defaults || *c.RowCountChange.MaxChange != 0.5 || c.RowCountChange.Severity != "warn" ||
		*c.UnmatchedIdentity.MaxShare != 0.2 || c.UnmatchedIdentity.Severity != "error" {
		t.Errorf("defaults = %+v", c)
	}
	c = gates.Config{RowCountChange: gates.RowCountChange{MaxChange: ptr(0.0)}}
	c.ApplyDefaults()
	if *c.RowCountChange.MaxChange != 0 {
		t.Error("an explicit max_change: 0 was replaced by the default")
	}
}

func TestValidationProblems(t *testing.T) {
	got := validate(t, `
gates:
  row_count_change: {max_change: 1.5, severity: fatal}
  unmatched_identity: {max_share: -0.1}
  tables:
    customer_metric:
      - {rule: unique, columns: [customer_id]}
    customer_metrics:
      - {rule: unique, column: customer_id}
      - {rule: not_null, columns: [customer_id, ""]}
      - {rule: accepted_values, column: churn_band, severity: high}
      - {rule: range, column: churn_risk}
      - {rule: range, column: churn_risk, min: 100, max: 0, values: [a]}
      - {rule: exists_in, column: customer_id, ref_table: customers}
      - {rule: exists_in, column: customer_id}
      - {rule: unqiue, columns: [customer_id]}
      - {columns: [customer_id]}
      - {rule: accepted_values, columns: [churn_band], values: [low]}
`)
	want := []string{
		`gates.row_count_change.max_change: 1.5 is not a fraction between 0 and 1 (fix: use a fraction such as 0.5 for 50 %)`,
		`gates.row_count_change.severity: unknown severity "fatal" (fix: use warn or error)`,
		`gates.unmatched_identity.max_share: -0.1 is not a fraction between 0 and 1 (fix: use a fraction such as 0.5 for 50 %)`,
		`gates.tables.customer_metric: unknown table "customer_metric" (fix: use one of journey_events, customer_journey, customer_metrics, kpi_daily, cohort_retention, rejects)`,
		`gates.tables.customer_metrics[0].columns: is empty (fix: list the columns to check, e.g. columns: [customer_id])`,
		`gates.tables.customer_metrics[0].column: is not used by rule unique (fix: write columns: [<name>, …])`,
		`gates.tables.customer_metrics[1].columns[1]: is empty (fix: name a column or remove the entry)`,
		`gates.tables.customer_metrics[2].severity: unknown severity "high" (fix: use warn or error)`,
		`gates.tables.customer_metrics[2].values: is empty (fix: list the accepted values, e.g. values: [low, medium, high])`,
		`gates.tables.customer_metrics[3]: rule range needs min, max or both (fix: add min:, max: or both)`,
		`gates.tables.customer_metrics[4].max: 0 is less than min 100 (fix: make max at least min)`,
		`gates.tables.customer_metrics[4].values: is not used by rule range (fix: remove it)`,
		`gates.tables.customer_metrics[5].ref_table: unknown table "customers" (fix: use one of journey_events, customer_journey, customer_metrics, kpi_daily, cohort_retention, rejects)`,
		`gates.tables.customer_metrics[6].ref_table: is empty (fix: name the table the values must appear in, e.g. ref_table: customer_journey)`,
		`gates.tables.customer_metrics[7].rule: unknown rule "unqiue" (fix: use one of unique, not_null, accepted_values, range, exists_in)`,
		`gates.tables.customer_metrics[8].rule: is empty (fix: use one of unique, not_null, accepted_values, range, exists_in)`,
		`gates.tables.customer_metrics[9].column: is empty (fix: name the column to check, e.g. column: customer_id)`,
		`gates.tables.customer_metrics[9].columns: is not used by rule accepted_values (fix: write column: <name> (this rule checks one column))`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestUnknownRuleFieldIsADecodeError(t *testing.T) {
	_, err := decode(t, "gates:\n  tables:\n    kpi_daily:\n      - {rule: range, column: nps, minimum: -100}\n")
	if err == nil || !strings.Contains(err.Error(), "field minimum not found") {
		t.Errorf("error = %v", err)
	}
}
