package pipeline_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
)

// TestFailedGateStopsPublish: a failed gate publishes nothing, keeps the
// previous snapshot, and records its report in the run ledger.
func TestFailedGateStopsPublish(t *testing.T) {
	c := tinyCase("a,,s,2024-01-01\nb,,s,2024-01-01\n", "o1,a,2024-05-01,10,delivered\n", "", "")
	c.Config += `
gates:
  tables:
    customer_journey:
      - {rule: accepted_values, column: journey_stage, values: [first_purchase, repeat]}
`
	out, _, err := testkit.TryRun(t, c, "2024-06-30")
	if !errors.Is(err, pipeline.ErrGate) {
		t.Fatalf("error %v, want a failed gate", err)
	}
	for _, want := range []string{"customer_journey", "journey_stage", "accepted_values", "1/2", "awareness"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("report lacks %q:\n%v", want, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "customer_journey")); !os.IsNotExist(err) {
		t.Errorf("customer_journey was published: %v", err)
	}
	b, err := os.ReadFile(pipeline.RunRecordPath(out, "test-2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	var rec pipeline.RunRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Status != "failed" || rec.Gates == nil || !rec.Gates.Failed() {
		t.Errorf("run record %+v, want failed with the gate report", rec)
	}
}
