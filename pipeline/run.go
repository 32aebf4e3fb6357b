// Package pipeline holds the configuration and runs a snapshot: plan →
// extract → transform → publish. It knows no source's format; sources,
// transforms and sinks do the work.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/rs/zerolog"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/internal/sysmem"
	"github.com/journeydata/journey/pipeline/gates"
	"github.com/journeydata/journey/sinks"
	"github.com/journeydata/journey/sources"
	sqlfiles "github.com/journeydata/journey/sql"
	"github.com/journeydata/journey/transforms"
)

// Options are the per-run inputs that do not come from the configuration.
type Options struct {
	// AsOf is the snapshot date (its year, month and day are used).
	AsOf time.Time
	// RunID names the run in logs, rejects and the manifest.
	RunID string
	// Now is the clock, used for timings and timestamps only.
	Now func() time.Time
	// Log receives progress; it should already carry run_id and as_of.
	Log zerolog.Logger
	// Version is the program version recorded in the manifest.
	Version string
	// Registry builds sources; nil means DefaultRegistry().
	Registry *sources.Registry
	// LockWait is how long publishing waits while another run holds the
	// output root's publish lock; zero fails at once, naming that run.
	// Parallel runs into one root (a backfill) set it.
	LockWait time.Duration
	// StageDone, when set, is called after each stage (extract, transform,
	// check, publish), for progress displays.
	StageDone func(stage string)
	// Shard, when set, makes the run build only its shard's part of the
	// snapshot and hand it over under the output root (see shardpart.go);
	// nothing is published. Sources are read in full.
	Shard *Shard
	// Finalize, when set, makes the run build the snapshot from the parts
	// of Finalize.Count shards of group Finalize.Group instead of reading
	// the sources, and publish it (see finalize.go).
	Finalize *Shard
}

// ErrSource marks failures reading or validating a source's data:
// errors.Is(err, ErrSource) reports whether a source was to blame.
var ErrSource = errors.New("source failed")

// sourceError wraps an error of a source so that it matches ErrSource while
// keeping its own message.
type sourceError struct{ error }

func (e sourceError) Unwrap() error        { return e.error }
func (e sourceError) Is(target error) bool { return target == ErrSource }

// run carries the state of one run.
type run struct {
	cfg      *Config
	opt      Options
	db       *duck.DB
	out      *sinks.Root // output root, see output()
	workDir  string      // the run's own folder: database, spill files
	asOf     string
	cutoff   time.Time
	manifest *sinks.Manifest
	// state is the incremental sources' state of the last published run;
	// watermarks are the highest watermark each source read in this run.
	state      incrementalState
	watermarks []string
	// gates is the quality gates' report, once they ran.
	gates *gates.Report
	// parts are the shard parts a finalize run builds from.
	parts []shardPart
	// pushed are the sources a shard read for its own customers alone.
	pushed []string
	spill  *spillSampler // measures the DuckDB temp folder (spill.go)
	// stageStart is when the running stage started.
	stageStart time.Time
}

// markPublishTime records the publish stage's duration so far, for the
// manifest or part description the stage writes last: the stage's full
// duration is known only after it, in the run ledger.
func (r *run) markPublishTime() {
	r.manifest.Durations["publish"] = r.opt.Now().Sub(r.stageStart).Seconds()
}

// root is the output root.
func (r *run) root() string { return r.cfg.Resolve(r.cfg.Output) }

// zeroClock is the clock of work that records no timings.
func zeroClock() time.Time { return time.Time{} }

// Cutoff is the first instant after the snapshot day D in the business time
// zone: a snapshot holds events strictly before it.
func Cutoff(asOf time.Time, loc *time.Location) time.Time {
	return time.Date(asOf.Year(), asOf.Month(), asOf.Day()+1, 0, 0, 0, 0, loc).UTC()
}

// Run builds and publishes the snapshot for opt.AsOf. On any error nothing
// is published and the previous snapshot stays as it was. Either way the run
// is recorded in the run ledger under the output root.
func Run(ctx context.Context, cfg *Config, opt Options) (*sinks.Manifest, error) {
	if opt.Registry == nil {
		opt.Registry = DefaultRegistry()
	}
	if opt.Shard != nil && opt.Finalize != nil {
		return nil, errors.New("a run is either one shard or the finalize step, not both")
	}
	if opt.Shard != nil || opt.Finalize != nil {
		cfg = fullReadConfig(cfg) // sharded snapshots read in full and keep no incremental state
	}
	r := &run{cfg: cfg, opt: opt, asOf: opt.AsOf.Format(time.DateOnly), cutoff: Cutoff(opt.AsOf, cfg.Location())}
	r.manifest = &sinks.Manifest{
		RunID: opt.RunID, AsOf: r.asOf, Status: "running", Timezone: cfg.Timezone,
		Cutoff: r.cutoff.Format(time.RFC3339), ConfigHash: cfg.Hash, Version: opt.Version,
		StartedAt: opt.Now().UTC().Format(time.RFC3339), Durations: map[string]float64{},
		Sources: map[string]sinks.SourceInfo{},
	}
	defer r.closeOutput()
	err := r.run(ctx)
	if rerr := r.record(ctx, err); rerr != nil {
		if err == nil {
			return r.manifest, fmt.Errorf("snapshot %s is published, but %w", r.asOf, rerr)
		}
		opt.Log.Warn().Err(rerr).Msg("run record")
	}
	if err != nil {
		return nil, err
	}
	return r.manifest, nil
}

