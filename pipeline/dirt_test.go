package pipeline_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
)

// TestDemoDirt checks that every kind of dirt in the demo data ends up where
// it belongs: in rejects with the right reason, or (duplicates aside) loaded
// and normalised, and that every source reconciles read = loaded + rejected.
func TestDemoDirt(t *testing.T) {
	cfg, err := pipeline.Load("../testdata/demo/journey.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	m, err := testkit.RunConfig(cfg, "2025-12-31", out, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range m.Sources {
		if s.Read != s.Loaded+s.Rejected || s.Read == 0 {
			t.Errorf("source %s: read %d != loaded %d + rejected %d", name, s.Read, s.Loaded, s.Rejected)
		}
	}
	rejects := testkit.Rows(t, "SELECT file, line, reason FROM read_parquet($1) ORDER BY file, line", testkit.Table(out, "rejects"))
	want := []struct{ file, line, reason string }{
		{"crm_contacts.csv", "43", "duplicate customer_id 'C0042'"},
		{"crm_contacts.csv", "119", "duplicate customer_id 'C0117': the record at crm_contacts.csv:304 was kept"},
		{"crm_contacts.csv", "152", "bad timestamp in created_at (column \"Created\"): '31.02.2024'"},
		{"crm_contacts.csv", "203", "missing customer_id"},
		{"csat_ces.parquet", "42", "score 6 out of range 1–5 for csat"},
		{"csat_ces.parquet", "155", "score 0 out of range 1–7 for ces"},
		{"csat_ces.parquet", "301", "missing customer_id and email"},
		{"interactions.ndjson", "1234", "unreadable JSON line"},
		{"interactions.ndjson", "1252", "bad timestamp in occurred_at (column \"ts\"): '2025-02-30 10:00:00'"},
		{"interactions.ndjson", "1802", "duplicate interaction_id 'I-001801'"},
		{"interactions.ndjson", "2106", "missing interaction_id"},
		{"nps_responses.csv", "128", "score 11 out of range 0–10 for nps"},
		{"nps_responses.csv", "202", "duplicate response_id 'R-10201'"},
		{"orders.csv", "18", "duplicate order_id 'O-100017'"},
		{"orders.csv", "253", "duplicate order_id 'O-100251': the record at orders.csv:882 was kept (latest updated_at wins)"},
		{"orders.csv", "336", "negative amount -45.00"},
		{"orders.csv", "423", "bad timestamp in ordered_at (column \"order_ts\"): '2024-13-45T25:61:00Z'"},
		{"orders.csv", "483", "duplicate order_id 'O-100481'"},
		{"orders.csv", "639", "unreadable CSV line: TOO MANY COLUMNS"},
		{"orders.csv", "780", "missing order_id"},
	}
	if len(rejects) != len(want) {
		t.Errorf("%d rejects, want %d: %v", len(rejects), len(want), rejects)
	}
	for i := 0; i < len(want) && i < len(rejects); i++ {
		r, w := rejects[i], want[i]
		if r[0] != w.file || r[1] != w.line || !strings.Contains(r[2], w.reason) {
			t.Errorf("reject %d: got %v, want %s:%s %q", i, r, w.file, w.line, w.reason)
		}
	}
	// Not dirt to reject: an unknown customer and an unknown email are kept as
	// unmatched identities and counted; mixed-case emails are normalised and match.
	journey := testkit.Table(out, "customer_journey")
	if v := testkit.Value(t, "SELECT is_crm_contact FROM read_parquet($1) WHERE customer_id = 'C9999'", journey); v != "false" {
		t.Errorf("C9999 is_crm_contact = %s, want a kept, unmatched identity", v)
	}
	if v := testkit.Value(t, "SELECT count(*) FROM read_parquet($1) WHERE customer_id LIKE 'anon-%'", journey); v != "1" {
		t.Errorf("%s anonymous identities, want 1 (ghost@example.org)", v)
	}
	if v := testkit.Value(t, "SELECT orders FROM read_parquet($1) WHERE customer_id = 'C0023'", journey); v != "3" {
		t.Errorf("C0023 (mixed-case CRM email) has %s orders, want her 3 email-only orders", v)
	}
	if v := testkit.Value(t, "SELECT orders FROM read_parquet($1) WHERE customer_id = 'C0007'", journey); v != "3" {
		t.Errorf("C0007 (orders under an upper-case email) has %s orders, want 3", v)
	}
	if id := m.Identity; id.Unmatched < 2 || id.MatchedByEmail == 0 || id.MatchRate <= 0.99 || id.MatchRate >= 1 {
		t.Errorf("identity stats %+v: want unmatched records counted and a match rate just below 1", id)
	}
}

// runConfigFile runs a configuration file's snapshot into a temp folder.
func runConfigFile(t *testing.T, path, asOf string) string {
	t.Helper()
	cfg, err := pipeline.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, err := testkit.RunConfig(cfg, asOf, out, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	return out
}
