package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScheduleSIGTERM stops the daemon with SIGTERM while it is building a
// snapshot: it exits cleanly, and every snapshot is either published whole
// or not at all; the lock is released and a new daemon carries on.
func TestScheduleSIGTERM(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"schedule", "--config", demoConfig(t), "--out", out, "--cron", "30 2 * * *", "--listen", "127.0.0.1:0"}
	d := journey(t, args...)
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	stderr := d.Stderr.(*bytes.Buffer)
	waitFor(t, "a run to start", time.Minute, func() bool { return strings.Contains(stderr.String(), `"stage":"transform"`) })
	if err := d.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- d.Wait() }()
	select {
	case <-errc:
	case <-time.After(2 * time.Minute):
		_ = d.Process.Kill()
		t.Fatal("the daemon did not stop within its grace period")
	}
	if code := d.ProcessState.ExitCode(); code != 0 && code != 130 {
		t.Errorf("exit code %d, want 0 or 130\n%s", code, stderr)
	}
	for _, day := range manifests(out) {
		if rows := snapshotRows(t, out, day); !strings.Contains(rows, "customer_metrics: ") || !strings.Contains(rows, "kpi_daily: ") {
			t.Errorf("published snapshot %s is not whole", day)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(out, "customer_metrics")); len(entries) != len(manifests(out)) {
		t.Errorf("%d customer_metrics partitions for %d published snapshots: a partial publish is visible", len(entries), len(manifests(out)))
	}
	next := journey(t, args...)
	if err := next.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the next daemon to publish", 2*time.Minute, func() bool { return len(manifests(out)) >= 2 })
	_ = next.Process.Signal(syscall.SIGTERM)
	_ = next.Wait()
}
