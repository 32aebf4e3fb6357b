package sinks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// fingerprints records the declared schema (tables, columns, types and
// nullability, in order) of every published schema version.
func fingerprints() map[int]string {
	return map[int]string{
		1: "f0748bd4971cab15",
		2: "621adeacbf4692db", // customer_journey: email_hash, email, name
	}
}

func fingerprint() string {
	h := sha256.New()
	for _, t := range Tables() {
		fmt.Fprintf(h, "%s partition=%s\n", t.Name, t.Partition)
		for _, c := range t.Columns {
			fmt.Fprintf(h, "  %s %s nullable=%t\n", c.Name, c.Type, c.Nullable)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// TestSchemaVersion fails when the declared schema changes without a new
// SchemaVersion: BI users rely on the version to know the schema.
func TestSchemaVersion(t *testing.T) {
	got := fingerprint()
	want, ok := fingerprints()[SchemaVersion]
	switch {
	case !ok || want == "":
		t.Fatalf("record the fingerprint of schema version %d in fingerprints(): %q", SchemaVersion, got)
	case got != want:
		t.Fatalf("the declared schema changed but SchemaVersion is still %d: bump it and record its fingerprint %q", SchemaVersion, got)
	}
}

func TestTablesDeclared(t *testing.T) {
	var names []string
	used := map[string]bool{}
	for _, tbl := range Tables() {
		if err := tbl.validate(); err != nil {
			t.Error(err)
		}
		names = append(names, tbl.Name)
		for _, m := range tbl.Metrics {
			used[m] = true
		}
		for _, c := range tbl.Columns {
			if !strings.HasSuffix(c.Description, ".") || strings.Contains(c.Description, "\n") {
				t.Errorf("%s.%s: the description should be one sentence ending in '.': %q", tbl.Name, c.Name, c.Description)
			}
		}
	}
	if want := []string{"journey_events", "customer_journey", "customer_metrics", "kpi_daily", "cohort_retention", "rejects"}; !slices.Equal(names, want) {
		t.Errorf("tables = %v, want %v", names, want)
	}
	for _, m := range Metrics() {
		if !used[m.Key] {
			t.Errorf("metric %s is defined but no table refers to it", m.Key)
		}
	}
}

func TestValidateCatchesBadDeclarations(t *testing.T) {
	bad := map[string]func(*Table){
		"duplicate column":        func(t *Table) { t.Columns = append(t.Columns[:1], t.Columns...) },
		"unknown type":            func(t *Table) { t.Columns[0].Type = "HUGEINT" },
		"partition not last":      func(t *Table) { slices.Reverse(t.Columns) },
		"sort key not declared":   func(t *Table) { t.OrderBy = []string{"nope"} },
		"unknown metric":          func(t *Table) { t.Metrics = []string{"nope"} },
		"column not described":    func(t *Table) { t.Columns[1].Description = "" },
		"table without its grain": func(t *Table) { t.Grain = "" },
	}
	for name, spoil := range bad {
		tbl := tiny()
		spoil(&tbl)
		if err := tbl.validate(); err == nil {
			t.Errorf("%s: validate accepted it", name)
		}
	}
}
