package crashtest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// withoutLedger drops the run ledger (_runs/), which every run writes,
// published or not.
func withoutLedger(s state) state {
	out := state{}
	for name, b := range s {
		if !strings.HasPrefix(name, "_runs/") {
			out[name] = b
		}
	}
	return out
}

func sameState(a, b state) bool {
	return maps.EqualFunc(a, b, func(x, y []byte) bool { return string(x) == string(y) })
}

// TestConcurrentPublishOneWins: while one journey process holds the publish
// lock (stopped after its first table), a second one fails with exit code 1
// and a message naming the holder, having written nothing but its ledger
// entry. After the holder is killed, the next run takes the lock over.
func TestConcurrentPublishOneWins(t *testing.T) {
	skipShort(t)
	for _, kind := range []string{"local", "gcs"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, kind, demoData, "")
			w.load(t, baselineOf(t, kind).objects)
			holder := stopAt(t, w, d2, "publish.after:journey_events")
			before := w.state(t)
			lock := before.lock(t)
			res := run(t, w, d1)
			want := fmt.Sprintf("another run (run_id %s, as of %s, pid %d on host %s) is publishing to %s; it started at ",
				lock.RunID, d2, lock.PID, lock.Host, w.root)
			if res.code != 1 || !strings.Contains(res.stderr, want) {
				t.Fatalf("second run: exit %d, stderr:\n%s\nwant exit 1 and %q", res.code, lastLines(res.stderr, 3), want)
			}
			if !sameState(withoutLedger(w.state(t)), withoutLedger(before)) {
				t.Fatal("the run that lost the lock wrote under the output root")
			}
			holder.kill()
			rec := mustRun(t, w, d1)
			s := w.state(t)
			if l := s.lock(t); l.RunID != rec.runID || l.ReleasedAt == nil {
				t.Fatalf("lock %+v after the recovery", l)
			}
			if s.manifest(t, d2) != nil || slices.ContainsFunc(slices.Collect(maps.Keys(s)), func(n string) bool {
				return strings.Contains(n, "snapshot_date="+d2) || strings.Contains(n, "event_month=2025-07")
			}) {
				t.Fatalf("the killed publish of %s left objects", d2)
			}
			base := baselineOf(t, kind)
			for name, b := range base.objects {
				if strings.HasPrefix(name, "journey_events/") && string(s[name]) != string(b) {
					t.Errorf("%s was not restored", name)
				}
			}
			checkManifests(t, s)
		})
	}
}
