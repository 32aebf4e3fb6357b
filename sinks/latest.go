package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/journeydata/journey/store"
)

// LatestName is the pointer to the newest complete snapshot under the root.
const LatestName = "_latest.json"

// Latest is the content of LatestName. It always names a snapshot whose
// manifest exists, and it only moves forward in as-of date: a backfill of
// an older date leaves it alone.
type Latest struct {
	AsOf  string `json:"as_of"`
	RunID string `json:"run_id"`
	// Manifest is the manifest's name under the root.
	Manifest string `json:"manifest"`
}

// ReadLatest returns the latest pointer; false when there is none yet.
func ReadLatest(ctx context.Context, root *Root) (Latest, bool, error) {
	l, _, err := readLatest(ctx, root)
	if errors.Is(err, store.ErrNotExist) {
		return Latest{}, false, nil
	}
	return l, err == nil, err
}

// readLatest returns the pointer and its generation.
func readLatest(ctx context.Context, root *Root) (Latest, int64, error) {
	b, gen, err := root.readVersion(ctx, LatestName)
	if err != nil {
		return Latest{}, 0, err
	}
	var l Latest
	if err := json.Unmarshal(b, &l); err != nil {
		return Latest{}, 0, fmt.Errorf("read %s: %w", LatestName, err)
	}
	return l, gen, nil
}

// pointLatest makes the pointer name the snapshot m of asOf, on the
// generation read (gen 0: there was none).
func pointLatest(ctx context.Context, root *Root, asOf, runID string, gen int64) error {
	b, _ := json.MarshalIndent(Latest{AsOf: asOf, RunID: runID, Manifest: ManifestName(asOf)}, "", "  ")
	opts := store.WriteOptions{IfGenerationMatch: gen, IfNotExist: gen == 0, ContentType: "application/json"}
	if err := root.WriteFile(ctx, LatestName, append(b, '\n'), opts); err != nil {
		return fmt.Errorf("point %s at %s: %w", LatestName, asOf, err)
	}
	return nil
}

// moveLatest points the pointer at asOf unless it names a newer snapshot;
// it reports whether it moved.
func moveLatest(ctx context.Context, root *Root, asOf, runID string) (bool, error) {
	cur, gen, err := readLatest(ctx, root)
	if err != nil && !errors.Is(err, store.ErrNotExist) {
		return false, err
	}
	if err == nil && cur.AsOf > asOf {
		return false, nil
	}
	return true, pointLatest(ctx, root, asOf, runID, gen)
}

// retreatLatest is called before the manifest of asOf is withdrawn: if the
// pointer names asOf, it is pointed at the newest other published snapshot,
// or removed when there is none, so that it never names a snapshot without
// a manifest.
func retreatLatest(ctx context.Context, root *Root, asOf string) error {
	cur, gen, err := readLatest(ctx, root)
	if errors.Is(err, store.ErrNotExist) || err == nil && cur.AsOf != asOf {
		return nil
	}
	if err != nil {
		return err
	}
	dates, err := PublishedDates(ctx, root)
	if err != nil {
		return err
	}
	for i := len(dates) - 1; i >= 0; i-- {
		if dates[i] == asOf {
			continue
		}
		m, err := LoadManifest(ctx, root, dates[i])
		if err != nil {
			return err
		}
		return pointLatest(ctx, root, dates[i], m.RunID, gen)
	}
	return root.Delete(ctx, LatestName)
}
