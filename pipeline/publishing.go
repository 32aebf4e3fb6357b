package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/internal/proc"
	"github.com/journeydata/journey/sinks"
	"github.com/journeydata/journey/store"
)

// Retention says how many snapshots the output root keeps.
type Retention struct {
	// KeepSnapshots is how many of the newest snapshots are kept after each
	// publish; 0 keeps all. The snapshot just published and the one
	// _latest.json names are always kept.
	KeepSnapshots int `yaml:"keep_snapshots"`
}

// PublishSettings tune publishing to the output root.
type PublishSettings struct {
	// LockExpiry is how long the publish lock holds without a refresh; a
	// crashed run's lock is taken over after it (at once on the same
	// machine). It is refreshed after every table. Default 30m.
	LockExpiry time.Duration `yaml:"lock_expiry"`
	// RequestTimeout bounds one attempt of a request to the output root,
	// with the store's own retries of transient errors; transfers get one
	// more second per MiB. A request that runs out of time is tried up to
	// three times. Default 2m.
	RequestTimeout time.Duration `yaml:"request_timeout"`
}

func (p *PublishSettings) applyDefaults() {
	if p.LockExpiry == 0 {
		p.LockExpiry = sinks.DefaultLockExpiry
	}
	if p.RequestTimeout == 0 {
		p.RequestTimeout = sinks.DefaultRequestTimeout
	}
}

// validatePublishing checks output, retention and publish.
func (c *Config) validatePublishing(l check.List) {
	if err := store.ValidateRoot(c.Output); err != nil {
		l.Add("output", "use a local folder or gs://bucket/prefix", "%v", err)
	}
	if c.Retention.KeepSnapshots < 0 {
		l.Add("retention.keep_snapshots", "use the number of snapshots to keep, or 0 to keep all", "%d is negative", c.Retention.KeepSnapshots)
	}
	p := c.Publish
	if p.RequestTimeout < 0 {
		l.Add("publish.request_timeout", "use a duration such as 2m", "%s is negative", p.RequestTimeout)
	}
	if p.LockExpiry < 2*p.RequestTimeout || p.LockExpiry <= 0 {
		l.Add("publish.lock_expiry", "use a duration such as 30m, longer than the slowest table upload",
			"%s is not longer than twice publish.request_timeout (%s): a slow request could outlive the lock", p.LockExpiry, p.RequestTimeout)
	}
}

// output is the output root, opened on first use for the whole run.
func (r *run) output(ctx context.Context) (*sinks.Root, error) {
	if r.out != nil {
		return r.out, nil
	}
	out, err := sinks.OpenRoot(ctx, r.root(), sinks.Policy{RequestTimeout: r.cfg.Publish.RequestTimeout})
	if err != nil {
		return nil, err
	}
	r.out = out
	return out, nil
}

// closeOutput closes the output root, if it was opened.
func (r *run) closeOutput() {
	if r.out == nil {
		return
	}
	if err := r.out.Close(); err != nil {
		r.opt.Log.Warn().Err(err).Msg("close output root")
	}
}

// publishSnapshot writes the tables into the run's staging folder, then
// takes the publish lock, publishes them and saves the incremental state
// while still holding it. The lock is taken only once the local files are
// written, so that runs publishing into one root wait on each other for the
// upload alone.
func (r *run) publishSnapshot(ctx context.Context) error {
	out, err := r.output(ctx)
	if err != nil {
		return fmt.Errorf("publish snapshot %s: %w", r.asOf, err)
	}
	r.sweepWork()
	snap := sinks.Snapshot{Out: out, Staging: filepath.Join(r.workDir, "staging"), RunID: r.opt.RunID, AsOf: r.asOf,
		KeepSnapshots: r.cfg.Retention.KeepSnapshots,
		Written:       func(table string, d time.Duration) { r.manifest.Durations["publish."+table] = d.Seconds() }}
	if r.manifest.Tables, err = snap.Write(ctx, r.db); err != nil {
		return fmt.Errorf("publish snapshot %s: %w", r.asOf, err)
	}
	lock, err := sinks.AcquireLock(ctx, out, sinks.LockRequest{
		RunID: r.opt.RunID, AsOf: r.asOf, Expiry: r.cfg.Publish.LockExpiry, Now: r.opt.Now, Wait: r.opt.LockWait,
	})
	if err != nil {
		return fmt.Errorf("publish snapshot %s: %w", r.asOf, err)
	}
	err = r.commit(ctx, snap, lock)
	done, what := lock.Release, "release publish lock"
	if errors.Is(err, sinks.ErrUnclean) {
		done, what = lock.Abandon, "abandon publish lock to the next run"
	}
	if lerr := done(context.WithoutCancel(ctx)); lerr != nil {
		r.opt.Log.Warn().Err(lerr).Msg(what)
	}
	return err
}

// commit publishes the written snapshot, then saves the state.
func (r *run) commit(ctx context.Context, snap sinks.Snapshot, lock *sinks.Lock) error {
	r.manifest.Status = "complete"
	r.manifest.FinishedAt = r.opt.Now().UTC().Format(time.RFC3339)
	r.markPublishTime()
	r.recordSpill()
	rep, err := snap.Commit(ctx, lock, r.manifest)
	r.logPublish(rep)
	if err != nil {
		return fmt.Errorf("publish snapshot %s: %w", r.asOf, err)
	}
	if err := r.saveState(ctx); err != nil {
		return fmt.Errorf("snapshot %s is published, but the incremental sources' state was not saved (the next run reads their rows again): %w", r.asOf, err)
	}
	return nil
}

func (r *run) logPublish(rep sinks.Report) {
	for _, w := range rep.Warnings {
		r.opt.Log.Warn().Str("problem", w).Msg("publish: left for the next run")
	}
	r.opt.Log.Info().Int("uploaded", rep.Uploaded).Int("unchanged", rep.Unchanged).Int("deleted", rep.Deleted).
		Bool("withdrawn", rep.Withdrawn).Bool("latest_moved", rep.LatestMoved).Strs("retired", rep.Retired).
		Strs("recovered_runs", rep.Recovered).Msg("publish")
}

// ownerFile marks a run's work folder with the process that owns it.
const ownerFile = "owner.json"

// markWork records in the run's work folder which process owns it, so that
// a later run can tell the folder of a killed run from a live one's.
func (r *run) markWork() {
	b, _ := json.Marshal(proc.Self())
	if err := os.WriteFile(filepath.Join(r.workDir, ownerFile), b, 0o644); err != nil {
		r.opt.Log.Warn().Err(err).Msg("mark work folder")
	}
}

// sweepWork removes the work (and spill) folders of runs whose process is
// gone: runs killed before they could remove their own, staging folders
// included. Folders of live or unknown processes stay.
func (r *run) sweepWork() {
	base := filepath.Dir(r.workDir)
	entries, _ := os.ReadDir(base)
	for _, e := range entries {
		dir := filepath.Join(base, e.Name())
		if !e.IsDir() || dir == r.workDir || !ownerGone(dir) {
			continue
		}
		err := os.RemoveAll(dir)
		if r.cfg.DuckDB.TempDirectory != "" {
			err = errors.Join(err, os.RemoveAll(filepath.Join(r.cfg.Resolve(r.cfg.DuckDB.TempDirectory), e.Name())))
		}
		if err != nil {
			r.opt.Log.Warn().Err(err).Str("folder", dir).Msg("remove the work folder of a crashed run")
		}
	}
}

// ownerGone reports whether dir's owner file names a process that is gone.
func ownerGone(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil {
		return false
	}
	var id proc.ID
	return json.Unmarshal(b, &id) == nil && id.Gone()
}
