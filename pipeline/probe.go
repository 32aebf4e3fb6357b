package pipeline

import (
	"context"
	"fmt"
	"os"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sinks"
	"github.com/journeydata/journey/sources"
)

// Probe reaches every source of cfg and reads it through its mapping and row
// rules into a throwaway in-memory database, writing nothing. It returns the
// reconciled counts per source, or the first source's error.
func Probe(ctx context.Context, cfg *Config, reg *sources.Registry) (map[string]sinks.SourceInfo, error) {
	if reg == nil {
		reg = DefaultRegistry()
	}
	db, err := duck.Open(ctx, duck.Settings{MemoryLimit: cfg.DuckDB.MemoryLimit, Threads: cfg.DuckDB.Threads, PreserveInsertionOrder: true})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	work, err := os.MkdirTemp("", "journey-probe-")
	if err != nil {
		return nil, fmt.Errorf("probe sources: %w", err)
	}
	defer os.RemoveAll(work)
	r := &run{cfg: cfg, db: db, workDir: work, opt: Options{Registry: reg, Now: zeroClock},
		manifest: &sinks.Manifest{Sources: map[string]sinks.SourceInfo{}, Durations: map[string]float64{}}}
	if err := r.extract(ctx); err != nil {
		return nil, fmt.Errorf("probe sources: %w", err)
	}
	return r.manifest.Sources, nil
}
