package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/journeydata/journey/internal/testkit"
)

// bin is the journey binary built for this package's tests.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "journey-e2e-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "journey")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-tags", "duckdb_arrow", "-o", bin, "..")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("build the journey binary: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// journey starts the binary with the demo configuration and env.
func journey(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "JOURNEY_PII_KEY="+testkit.PIIKey)
	cmd.Stdout, cmd.Stderr = new(bytes.Buffer), new(bytes.Buffer)
	return cmd
}

// demoConfig is the bundled demo's configuration, from the repository.
func demoConfig(t *testing.T) string {
	p, err := filepath.Abs("../../../testdata/demo/journey.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// manifests lists the published snapshot dates under root.
func manifests(root string) []string {
	entries, _ := os.ReadDir(filepath.Join(root, "_manifests"))
	var dates []string
	for _, e := range entries {
		if d, ok := strings.CutPrefix(strings.TrimSuffix(e.Name(), ".json"), "snapshot_date="); ok && !strings.HasPrefix(e.Name(), ".") {
			dates = append(dates, d)
		}
	}
	sort.Strings(dates)
	return dates
}

// waitFor polls cond every 50 ms until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// snapshotRows renders every snapshot table of one date, sorted, as text.
func snapshotRows(t *testing.T, root, asOf string) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"customer_journey", "customer_metrics", "kpi_daily", "cohort_retention"} {
		glob := filepath.Join(root, table, "snapshot_date="+asOf, "*.parquet")
		for _, r := range testkit.Rows(t, "SELECT * FROM read_parquet($1) ORDER BY ALL", glob) {
			b.WriteString(table + ": " + strings.Join(r, "|") + "\n")
		}
	}
	return b.String()
}