// run executes the stages in order.
func (r *run) run(ctx context.Context) error {
	if err := r.loadState(ctx); err != nil {
		return err
	}
	if err := r.openDB(ctx); err != nil {
		return err
	}
	defer r.closeDB()
	r.markWork()
	defer r.watchSpill(ctx)()
	for _, stage := range r.stages() {
		t := r.opt.Now()
		r.stageStart = t
		r.opt.Log.Info().Str("stage", stage.name).Msg("stage started")
		if err := stage.fn(ctx); err != nil {
			return err
		}
		r.manifest.Durations[stage.name] = r.opt.Now().Sub(t).Seconds()
		r.opt.Log.Info().Str("stage", stage.name).Float64("seconds", r.manifest.Durations[stage.name]).Msg("stage finished")
		if r.opt.StageDone != nil {
			r.opt.StageDone(stage.name)
		}
	}
	return nil
}

// stage is one step of a run.
type stage struct {
	name string
	fn   func(context.Context) error
}

// stages are the run's steps: a shard hands its part over instead of
// publishing, and the finalize step loads the shards' parts instead of
// reading the sources.
func (r *run) stages() []stage {
	switch {
	case r.opt.Shard != nil:
		return []stage{{"extract", r.extract}, {"transform", r.transform}, {"check", r.checkShard}, {"publish", r.publishPart}}
	case r.opt.Finalize != nil:
		return []stage{{"load", r.loadParts}, {"transform", r.transform}, {"check", r.check}, {"publish", r.publish}}
	}
	return []stage{{"extract", r.extract}, {"transform", r.transform}, {"check", r.check}, {"publish", r.publish}}
}

// openDB creates the run's work folder and opens its database there.
func (r *run) openDB(ctx context.Context) error {
	work := r.cfg.WorkDir
	if work == "" {
		work = filepath.Join(os.TempDir(), "journey")
	} else {
		work = r.cfg.Resolve(work)
	}
	r.workDir = filepath.Join(work, r.opt.RunID)
	if err := os.MkdirAll(r.workDir, 0o755); err != nil {
		return fmt.Errorf("create work folder: %w", err)
	}
	// The database is in memory, spilling to the temp folder beyond the
	// memory limit: a file-backed database compresses and writes every
	// table it creates, which measured twice as slow, and nothing here
	// outlives the run.
	tmp := filepath.Join(r.workDir, "duckdb.tmp")
	if r.cfg.DuckDB.TempDirectory != "" {
		tmp = filepath.Join(r.cfg.Resolve(r.cfg.DuckDB.TempDirectory), r.opt.RunID)
	}
	db, err := duck.Open(ctx, duck.Settings{
		MemoryLimit: r.cfg.DuckDB.MemoryLimit, Threads: r.cfg.DuckDB.Threads,
		TempDir: tmp,
	})
	if err != nil {
		_ = os.RemoveAll(r.workDir)
		return err
	}
	r.db = db
	h, err := r.cfg.PII.hasher()
	if err == nil {
		err = db.RegisterPII(ctx, h)
	}
	if err == nil {
		if _, err = db.ExecContext(ctx, shardMacro(r.opt.Shard)); err != nil {
			err = fmt.Errorf("define the shard filter: %w", err)
		}
	}
	if err == nil {
		err = db.DefineLocalTime(ctx, r.cfg.Timezone, r.cutoff)
	}
	if err != nil {
		r.closeDB()
		return err
	}
	return nil
}

// closeDB closes the database and removes the work and spill folders.
func (r *run) closeDB() {
	if err := r.db.Close(); err != nil {
		r.opt.Log.Warn().Err(err).Msg("close duckdb")
	}
	_ = os.RemoveAll(r.workDir)
	if r.cfg.DuckDB.TempDirectory != "" {
		_ = os.RemoveAll(filepath.Join(r.cfg.Resolve(r.cfg.DuckDB.TempDirectory), r.opt.RunID))
	}
}

