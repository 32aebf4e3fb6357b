package e2e

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBackfillResumesAfterSIGKILL kills a backfill of 10 snapshots once a
// few are published, runs the same command again, and requires that only
// the missing snapshots are built and that the result equals an
// uninterrupted backfill.
func TestBackfillResumesAfterSIGKILL(t *testing.T) {
	cfg := demoConfig(t)
	killed := filepath.Join(t.TempDir(), "out")
	args := []string{"backfill", "--config", cfg, "--from", "2025-06-01", "--to", "2025-06-10", "--out", killed}
	first := journey(t, args...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "three published snapshots", 2*time.Minute, func() bool { return len(manifests(killed)) >= 3 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	done := len(manifests(killed))
	if done >= 10 {
		t.Skipf("the backfill finished before it could be killed (%d snapshots)", done)
	}

	again := journey(t, args...)
	if err := again.Run(); err != nil {
		t.Fatalf("resumed backfill: %v\n%s", err, again.Stderr)
	}
	out := again.Stdout.(interface{ String() string }).String()
	if want := "skipped (already complete)"; !strings.Contains(out, want) {
		t.Fatalf("summary lacks %q:\n%s", want, out)
	}
	published, skipped := 0, 0
	for _, line := range strings.Split(out, "\n") {
		switch f := strings.Fields(line); {
		case len(f) > 1 && f[1] == "published":
			published++
		case len(f) > 1 && f[1] == "skipped":
			skipped++
		}
	}
	if skipped != done || published != 10-done {
		t.Errorf("resumed run published %d and skipped %d, want %d and %d:\n%s", published, skipped, 10-done, done, out)
	}

	clean := filepath.Join(t.TempDir(), "out")
	whole := journey(t, "backfill", "--config", cfg, "--from", "2025-06-01", "--to", "2025-06-10", "--out", clean)
	if err := whole.Run(); err != nil {
		t.Fatalf("uninterrupted backfill: %v\n%s", err, whole.Stderr)
	}
	if got, want := manifests(killed), manifests(clean); strings.Join(got, ",") != strings.Join(want, ",") || len(got) != 10 {
		t.Fatalf("snapshots %v, want %v", got, want)
	}
	for _, d := range manifests(clean) {
		if a, b := snapshotRows(t, killed, d), snapshotRows(t, clean, d); a != b {
			t.Errorf("snapshot %s differs from an uninterrupted backfill", d)
		}
	}
}
