package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sinks"
)

// TestSpillPeak makes DuckDB spill, a table larger than its memory limit,
// and requires the sampler to have seen the temp folder grow.
func TestSpillPeak(t *testing.T) {
	ctx := context.Background()
	tmp := filepath.Join(t.TempDir(), "duckdb.tmp")
	db, err := duck.Open(ctx, duck.Settings{MemoryLimit: "64MB", Threads: 1, TempDir: tmp, PreserveInsertionOrder: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &run{db: db, opt: Options{Log: zerolog.Nop()}, manifest: &sinks.Manifest{}}
	stop := r.watchSpill(ctx)
	if _, err := db.ExecContext(ctx, `CREATE TABLE big AS
		SELECT i, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s FROM range(3000000) r(i) ORDER BY s`); err != nil {
		t.Fatal(err)
	}
	r.recordSpill()
	stop()
	if r.manifest.SpillPeakBytes <= 0 {
		t.Fatalf("spill peak %d bytes, want > 0 (a 3M-row table under a 64MB limit)", r.manifest.SpillPeakBytes)
	}
	t.Logf("spill peak %d bytes", r.manifest.SpillPeakBytes)
}

// TestSpillWithoutFolder: a temp folder that was never created is empty.
func TestSpillWithoutFolder(t *testing.T) {
	if n := dirSize(filepath.Join(t.TempDir(), "missing")); n != 0 {
		t.Fatalf("size of a missing folder = %d", n)
	}
}