// params are the named parameters of the SQL models.
func (r *run) params() map[string]any {
	m := r.cfg.Metrics
	return map[string]any{
		"as_of": r.asOf, "cutoff": r.cutoff, "tz": r.cfg.Timezone,
		"survey_window_days": m.SurveyWindowDays, "activity_window_days": m.ActivityWindowDays,
		"negative_window_days": m.NegativeWindowDays, "repeat_window_days": m.RepeatWindowDays,
		"lapsed_after_days": m.LapsedAfterDays, "pii_keep": r.cfg.PII.Keep(),
	}
}

func (r *run) transform(ctx context.Context) error {
	steps, err := r.steps()
	if err != nil {
		return err
	}
	params := r.params()
	params[transforms.SpoolDir] = filepath.Join(r.workDir, "spool")
	if params["event_batches"], err = r.eventBatches(ctx); err != nil {
		return err
	}
	timings, err := transforms.Run(ctx, r.db, steps, params, r.opt.Now)
	if err != nil {
		return err
	}
	for _, t := range timings {
		r.manifest.Durations["transform."+t.Table] = t.Seconds
	}
	if err := r.identityStats(ctx); err != nil {
		return err
	}
	if r.opt.Finalize != nil {
		return nil // the shards redacted their rejects
	}
	return r.redactRejects(ctx)
}

// bytesPerBatchEvent sizes journey_events' batches: a batch holds about
// one event per this many bytes of the memory limit (2M events at 1 GiB),
// which leaves its window room beside the tables the run holds.
var bytesPerBatchEvent int64 = 512

// minBatchEvents is the fewest events a batch is made for.
var minBatchEvents int64 = 100_000

// eventBatches is the number of batches journey_events runs in, from an
// upper bound of the events (every interaction and survey answer, and up
// to two events per order) and the memory limit. A finalize step does not
// build the table.
func (r *run) eventBatches(ctx context.Context) (int, error) {
	if r.opt.Finalize != nil {
		return 1, nil
	}
	n, err := r.db.Int64(ctx, `SELECT (SELECT count(*) FROM stg_interactions) + 2 * (SELECT count(*) FROM stg_orders)
		+ (SELECT count(*) FROM stg_survey_responses)`)
	if err != nil {
		return 0, fmt.Errorf("count the events: %w", err)
	}
	limit := sysmem.DefaultLimit()
	if r.cfg.DuckDB.MemoryLimit != "" {
		if limit, err = sysmem.Parse(r.cfg.DuckDB.MemoryLimit); err != nil {
			return 0, fmt.Errorf("duckdb.memory_limit: %w", err)
		}
	}
	per := max(minBatchEvents, limit/bytesPerBatchEvent)
	return int(max(1, (n+per-1)/per)), nil
}

// steps are the transform steps of the run: all of them, a shard's
// shardTables, or what finalize builds from the shards' parts.
func (r *run) steps() ([]transforms.Step, error) {
	steps, err := transforms.LoadSQL(sqlfiles.Files)
	if err != nil {
		return nil, err
	}
	steps = append(steps, r.modelStep())
	if r.opt.Shard == nil && r.opt.Finalize == nil {
		return steps, nil
	}
	sharded := r.opt.Shard != nil
	return slices.DeleteFunc(steps, func(s transforms.Step) bool {
		return slices.Contains(shardTables, s.Table) != sharded
	}), nil
}

func (r *run) identityStats(ctx context.Context) error {
	id := &r.manifest.Identity
	err := r.db.QueryRowContext(ctx, `SELECT count(*),
		count(*) FILTER (WHERE match_method = 'customer_id'), count(*) FILTER (WHERE match_method = 'email'),
		count(*) FILTER (WHERE match_method = 'unmatched') FROM customer_identity`).
		Scan(&id.Records, &id.MatchedByID, &id.MatchedByEmail, &id.Unmatched)
	if err != nil {
		return fmt.Errorf("count identity matches: %w", err)
	}
	if id.Records > 0 {
		id.MatchRate = float64(id.MatchedByID+id.MatchedByEmail) / float64(id.Records)
	}
	return nil
}

func (r *run) publish(ctx context.Context) error {
	if _, err := r.db.ExecContext(ctx, "ALTER TABLE rejects ADD COLUMN run_id VARCHAR"); err != nil {
		return fmt.Errorf("tag rejects with the run: %w", err)
	}
	if _, err := r.db.ExecContext(ctx, "UPDATE rejects SET run_id = $1", r.opt.RunID); err != nil {
		return fmt.Errorf("tag rejects with the run: %w", err)
	}
	if err := r.publishSnapshot(ctx); err != nil {
		return err
	}
	if r.opt.Finalize != nil {
		r.removeParts(ctx)
	}
	return nil
}
