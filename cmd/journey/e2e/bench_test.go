package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchJSON is the part of journey bench --json the test reads.
type benchJSON struct {
	Dataset struct {
		Dir     string `json:"dir"`
		Reused  bool   `json:"reused"`
		Sources []struct {
			Name                   string
			Read, Loaded, Rejected int64
		} `json:"sources"`
	} `json:"dataset"`
	Config struct {
		MemoryLimit string `json:"memory_limit"`
	} `json:"config"`
	Runs []struct {
		MaxRSSBytes    int64              `json:"max_rss_bytes"`
		SpillPeakBytes *int64             `json:"spill_peak_bytes"`
		Durations      map[string]float64 `json:"durations_seconds"`
	} `json:"runs"`
}

// TestBench runs journey bench on 2,000 customers three times into one
// cache: the first generates the data set and prints every section, the
// second reuses it (and passes --memory-limit and --repeat on), the third
// regenerates it because its complete-marker is gone.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a data set and runs the pipeline on it")
	}
	cache := t.TempDir()
	args := []string{"bench", "--customers", "2000", "--cache", cache}

	first := journey(t, args...)
	if err := first.Run(); err != nil {
		t.Fatalf("first bench: %v\n%s", err, first.Stderr)
	}
	report := stdoutOf(first)
	for _, section := range []string{"\nMachine\n", "\nData set\n", "\nStages ", "\nExtract ", "\nTransform (SQL) ",
		"\nModel fit (Go) ", "\nChecks ", "\nPublish ", "\nResources ", "  peak RSS ", "  spill peak ", "  cpu ", "  duckdb ",
		"rows read/s", "  journey_events ", "  customer_model_scores ", "  total wall (process) ",
		"\nModel recovery ", "  BG/NBD       r ", "  Gamma-Gamma  gamma ", "\nModel recovery, refitted on the customers the CRM knows"} {
		if !strings.Contains(report, section) {
			t.Errorf("report lacks %q:\n%s", section, report)
		}
	}
	if !strings.Contains(stderrOf(first), "generating 2,000 customers") {
		t.Errorf("first bench did not generate:\n%s", stderrOf(first))
	}

	second := journey(t, append(args, "--json", "--repeat", "2", "--memory-limit", "1GB")...)
	if err := second.Run(); err != nil {
		t.Fatalf("second bench: %v\n%s", err, second.Stderr)
	}
	rep := decodeBench(t, []byte(stdoutOf(second)))
	if !rep.Dataset.Reused || strings.Contains(stderrOf(second), "generating") {
		t.Errorf("second bench did not reuse the cached data set:\n%s", stderrOf(second))
	}
	if rep.Config.MemoryLimit != "1GB" {
		t.Errorf("memory limit %q, want 1GB", rep.Config.MemoryLimit)
	}
	checkBenchRuns(t, rep, 2)

	if err := os.Remove(filepath.Join(rep.Dataset.Dir, ".bench-complete.json")); err != nil {
		t.Fatal(err)
	}
	third := journey(t, append(args, "--json")...)
	if err := third.Run(); err != nil {
		t.Fatalf("third bench: %v\n%s", err, third.Stderr)
	}
	if rep := decodeBench(t, []byte(stdoutOf(third))); rep.Dataset.Reused {
		t.Errorf("a data set without its complete-marker was reused")
	}
}

func checkBenchRuns(t *testing.T, rep benchJSON, n int) {
	t.Helper()
	if len(rep.Runs) != n {
		t.Fatalf("%d runs, want %d", len(rep.Runs), n)
	}
	if len(rep.Dataset.Sources) != 5 {
		t.Errorf("%d sources, want the 5 of the generated data set", len(rep.Dataset.Sources))
	}
	for _, s := range rep.Dataset.Sources {
		if s.Read == 0 || s.Read != s.Loaded+s.Rejected {
			t.Errorf("source %s: read %d, loaded %d, rejected %d", s.Name, s.Read, s.Loaded, s.Rejected)
		}
	}
	for i, r := range rep.Runs {
		if r.MaxRSSBytes <= 0 {
			t.Errorf("run %d: peak RSS %d", i+1, r.MaxRSSBytes)
		}
		if r.SpillPeakBytes == nil || *r.SpillPeakBytes < 0 {
			t.Errorf("run %d: spill peak missing or negative", i+1)
		}
		for _, k := range []string{"extract", "transform", "check", "publish", "transform.journey_events", "transform.customer_model_scores", "publish.journey_events", "publish.customer_metrics"} {
			if _, ok := r.Durations[k]; !ok {
				t.Errorf("run %d: no duration %q", i+1, k)
			}
		}
		for _, s := range rep.Dataset.Sources {
			if _, ok := r.Durations["extract."+s.Name]; !ok {
				t.Errorf("run %d: no extract time of %s", i+1, s.Name)
			}
		}
	}
}

func decodeBench(t *testing.T, b []byte) benchJSON {
	t.Helper()
	var rep benchJSON
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, b)
	}
	return rep
}

func stdoutOf(c *exec.Cmd) string { return c.Stdout.(*bytes.Buffer).String() }
func stderrOf(c *exec.Cmd) string { return c.Stderr.(*bytes.Buffer).String() }
