package sinks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/journeydata/journey/store"
)

// cleanupAfter removes what the publish of run x left behind when it did
// not finish (it crashed, or failed and could not clean up). What x left
// depends on how far it got, which the manifest of its date tells:
//
//   - the manifest is x's: x committed; _latest.json may not name it yet,
//     and its trash and the rejects of the run it replaced (x.Replaces) may
//     remain;
//   - the manifest is another run's: x had changed none of that snapshot's
//     files (it would have withdrawn the manifest first); journey_events is
//     restored from x's trash, and x's rejects go;
//   - there is no manifest: the date is not published, so journey_events is
//     restored, and x's partitions of the date go, with x's rejects and
//     those of the run whose manifest x withdrew.
func (s Snapshot) cleanupAfter(ctx context.Context, x LockInfo) error {
	m, err := LoadManifest(ctx, s.Out, x.AsOf)
	if err != nil && !errors.Is(err, store.ErrNotExist) {
		return err
	}
	if m != nil {
		// Whoever's it is, the manifest is complete: _latest.json, which x
		// may have moved back (withdrawing) or not yet forward, may name it.
		if _, err := moveLatest(ctx, s.Out, x.AsOf, m.RunID); err != nil {
			return err
		}
	}
	if m != nil && m.RunID == x.RunID {
		return s.finishCommitted(ctx, x)
	}
	if err := s.restoreEvents(ctx, x.RunID); err != nil {
		return err
	}
	if m != nil {
		return s.deleteRunPartitions(ctx, x.RunID)
	}
	if err := s.deleteDate(ctx, x.AsOf); err != nil {
		return err
	}
	if x.Replaces != "" {
		if err := s.deleteRunPartitions(ctx, x.Replaces); err != nil {
			return err
		}
	}
	return s.deleteRunPartitions(ctx, x.RunID)
}

// finishCommitted removes what run x, which committed, had still to remove:
// its trash and the rejects of the run it replaced.
func (s Snapshot) finishCommitted(ctx context.Context, x LockInfo) error {
	if err := s.Out.DeletePrefix(ctx, trashPrefix(x.RunID)); err != nil {
		return err
	}
	if x.Replaces != "" && x.Replaces != x.RunID {
		return s.deleteRunPartitions(ctx, x.Replaces)
	}
	return nil
}

// deleteDate removes the date's partitions of every snapshot table.
func (s Snapshot) deleteDate(ctx context.Context, date string) error {
	for _, t := range Tables() {
		if t.Partition != BySnapshot {
			continue
		}
		if err := s.Out.DeletePrefix(ctx, t.Name+"/snapshot_date="+date+"/"); err != nil {
			return fmt.Errorf("delete the %s of %s: %w", t.Name, date, err)
		}
	}
	return nil
}

// deleteRunPartitions removes run's partitions of the tables partitioned by
// run (rejects).
func (s Snapshot) deleteRunPartitions(ctx context.Context, run string) error {
	for _, t := range Tables() {
		if t.Partition != ByRun {
			continue
		}
		if err := s.Out.DeletePrefix(ctx, t.Name+"/run_id="+run+"/"); err != nil {
			return fmt.Errorf("delete the %s of run %s: %w", t.Name, run, err)
		}
	}
	return nil
}

// sweepTemp removes, on a local root, the hidden temporary files
// (".<name>.tmp-…") that writes killed before their rename leave in the
// table folders, _manifests, _state and the root itself. Only the lock
// holder writes there, so none of them belongs to a live write. (_runs and
// _locks are written without the publish lock and are left alone.)
func (s Snapshot) sweepTemp() error {
	dir, ok := s.Out.LocalPath(LatestName)
	if !ok {
		return nil
	}
	dir = filepath.Dir(dir)
	if err := removeTemps(dir, false); err != nil {
		return err
	}
	folders := []string{"_manifests", "_state"}
	for _, t := range Tables() {
		folders = append(folders, t.Name)
	}
	for _, f := range folders {
		if err := removeTemps(filepath.Join(dir, f), true); err != nil {
			return err
		}
	}
	return nil
}

// removeTemps deletes the temporary files in dir (and below it, if deep).
func removeTemps(dir string, deep bool) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != dir && !deep:
			return filepath.SkipDir
		case !d.IsDir() && isTemp(d.Name()):
			return os.Remove(p)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove temporary files of crashed writes: %w", err)
	}
	return nil
}

// isTemp matches the temporary files of the store's local writer and of
// atomic file writes: ".<base>.tmp-<random>".
func isTemp(base string) bool {
	return strings.HasPrefix(base, ".") && strings.Contains(base, ".tmp-")
}
