package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/cmd/journey/cli"
	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/sinks"
)

var update = flag.Bool("update", false, "rewrite the golden expectations under testdata/*/expected")

// goldenOrder is the total order each table is compared in.
var goldenOrder = map[string]string{
	"journey_events":   "customer_id, sequence_number",
	"customer_journey": "customer_id",
	"customer_metrics": "customer_id",
	"kpi_daily":        "dimension, dimension_value",
	"cohort_retention": "cohort_month, months_since",
	"rejects":          "source, file, line, reason",
}

// TestGolden runs every case testdata/<case>/expected/as_of=<date>/ through
// the CLI in-process and compares every output table and the manifest's
// counts with the reviewed expectations.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("../../../testdata/*/expected/as_of=*")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases found (%v)", err)
	}
	for _, dir := range cases {
		caseDir := filepath.Dir(filepath.Dir(dir))
		asOf := strings.TrimPrefix(filepath.Base(dir), "as_of=")
		t.Run(filepath.Base(caseDir)+"/"+asOf, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			code := cli.Run(context.Background(), []string{"run", "--config", filepath.Join(caseDir, "journey.yaml"),
				"--as-of", asOf, "--out", out}, nil, &stdout, &stderr)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			for _, table := range sinks.Tables() {
				got := dumpTable(t, out, table.Name)
				compareGolden(t, filepath.Join(dir, table.Name+".csv"), got)
			}
			compareGolden(t, filepath.Join(dir, "manifest.json"), manifestCounts(t, out, asOf))
		})
	}
}

func dumpTable(t *testing.T, root, table string) []byte {
	t.Helper()
	q := "SELECT * EXCLUDE (run_id) FROM read_parquet($1, hive_partitioning = true) ORDER BY " + goldenOrder[table]
	if table != "rejects" {
		q = strings.Replace(q, "EXCLUDE (run_id) ", "", 1)
	}
	cols := testkit.Rows(t, "SELECT column_name FROM (DESCRIBE "+strings.Replace(q, "$1", "'"+testkit.Table(root, table)+"'", 1)+")")
	rows := testkit.Rows(t, q, testkit.Table(root, table))
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	var header []string
	for _, c := range cols {
		header = append(header, c[0])
	}
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	return b.Bytes()
}

// manifestCounts keeps the parts of the manifest that do not depend on the
// run (ids, times, file dates).
func manifestCounts(t *testing.T, root, asOf string) []byte {
	t.Helper()
	m, err := sinks.ReadManifest(root, asOf)
	if err != nil {
		t.Fatal(err)
	}
	type src struct {
		Entity                 string
		Read, Loaded, Rejected int64
	}
	keep := struct {
		AsOf, Status, Cutoff string
		Tables               map[string]int64
		Sources              map[string]src
		Identity             sinks.IdentityStats
		Models               map[string]any `json:",omitempty"`
	}{AsOf: m.AsOf, Status: m.Status, Cutoff: m.Cutoff, Tables: map[string]int64{}, Sources: map[string]src{},
		Identity: m.Identity, Models: m.Models}
	for name, ts := range m.Tables {
		keep.Tables[name] = ts.Rows
	}
	for name, s := range m.Sources {
		keep.Sources[name] = src{s.Entity, s.Read, s.Loaded, s.Rejected}
	}
	b, err := json.MarshalIndent(keep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read expectation (run with -update to create it after reviewing the output): %v", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output; first difference:\n%s\n(run go test ./cmd/journey/cli -run TestGolden -update after reviewing)",
			path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + "\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(same lines, different bytes)"
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
