package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/journeydata/journey/internal/progress"
	"github.com/journeydata/journey/internal/sysmem"
)

// backfillLockWait is how long a backfilled run waits for the publish lock:
// parallel runs of one backfill take turns publishing.
const backfillLockWait = 30 * time.Minute

// BackfillOptions configures Backfill.
type BackfillOptions struct {
	// Dates are the snapshot dates to build, in the order to try them.
	Dates []string
	// Parallel is how many snapshots are built at once (default 1). They
	// share the memory budget and the threads: each run's DuckDB gets its
	// share, so a wider backfill never asks the machine for more.
	Parallel int
	// Force rebuilds snapshots that are already complete.
	Force bool
	// Complete reports whether a date's snapshot is published.
	Complete func(ctx context.Context, asOf string) (bool, error)
	// NewRunID names each run.
	NewRunID func() string
	Now      func() time.Time
	Log      zerolog.Logger
	Version  string
	// Progress, when set, counts snapshots as they finish.
	Progress *progress.Task
}

// BackfillResult is one date's outcome: published, skipped or failed.
type BackfillResult struct {
	AsOf    string  `json:"as_of"`
	RunID   string  `json:"run_id,omitempty"`
	Status  string  `json:"status"`
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
}

// Backfill builds a snapshot for every date, skipping complete ones unless
// Force, with Parallel runs at a time. Each backfilled snapshot is exactly
// what a run on that date produces from the same data: sources are read in
// full (incremental sources ignore their watermark and leave their state
// alone). A crashed or killed backfill resumes by running it again: complete
// snapshots are skipped. Results are sorted by date; the error is non-nil
// when any date failed.
func Backfill(ctx context.Context, cfg *Config, opt BackfillOptions) ([]BackfillResult, error) {
	runCfg, err := backfillConfig(cfg, max(opt.Parallel, 1))
	if err != nil {
		return nil, err
	}
	if _, err := cfg.PII.hasher(); err != nil {
		return nil, err // every run would fail the same way
	}
	jobs := make(chan string)
	results := make(chan BackfillResult)
	var wg sync.WaitGroup
	for range max(opt.Parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				results <- backfillOne(ctx, runCfg, opt, d)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, d := range opt.Dates {
			select {
			case jobs <- d:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	return collect(results, opt.Progress)
}

func collect(results <-chan BackfillResult, p *progress.Task) ([]BackfillResult, error) {
	var out []BackfillResult
	failed := 0
	for r := range results {
		if r.Status == "failed" {
			failed++
		}
		if p != nil {
			p.Step(r.Status == "failed")
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].AsOf < out[j].AsOf })
	if failed > 0 {
		return out, fmt.Errorf("backfill: %d of %d snapshots failed", failed, len(out))
	}
	return out, nil
}

func backfillOne(ctx context.Context, cfg *Config, opt BackfillOptions, asOf string) BackfillResult {
	res := BackfillResult{AsOf: asOf}
	if ctx.Err() != nil {
		res.Status, res.Error = "failed", ctx.Err().Error()
		return res
	}
	if !opt.Force {
		done, err := opt.Complete(ctx, asOf)
		if err != nil {
			res.Status, res.Error = "failed", err.Error()
			return res
		}
		if done {
			res.Status = "skipped"
			return res
		}
	}
	day, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		res.Status, res.Error = "failed", err.Error()
		return res
	}
	res.RunID = opt.NewRunID()
	start := opt.Now()
	log := opt.Log.With().Str("run_id", res.RunID).Str("as_of", asOf).Logger()
	_, err = Run(ctx, cfg, Options{AsOf: day, RunID: res.RunID, Now: opt.Now, Log: log, Version: opt.Version,
		LockWait: backfillLockWait})
	res.Seconds = opt.Now().Sub(start).Seconds()
	res.Status = "published"
	if err != nil {
		res.Status, res.Error = "failed", err.Error()
	}
	return res
}

// fullReadConfig is cfg with every source read in full: incremental sources
// neither use nor move their watermark.
func fullReadConfig(cfg *Config) *Config {
	c := *cfg
	c.Sources = append(c.Sources[:0:0], cfg.Sources...)
	for i := range c.Sources {
		c.Sources[i].Watermark = ""
	}
	return &c
}

// backfillConfig is cfg for one of n parallel runs: full reads, and an nth
// of the memory budget and of the threads.
func backfillConfig(cfg *Config, n int) (*Config, error) {
	c := *fullReadConfig(cfg)
	budget := int64(float64(sysmem.Total()) * 0.6)
	if cfg.DuckDB.MemoryLimit != "" {
		b, err := sysmem.Parse(cfg.DuckDB.MemoryLimit)
		if err != nil {
			return nil, fmt.Errorf("duckdb.memory_limit: %w", err)
		}
		budget = b
	}
	if budget > 0 {
		c.DuckDB.MemoryLimit = sysmem.Format(budget / int64(n))
	}
	threads := cfg.DuckDB.Threads
	if threads == 0 {
		threads = runtime.NumCPU()
	}
	c.DuckDB.Threads = max(1, threads/n)
	return &c, nil
}
