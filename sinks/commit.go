package sinks

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/journeydata/journey/internal/faults"
	"github.com/journeydata/journey/store"
)

// ErrUnclean is matched by the error of a Commit that failed before its
// commit point and could not remove what it had written either, or could
// not clean up after the crashed run it took the lock over from. The caller
// must then Abandon the lock rather than release it: the next run takes it
// over as a crashed run's and finishes the cleanup.
var ErrUnclean = errors.New("the failed publish could not be cleaned up")

// Report says what Commit did.
type Report struct {
	Uploaded, Unchanged, Deleted int
	// Withdrawn is set when a re-run changed the published snapshot of its
	// date, whose manifest was therefore withdrawn until the new one.
	Withdrawn bool
	// LatestMoved is set when LatestName now names this snapshot.
	LatestMoved bool
	// Retired are the dates retention removed.
	Retired []string
	// Recovered are the runs whose crashed publish this one cleaned up.
	Recovered []string
	// Warnings are failures after the commit point: the snapshot is
	// published, and the next run retries them.
	Warnings []string
}

// Commit publishes the staged snapshot under lock, which the caller holds
// and releases. The steps, and what a crash after each leaves, are in the
// package documentation. m is the manifest to publish; m.Tables names the
// staged files and gets their checksums. After an error before the
// manifest, the snapshot's new objects are removed again (ErrUnclean when
// that fails too); a snapshot that was published before is then either
// untouched or, when the re-run had changed it, withdrawn.
func (s Snapshot) Commit(ctx context.Context, lock *Lock, m *Manifest) (Report, error) {
	var rep Report
	if err := s.prepare(ctx, lock, &rep); err != nil {
		return rep, err
	}
	p, err := s.plan(ctx, m)
	if err != nil {
		return rep, err
	}
	if err := s.publishParts(ctx, lock, p, &rep); err != nil {
		return rep, s.abandon(ctx, lock, err)
	}
	if err := s.commitManifest(ctx, lock, p, m); err != nil {
		return rep, s.abandon(ctx, lock, err)
	}
	return rep, s.finish(ctx, p, &rep)
}

// prepare cleans up after a run that crashed holding the lock, and removes
// what earlier runs could not: the trash of runs that committed, and the
// temporary files that killed local writes leave.
func (s Snapshot) prepare(ctx context.Context, lock *Lock, rep *Report) error {
	for x := lock.TakenOver(); x != nil; x = x.Pending {
		if err := s.cleanupAfter(ctx, *x); err != nil {
			return fmt.Errorf("%w: clean up after the crashed run %s: %w", ErrUnclean, x.RunID, err)
		}
		rep.Recovered = append(rep.Recovered, x.RunID)
	}
	if err := lock.recovered(ctx); err != nil {
		return err
	}
	if err := s.Out.DeletePrefix(ctx, trashDir); err != nil {
		return fmt.Errorf("empty %s: %w", trashDir, err)
	}
	return s.sweepTemp()
}

// publishParts withdraws a changed snapshot's manifest, then uploads
// journey_events, the snapshot tables and the rejects, in that order,
// refreshing the lock after each table.
func (s Snapshot) publishParts(ctx context.Context, lock *Lock, p plan, rep *Report) error {
	if err := lock.setReplaces(ctx, p.priorRun()); err != nil {
		return err
	}
	if p.changes {
		if err := s.withdraw(ctx); err != nil {
			return err
		}
		rep.Withdrawn = true
		faults.Point("publish.after:withdraw")
	}
	for _, tp := range p.tables {
		if err := s.publishTable(ctx, tp, rep); err != nil {
			return fmt.Errorf("publish %s: %w", tp.table.Name, err)
		}
		faults.Point("publish.after:" + tp.table.Name)
		if err := lock.Refresh(ctx); err != nil {
			return err
		}
	}
	return nil
}

// withdraw takes the published snapshot of this date out of sight before
// its files change: the latest pointer first, then the manifest.
func (s Snapshot) withdraw(ctx context.Context) error {
	if err := retreatLatest(ctx, s.Out, s.AsOf); err != nil {
		return fmt.Errorf("withdraw snapshot %s: %w", s.AsOf, err)
	}
	if err := s.Out.Delete(ctx, ManifestName(s.AsOf)); err != nil {
		return fmt.Errorf("withdraw snapshot %s: %w", s.AsOf, err)
	}
	return nil
}

