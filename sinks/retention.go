package sinks

import (
	"context"
	"errors"
	"fmt"

	"github.com/journeydata/journey/store"
)

// retain deletes the oldest snapshots beyond s.KeepSnapshots, never the one
// just published and never the one the latest pointer names. Each goes
// manifest first, so that a snapshot half deleted is never complete.
func (s Snapshot) retain(ctx context.Context, rep *Report) error {
	if s.KeepSnapshots <= 0 {
		return nil
	}
	dates, err := PublishedDates(ctx, s.Out)
	if err != nil {
		return err
	}
	latest, _, err := ReadLatest(ctx, s.Out)
	if err != nil {
		return err
	}
	keep := map[string]bool{s.AsOf: true, latest.AsOf: true}
	for i := len(dates) - 1; i >= 0 && i >= len(dates)-s.KeepSnapshots; i-- {
		keep[dates[i]] = true
	}
	for _, d := range dates {
		if keep[d] {
			continue
		}
		if err := s.retire(ctx, d); err != nil {
			return fmt.Errorf("retention: remove snapshot %s: %w", d, err)
		}
		rep.Retired = append(rep.Retired, d)
	}
	return nil
}

// retire deletes one snapshot: its manifest, then its partitions of every
// snapshot table, then its run's rejects.
func (s Snapshot) retire(ctx context.Context, date string) error {
	m, err := LoadManifest(ctx, s.Out, date)
	if errors.Is(err, store.ErrNotExist) {
		return nil
	}
	run := ""
	if err == nil {
		run = m.RunID
	}
	if err := s.Out.Delete(ctx, ManifestName(date)); err != nil {
		return err
	}
	if err := s.deleteDate(ctx, date); err != nil {
		return err
	}
	if run == "" || run == s.RunID {
		return nil
	}
	return s.deleteRunPartitions(ctx, run)
}
