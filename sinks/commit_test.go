package sinks

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeydata/journey/store"
)

var events = []string{"journey_events/event_month=2025-05/part-0.parquet", "journey_events/event_month=2025-06/part-0.parquet"}

func TestPublishLayoutAndIdenticalReRun(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			e := newPubEnv(t, root)
			rep := e.mustPublish(t, "r1", "2025-06-30", 0)
			if rep.Uploaded != 7 || !rep.LatestMoved {
				t.Fatalf("first publish: %+v", rep)
			}
			wantObjects(t, root, append(append(events, snapshotObjects("2025-06-30", "r1")...),
				ManifestName("2025-06-30"), LatestName)...)
			m, err := LoadManifest(context.Background(), root, "2025-06-30")
			if err != nil {
				t.Fatal(err)
			}
			checkManifestCRC(t, root, m)
			rep = e.mustPublish(t, "r2", "2025-06-30", 0)
			if rep.Uploaded != 1 || rep.Unchanged != 6 || rep.Withdrawn {
				t.Fatalf("re-run with the same data: %+v, want only the new rejects uploaded", rep)
			}
			wantObjects(t, root, append(append(events, snapshotObjects("2025-06-30", "r2")...),
				ManifestName("2025-06-30"), LatestName)...)
			wantLatest(t, root, "2025-06-30", "r2")
		})
	}
}

// checkManifestCRC compares the manifest's checksums with the objects'.
func checkManifestCRC(t *testing.T, root *Root, m *Manifest) {
	t.Helper()
	for table, st := range m.Tables {
		for _, f := range st.Files {
			info, err := root.Stat(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			var sum uint32
			fmt.Sscanf(st.CRC32C[f], "%x", &sum)
			if same, err := root.sameContent(context.Background(), info, info.Size, sum); err != nil || !same {
				t.Errorf("%s: %s does not have the manifest's CRC32C %s", table, f, st.CRC32C[f])
			}
		}
	}
}

func TestPublishChangedReRunWithdrawsTheSnapshotFirst(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			e := newPubEnv(t, root)
			e.mustPublish(t, "r0", "2025-05-31", 0)
			e.mustPublish(t, "r1", "2025-06-30", 0)
			exec(t, e.db, "UPDATE customer_metrics SET churn_risk = 99")
			f := &faulty{Store: root.Store(), fail: func(n string) bool { return strings.HasPrefix(n, "customer_metrics/") }}
			e.root = NewRoot(f, testPolicy)
			_, err := e.publish(t, "r2", "2025-06-30", 0)
			if err == nil || !strings.Contains(err.Error(), "publish customer_metrics: ") || !strings.Contains(err.Error(), "customer_metrics/snapshot_date=2025-06-30/part-0.parquet: ") {
				t.Fatalf("publish error %v, want one naming the object", err)
			}
			// The changed snapshot was withdrawn before its files changed, and
			// the failed run removed its partitions: 2025-06-30 is not published.
			wantObjects(t, root, append(append(events, snapshotObjects("2025-05-31", "r0")...),
				ManifestName("2025-05-31"), LatestName)...)
			wantLatest(t, root, "2025-05-31", "r0")
			e.root = root
			if rep := e.mustPublish(t, "r3", "2025-06-30", 0); rep.Withdrawn {
				t.Fatalf("nothing to withdraw, but %+v", rep)
			}
			wantLatest(t, root, "2025-06-30", "r3")
			rep := e.mustPublish(t, "r4", "2025-06-30", 0)
			if rep.Withdrawn || rep.Uploaded != 1 {
				t.Fatalf("identical re-run: %+v", rep)
			}
		})
	}
}

func TestPublishFailureOfANewDateLeavesNothing(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			e := newPubEnv(t, root)
			e.mustPublish(t, "r1", "2025-06-30", 0)
			before := contents(t, root)
			// The new version changes a month of journey_events and adds one.
			exec(t, e.db, "UPDATE journey_events SET value = 42 WHERE event_month = '2025-06'",
				"INSERT INTO journey_events SELECT * REPLACE ('2025-07' AS event_month) FROM journey_events WHERE event_month = '2025-06'")
			e.root = NewRoot(&faulty{Store: root.Store(), fail: func(n string) bool { return strings.HasPrefix(n, "kpi_daily/") }}, testPolicy)
			if _, err := e.publish(t, "r2", "2025-07-31", 0); err == nil || !strings.Contains(err.Error(), "kpi_daily/snapshot_date=2025-07-31/part-0.parquet") {
				t.Fatalf("publish error %v, want one naming the object", err)
			}
			after := contents(t, root)
			delete(after, LockName)
			delete(before, LockName)
			if !maps.Equal(after, before) {
				t.Fatalf("a failed publish of a new date left changes:\n%v\nwant\n%v", slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)))
			}
			wantLatest(t, root, "2025-06-30", "r1")
		})
	}
}

func TestPublishBackfillLeavesEventsAndLatest(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			e := newPubEnv(t, root)
			e.mustPublish(t, "r2", "2025-07-31", 0)
			before, _ := root.List(context.Background(), "journey_events/")
			exec(t, e.db, "DELETE FROM journey_events WHERE event_month = '2025-06'")
			e.mustPublish(t, "r1", "2025-06-30", 0)
			after, _ := root.List(context.Background(), "journey_events/")
			if !slices.EqualFunc(before, after, func(a, b store.ObjectInfo) bool { return a.Name == b.Name && a.Generation == b.Generation }) {
				t.Fatalf("a backfill changed journey_events:\n%v\n%v", before, after)
			}
			wantLatest(t, root, "2025-07-31", "r2")
			m, err := LoadManifest(context.Background(), root, "2025-06-30")
			if err != nil || !strings.Contains(m.Tables["journey_events"].Skipped, "newer snapshot 2025-07-31") {
				t.Fatalf("manifest of the backfill: %+v, %v", m.Tables["journey_events"], err)
			}
		})
	}
}

