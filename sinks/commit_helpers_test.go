package sinks

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/store"
)

// pubEnv publishes snapshots of a DuckDB holding every declared table (one
// sample row each; journey_events in the months 2025-05 and 2025-06).
type pubEnv struct {
	root *Root
	db   *duck.DB
	work string
}

func newPubEnv(t *testing.T, root *Root) *pubEnv {
	t.Helper()
	db := openDB(t)
	for _, tbl := range Tables() {
		createDeclared(t, db, tbl)
	}
	exec(t, db, "UPDATE journey_events SET event_month = '2025-05'",
		"INSERT INTO journey_events SELECT * REPLACE ('2025-06' AS event_month) FROM journey_events")
	return &pubEnv{root: root, db: db, work: t.TempDir()}
}

// publish writes and commits one snapshot under the lock, as the pipeline
// does, and releases the lock unless the commit was unclean.
func (e *pubEnv) publish(t *testing.T, run, asOf string, keep int) (Report, error) {
	t.Helper()
	ctx := context.Background()
	snap := Snapshot{Out: e.root, Staging: filepath.Join(e.work, run), RunID: run, AsOf: asOf, KeepSnapshots: keep}
	stats, err := snap.Write(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := AcquireLock(ctx, e.root, LockRequest{RunID: run, AsOf: asOf, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := snap.Commit(ctx, lock, &Manifest{RunID: run, AsOf: asOf, Status: "complete", Tables: stats})
	done := lock.Release
	if errors.Is(err, ErrUnclean) {
		done = lock.Abandon
	}
	if lerr := done(ctx); lerr != nil {
		t.Fatal(lerr)
	}
	return rep, err
}

// mustPublish is publish for a publish that must succeed.
func (e *pubEnv) mustPublish(t *testing.T, run, asOf string, keep int) Report {
	t.Helper()
	rep, err := e.publish(t, run, asOf, keep)
	if err != nil {
		t.Fatalf("publish %s of %s: %v", run, asOf, err)
	}
	return rep
}

// snapshotObjects are the objects of one snapshot's partitions.
func snapshotObjects(asOf, run string) []string {
	var names []string
	for _, t := range Tables() {
		switch t.Partition {
		case BySnapshot:
			names = append(names, t.Name+"/snapshot_date="+asOf+"/part-0.parquet")
		case ByRun:
			names = append(names, t.Name+"/run_id="+run+"/part-0.parquet")
		}
	}
	return names
}

// wantObjects fails unless the root holds exactly want plus the lock.
func wantObjects(t *testing.T, r *Root, want ...string) {
	t.Helper()
	want = append(want, LockName)
	slices.Sort(want)
	if got := objects(t, r); !slices.Equal(got, want) {
		t.Fatalf("objects under the root:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// wantLatest fails unless _latest.json names asOf and run.
func wantLatest(t *testing.T, r *Root, asOf, run string) {
	t.Helper()
	l, ok, err := ReadLatest(context.Background(), r)
	if err != nil || !ok || l.AsOf != asOf || l.RunID != run || l.Manifest != ManifestName(asOf) {
		t.Fatalf("latest = %+v (%v, %v), want %s of %s", l, ok, err, run, asOf)
	}
}

// faulty wraps a store: uploads of names that match fail, or hang until
// their context ends (the first hangs times only).
type faulty struct {
	store.Store
	fail  func(name string) bool
	hang  func(name string) bool
	hangs atomic.Int32
}

func (f *faulty) NewWriter(ctx context.Context, name string, opts store.WriteOptions) (store.Writer, error) {
	if f.fail != nil && f.fail(name) {
		return nil, fmt.Errorf("store: write %s: googleapi: Error 403: forbidden", name)
	}
	if f.hang != nil && f.hang(name) {
		f.hangs.Add(1)
		<-ctx.Done()
		return nil, fmt.Errorf("store: write %s: %w", name, ctx.Err())
	}
	return f.Store.NewWriter(ctx, name, opts)
}