// publishTable uploads the table's changed files. Objects of this
// snapshot's partition that the new version lacks go too, before the
// manifest; journey_events' stale months wait until after it.
func (s Snapshot) publishTable(ctx context.Context, tp tablePlan, rep *Report) error {
	if tp.skipped != "" {
		return nil
	}
	if tp.table.Partition == ByEventMonth {
		if err := s.keepOldEvents(ctx, tp); err != nil {
			return err
		}
	}
	for _, u := range tp.uploads {
		if u.same {
			rep.Unchanged++
			continue
		}
		if err := s.Out.Upload(ctx, u.name, u.local, u.options()); err != nil {
			return err
		}
		rep.Uploaded++
	}
	if tp.table.Partition == ByEventMonth {
		return nil
	}
	for _, name := range tp.stale {
		if err := s.Out.Delete(ctx, name); err != nil {
			return err
		}
		rep.Deleted++
	}
	return nil
}

// commitManifest writes the manifest, the commit point, on the generation
// of the manifest it replaces (or where there was none).
func (s Snapshot) commitManifest(ctx context.Context, lock *Lock, p plan, m *Manifest) error {
	for _, tp := range p.tables {
		if st, ok := m.Tables[tp.table.Name]; ok && tp.skipped != "" {
			m.Tables[tp.table.Name] = TableStats{Rows: st.Rows, Skipped: tp.skipped}
		}
	}
	b, err := encodeManifest(m)
	if err != nil {
		return err
	}
	if err := lock.Refresh(ctx); err != nil {
		return err
	}
	faults.Point("publish.before:manifest")
	opts := store.WriteOptions{IfNotExist: true, ContentType: "application/json"}
	if p.prior != nil && !p.changes {
		opts = store.WriteOptions{IfGenerationMatch: p.priorGen, ContentType: "application/json"}
	}
	if err := s.Out.WriteFile(ctx, ManifestName(s.AsOf), b, opts); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	faults.Point("publish.after:manifest")
	return nil
}

// abandon cleans up after a publish that failed before its commit point,
// unless the lock was lost: the root is then another run's to clean.
func (s Snapshot) abandon(ctx context.Context, lock *Lock, cause error) error {
	if errors.Is(cause, ErrLockLost) {
		return cause
	}
	if err := s.cleanupAfter(context.WithoutCancel(ctx), lock.Info()); err != nil {
		return fmt.Errorf("%w; %w, so the lock is left for the next run to finish it: %w", cause, ErrUnclean, err)
	}
	return cause
}

// finish moves the latest pointer, then deletes what the new version no
// longer has (stale journey_events months, the replaced run's rejects),
// applies retention and removes the staging folder. The snapshot is
// published already: only a latest pointer left behind is an error; the
// rest are warnings that the next run makes good.
func (s Snapshot) finish(ctx context.Context, p plan, rep *Report) error {
	moved, latestErr := moveLatest(ctx, s.Out, s.AsOf, s.RunID)
	rep.LatestMoved = moved && latestErr == nil
	warn := func(err error) {
		if err != nil {
			rep.Warnings = append(rep.Warnings, err.Error())
		}
	}
	warn(s.deleteStaleMonths(ctx, p, rep))
	warn(s.Out.DeletePrefix(ctx, trashPrefix(s.RunID)))
	if prior := p.priorRun(); prior != "" && prior != s.RunID {
		warn(s.deleteRunPartitions(ctx, prior))
	}
	warn(s.retain(ctx, rep))
	warn(os.RemoveAll(s.Staging))
	if latestErr != nil {
		return fmt.Errorf("snapshot %s is published, but %w", s.AsOf, latestErr)
	}
	return nil
}

// deleteStaleMonths removes the journey_events months the new version does
// not have.
func (s Snapshot) deleteStaleMonths(ctx context.Context, p plan, rep *Report) error {
	for _, tp := range p.tables {
		if tp.table.Partition != ByEventMonth || tp.skipped != "" {
			continue
		}
		for _, name := range tp.stale {
			if err := s.Out.Delete(ctx, name); err != nil {
				return fmt.Errorf("delete %s, no longer in %s: %w", name, tp.table.Name, err)
			}
			rep.Deleted++
		}
	}
	return nil
}