func TestPublishDeletesMonthsTheNewVersionLacks(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			e := newPubEnv(t, root)
			e.mustPublish(t, "r1", "2025-06-30", 0)
			exec(t, e.db, "DELETE FROM journey_events WHERE event_month = '2025-05'")
			if rep := e.mustPublish(t, "r2", "2025-07-31", 0); rep.Deleted != 1 || len(rep.Warnings) > 0 {
				t.Fatalf("report %+v, want the stale month deleted", rep)
			}
			got, _ := root.List(context.Background(), "journey_events/")
			if len(got) != 1 || got[0].Name != events[1] {
				t.Fatalf("journey_events = %v, want only %s", got, events[1])
			}
		})
	}
}

func TestRetention(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			e := newPubEnv(t, root)
			var retired []string
			for i, d := range []string{"2025-06-01", "2025-06-02", "2025-06-03", "2025-06-04"} {
				retired = append(retired, e.mustPublish(t, fmt.Sprint("r", i+1), d, 2).Retired...)
			}
			if !slices.Equal(retired, []string{"2025-06-01", "2025-06-02"}) {
				t.Fatalf("retired %v", retired)
			}
			want := append(append(append(events, snapshotObjects("2025-06-03", "r3")...), snapshotObjects("2025-06-04", "r4")...),
				ManifestName("2025-06-03"), ManifestName("2025-06-04"), LatestName)
			wantObjects(t, root, want...)
			// A backfill keeps itself and the latest, even beyond the limit.
			rep := e.mustPublish(t, "r0", "2025-05-31", 1)
			if !slices.Equal(rep.Retired, []string{"2025-06-03"}) {
				t.Fatalf("backfill with keep 1 retired %v, want only 2025-06-03", rep.Retired)
			}
			dates, _ := PublishedDates(context.Background(), root)
			if !slices.Equal(dates, []string{"2025-05-31", "2025-06-04"}) {
				t.Fatalf("published %v", dates)
			}
		})
	}
}

// TestPublishRetriesAHungUpload: an upload whose request hangs is abandoned
// at its deadline and tried again; a permanent failure is not retried.
func TestPublishRetriesAHungUpload(t *testing.T) {
	root := openTestRoot(t, t.TempDir(), store.Options{})
	var first atomic.Bool
	f := &faulty{Store: root.Store(), hang: func(n string) bool {
		return strings.HasPrefix(n, "customer_metrics/") && !first.Swap(true)
	}}
	e := newPubEnv(t, NewRoot(f, Policy{RequestTimeout: 200 * time.Millisecond, Pause: 10 * time.Millisecond}))
	if rep := e.mustPublish(t, "r1", "2025-06-30", 0); rep.Uploaded != 7 || f.hangs.Load() != 1 {
		t.Fatalf("report %+v after %d hung attempts", rep, f.hangs.Load())
	}
	f.hang = func(n string) bool { return strings.HasPrefix(n, "kpi_daily/") }
	exec(t, e.db, "UPDATE kpi_daily SET customers = 7")
	_, err := e.publish(t, "r2", "2025-07-31", 0)
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("always hanging: %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v does not say it timed out", err)
	}
}

// TestPublishUncleanFailure: a publish whose cleanup fails too abandons its
// lock; so does the next one, which cannot clean up after it either; the
// run after them takes the lock over at once and cleans up after both.
func TestPublishUncleanFailure(t *testing.T) {
	root := openTestRoot(t, t.TempDir(), store.Options{})
	e := newPubEnv(t, root)
	e.mustPublish(t, "r1", "2025-06-30", 0)
	before := contents(t, root)
	exec(t, e.db, "UPDATE journey_events SET value = 42 WHERE event_month = '2025-06'")
	broken := &faulty{Store: root.Store(), fail: func(n string) bool { return strings.HasPrefix(n, "kpi_daily/") }}
	e.root = NewRoot(&noDelete{broken}, testPolicy)
	if _, err := e.publish(t, "r2", "2025-07-31", 0); !errors.Is(err, ErrUnclean) {
		t.Fatalf("error %v, want ErrUnclean", err)
	}
	// The next run takes the lock over but cannot clean up either: it
	// abandons the lock with r2 still pending.
	if _, err := e.publish(t, "r3", "2025-05-31", 0); !errors.Is(err, ErrUnclean) {
		t.Fatalf("error %v, want ErrUnclean", err)
	}
	// A backfill (it leaves journey_events alone) takes the lock over and
	// cleans up after both.
	e.root = root
	rep := e.mustPublish(t, "r4", "2025-05-31", 0)
	if !slices.Equal(rep.Recovered, []string{"r3", "r2"}) {
		t.Fatalf("report %+v, want r2 recovered", rep)
	}
	after := contents(t, root)
	for name := range after {
		if strings.Contains(name, "2025-07") || strings.Contains(name, "r2") || strings.Contains(name, "r3") {
			t.Errorf("%s of the failed run is left", name)
		}
	}
	if after["journey_events/event_month=2025-06/part-0.parquet"] != before["journey_events/event_month=2025-06/part-0.parquet"] {
		t.Error("journey_events was not restored")
	}
}

// noDelete is a store that cannot delete table files.
type noDelete struct{ store.Store }

func (n noDelete) DeletePrefix(ctx context.Context, prefix string) error {
	if !strings.HasPrefix(prefix, "_") {
		return errors.New("delete: 503")
	}
	return n.Store.DeletePrefix(ctx, prefix)
}
