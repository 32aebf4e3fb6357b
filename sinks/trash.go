package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/journeydata/journey/store"
)

// trashDir holds, per run, what the run needs to undo its changes to
// journey_events until it commits: the names of the months the table had
// before, and a copy of every month file it overwrote. Hive-style readers
// skip folders whose names start with '_'.
const trashDir = "_trash/"

func trashPrefix(run string) string { return trashDir + run + "/" }

// monthsName lists the months journey_events had before the run.
func monthsName(run string) string { return trashPrefix(run) + "journey_events.json" }

// keepOldEvents records the table's months and copies each month file
// that the run is about to overwrite, before it writes any.
func (s Snapshot) keepOldEvents(ctx context.Context, tp tablePlan) error {
	before := slices.Clone(tp.stale)
	for _, u := range tp.uploads {
		if u.old != nil {
			before = append(before, u.name)
		}
	}
	slices.Sort(before)
	b, _ := json.Marshal(before)
	if err := s.Out.WriteFile(ctx, monthsName(s.RunID), b, store.WriteOptions{}); err != nil {
		return fmt.Errorf("keep the previous journey_events: %w", err)
	}
	for _, u := range tp.uploads {
		if u.old == nil || u.same {
			continue
		}
		if err := s.Out.Copy(ctx, u.name, trashPrefix(s.RunID)+u.name); err != nil {
			return fmt.Errorf("keep the previous journey_events: %w", err)
		}
	}
	return nil
}

// restoreEvents undoes run's changes to journey_events: the months it
// overwrote get their previous file back, the months it added go, and its
// trash is removed. A run that changed nothing left no trash.
func (s Snapshot) restoreEvents(ctx context.Context, run string) error {
	b, err := s.Out.ReadFile(ctx, monthsName(run))
	if errors.Is(err, store.ErrNotExist) {
		return s.Out.DeletePrefix(ctx, trashPrefix(run))
	}
	var before []string
	if err == nil {
		err = json.Unmarshal(b, &before)
	}
	if err != nil {
		return fmt.Errorf("restore journey_events: %w", err)
	}
	if err := s.putBack(ctx, run, before); err != nil {
		return fmt.Errorf("restore journey_events: %w", err)
	}
	return s.Out.DeletePrefix(ctx, trashPrefix(run))
}

// putBack copies run's kept month files back and deletes the months that
// were not there before.
func (s Snapshot) putBack(ctx context.Context, run string, before []string) error {
	kept, err := s.Out.List(ctx, trashPrefix(run)+"journey_events/")
	if err != nil {
		return err
	}
	for _, o := range kept {
		if err := s.Out.Copy(ctx, o.Name, strings.TrimPrefix(o.Name, trashPrefix(run))); err != nil {
			return err
		}
	}
	now, err := s.Out.List(ctx, "journey_events/")
	if err != nil {
		return err
	}
	for _, o := range now {
		if !slices.Contains(before, o.Name) {
			if err := s.Out.Delete(ctx, o.Name); err != nil {
				return err
			}
		}
	}
	return nil
}
