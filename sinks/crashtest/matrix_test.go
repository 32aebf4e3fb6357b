package crashtest

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeydata/journey/sinks"
)

// crashCase is one kind of publish that gets killed.
type crashCase struct {
	name   string
	asOf   string
	data   string // the demo data the run reads
	points []string
}

// The fault points; "upload" stands for halfway through the first object
// the case actually uploads (a re-run with unchanged inputs uploads only
// its rejects: every table file is already there, byte for byte).
func crashCases() []crashCase {
	all := func(upload string) []string {
		return []string{"publish.after:journey_events", "publish.after:customer_metrics", upload,
			"publish.before:manifest", "publish.after:manifest"}
	}
	return []crashCase{
		{"next-date", d2, demoData, all("publish.upload:customer_metrics/*")},
		{"rerun", d1, demoData, all("publish.upload:rejects/*")},
		{"rerun-changed", d1, changedData, []string{
			"publish.after:withdraw", "publish.upload:customer_metrics/*", "publish.after:kpi_daily", "publish.after:manifest"}},
	}
}

// TestCrashMatrix publishes D0 and D1, kills a publish of D2 (or a re-run of
// D1) at each fault point, checks what a reader sees, and then checks that
// a run without the fault completes and cleans up. Local and gs:// alike.
func TestCrashMatrix(t *testing.T) {
	skipShort(t)
	for _, kind := range []string{"local", "gcs"} {
		for _, c := range crashCases() {
			for _, point := range c.points {
				t.Run(kind+"/"+c.name+"/"+point, func(t *testing.T) {
					t.Parallel()
					crash(t, kind, c, point)
				})
			}
		}
	}
}

func crash(t *testing.T, kind string, c crashCase, point string) {
	base := baselineOf(t, kind)
	w := newWorld(t, kind, c.data, "")
	w.load(t, base.objects)
	killAt(t, w, c.asOf, point)
	killed := w.state(t)
	killedRun := killed.lock(t).RunID
	t.Logf("after the kill: %d objects (%d before), %d hidden temporary files, latest %s",
		len(killed), len(base.objects), len(w.temps(t)), killed.latest(t).AsOf)
	checkAfterKill(t, base, c, point, killed)
	res := mustRun(t, w, c.asOf)
	s := w.state(t)
	checkAfterRecovery(t, w, base, c, s, res.runID)
	checkNoLeftovers(t, w, s, killedRun)
	checkEventFiles(t, base, killed, s)
}

// checkAfterKill: the snapshots published before are intact and readable,
// no object is partial, _latest.json names a complete snapshot, and the
// killed run still holds the lock.
func checkAfterKill(t *testing.T, base *baseline, c crashCase, point string, s state) {
	t.Helper()
	dir := s.dir(t)
	checkReadable(t, s, dir)
	if l := s.lock(t); l.ReleasedAt != nil || l.RunID == base.runs[d1] {
		t.Errorf("lock %+v, want the killed run's", l)
	}
	checkSnapshot(t, s, dir, base, d0, true)
	committed := point == "publish.after:manifest"
	latest := s.latest(t)
	switch c.name {
	case "next-date":
		checkSnapshot(t, s, dir, base, d1, true)
		if (s.manifest(t, d2) != nil) != committed {
			t.Errorf("manifest of %s present: %v, want %v", d2, s.manifest(t, d2) != nil, committed)
		}
	case "rerun":
		checkSnapshot(t, s, dir, base, d1, !committed)
	case "rerun-changed":
		if (s.manifest(t, d1) != nil) != committed {
			t.Errorf("manifest of the changed %s present: %v, want it withdrawn until the commit", d1, !committed)
		}
	}
	want := base.objects[sinks.LatestName]
	if c.name == "rerun-changed" {
		if latest.AsOf != d0 {
			t.Errorf("latest %+v, want %s while %s is withdrawn", latest, d0, d1)
		}
	} else if !bytes.Equal(s[sinks.LatestName], want) {
		t.Errorf("latest %s, want it unchanged", s[sinks.LatestName])
	}
	if s.manifest(t, latest.AsOf) == nil {
		t.Errorf("latest names %s, which has no manifest", latest.AsOf)
	}
}

// checkAfterRecovery: the run without the fault published its snapshot
// and left the others as they were.
func checkAfterRecovery(t *testing.T, w *world, base *baseline, c crashCase, s state, run string) {
	t.Helper()
	dir := s.dir(t)
	checkReadable(t, s, dir)
	checkManifests(t, s)
	checkSnapshot(t, s, dir, base, d0, true)
	if l := s.latest(t); l.AsOf != c.asOf || l.RunID != run {
		t.Errorf("latest %+v, want %s of %s", l, run, c.asOf)
	}
	if m := s.manifest(t, c.asOf); m == nil || m.RunID != run {
		t.Fatalf("manifest of %s: %+v, want run %s", c.asOf, m, run)
	}
	switch c.name {
	case "next-date":
		checkSnapshot(t, s, dir, base, d1, true)
	case "rerun":
		checkSnapshot(t, s, dir, base, d1, false)
	case "rerun-changed":
		if got := snapshotRows(t, dir, d1, run); reflect.DeepEqual(got["customer_metrics"], base.rows[d1]["customer_metrics"]) {
			t.Error("the changed input did not change the snapshot")
		}
	}
}

// checkNoLeftovers: the lock is released, and nothing of the killed run is
// left: no staging or work folder, no temporary file, no rejects.
func checkNoLeftovers(t *testing.T, w *world, s state, killedRun string) {
	t.Helper()
	if l := s.lock(t); l.ReleasedAt == nil {
		t.Errorf("lock %+v not released", l)
	}
	if temps := w.temps(t); len(temps) > 0 {
		t.Errorf("temporary files left: %v", temps)
	}
	if entries, _ := os.ReadDir(w.work); len(entries) > 0 {
		t.Errorf("work folder not empty: %v", entries)
	}
	if slices.Contains(s.runPartitions(), killedRun) {
		t.Errorf("the killed run's rejects are still published")
	}
}

// checkEventFiles: every journey_events month seen after the kill was
// whole, the baseline's version or the recovered run's, and the recovered
// table is exactly the files its manifest lists.
func checkEventFiles(t *testing.T, base *baseline, killed, s state) {
	t.Helper()
	for name, b := range killed {
		if strings.HasPrefix(name, "journey_events/") && !bytes.Equal(b, base.objects[name]) && !bytes.Equal(b, s[name]) {
			t.Errorf("%s after the kill is neither the old nor the new version", name)
		}
	}
	var have []string
	for name := range s {
		if strings.HasPrefix(name, "journey_events/") {
			have = append(have, name)
		}
	}
	slices.Sort(have)
	if m := s.manifest(t, s.latest(t).AsOf); !slices.Equal(have, m.Tables["journey_events"].Files) {
		t.Errorf("journey_events holds %v, the latest manifest lists %v", have, m.Tables["journey_events"].Files)
	}
}
