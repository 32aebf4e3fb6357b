package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/journeydata/journey/sinks"
	"github.com/journeydata/journey/store"
)

// History reads the run ledger and the published snapshots of an output
// root: what `journey runs` and `journey status` show, and what backfill and
// the scheduler consult to decide what is due.
type History struct {
	root *sinks.Root
}

// OpenHistory opens the configured output root for reading. Close it.
func OpenHistory(ctx context.Context, cfg *Config) (*History, error) {
	root, err := sinks.OpenRoot(ctx, cfg.Resolve(cfg.Output), sinks.Policy{RequestTimeout: cfg.Publish.RequestTimeout})
	if err != nil {
		return nil, err
	}
	return &History{root: root}, nil
}

// Close releases the output root.
func (h *History) Close() error { return h.root.Close() }

// Complete reports whether the snapshot of asOf is published: its manifest,
// the commit point, exists.
func (h *History) Complete(ctx context.Context, asOf string) (bool, error) {
	_, err := h.root.Stat(ctx, sinks.ManifestName(asOf))
	if errors.Is(err, store.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up snapshot %s: %w", asOf, err)
	}
	return true, nil
}

// Runs returns the recorded runs, newest first (at most limit; 0 = all).
func (h *History) Runs(ctx context.Context, limit int) ([]RunRecord, error) {
	infos, err := h.root.List(ctx, "_runs/")
	if errors.Is(err, store.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	var recs []RunRecord
	for _, o := range infos {
		if !strings.HasSuffix(o.Name, ".json") {
			continue
		}
		b, err := h.root.ReadFile(ctx, o.Name)
		if err != nil {
			return nil, fmt.Errorf("read run record: %w", err)
		}
		var rec RunRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("read run record %s: %w", o.Name, err)
		}
		recs = append(recs, rec)
	}
	slices.SortFunc(recs, func(a, b RunRecord) int {
		return strings.Compare(b.StartedAt+b.RunID, a.StartedAt+a.RunID)
	})
	if limit > 0 && len(recs) > limit {
		recs = recs[:limit]
	}
	return recs, nil
}

// SnapshotState is one date's state: complete, failed (its latest run
// failed and no snapshot is published) or missing.
type SnapshotState struct {
	AsOf   string `json:"as_of"`
	State  string `json:"state"`
	RunID  string `json:"run_id,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// States reports the state of every date.
func (h *History) States(ctx context.Context, dates []string) ([]SnapshotState, error) {
	published, err := sinks.PublishedDates(ctx, h.root)
	if err != nil {
		return nil, err
	}
	runs, err := h.Runs(ctx, 0)
	if err != nil {
		return nil, err
	}
	latest := map[string]RunRecord{}
	for _, r := range runs { // newest first: keep the first seen per date
		if _, seen := latest[r.AsOf]; !seen {
			latest[r.AsOf] = r
		}
	}
	var out []SnapshotState
	for _, d := range dates {
		s := SnapshotState{AsOf: d, State: "missing"}
		r, ran := latest[d]
		switch {
		case slices.Contains(published, d):
			s.State = "complete"
		case ran && r.Status == "failed":
			s.State, s.Detail = "failed", firstLine(r.Error)
		case ran && r.Status == "part" && r.Shard != nil:
			s.Detail = fmt.Sprintf("shard %s of group %s handed over its part; the snapshot is not finalized yet", r.Shard, r.Shard.Group)
		}
		if ran {
			s.RunID = r.RunID
		}
		out = append(out, s)
	}
	return out, nil
}

// Published lists the published snapshot dates, oldest first.
func (h *History) Published(ctx context.Context) ([]string, error) {
	return sinks.PublishedDates(ctx, h.root)
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
