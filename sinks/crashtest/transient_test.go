package crashtest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// gcsWorld is a gs:// world with the baseline published, whose journey
// processes talk to GCS through a proxy injecting faults.
func gcsWorld(t *testing.T, publish string, faults ...*fault) (*world, *proxy) {
	t.Helper()
	p, host := newProxy(t, faults...)
	w := newWorld(t, "gcs", demoData, publish)
	w.proxied(host)
	w.load(t, baselineOf(t, "gcs").objects)
	return w, p
}

// checkPublished: D2 is published and D0, D1 are as they were.
func checkPublished(t *testing.T, w *world, run string) {
	t.Helper()
	s := w.state(t)
	dir := s.dir(t)
	checkReadable(t, s, dir)
	checkManifests(t, s)
	base := baselineOf(t, "gcs")
	checkSnapshot(t, s, dir, base, d0, true)
	checkSnapshot(t, s, dir, base, d1, true)
	if l := s.latest(t); l.AsOf != d2 || l.RunID != run {
		t.Errorf("latest %+v, want %s of %s", l, run, d2)
	}
	if l := s.lock(t); l.ReleasedAt == nil {
		t.Errorf("lock %+v not released", l)
	}
}

// TestTransientGCSErrors: the first requests of every kind fail with 503;
// the store's retries with backoff carry the run through.
func TestTransientGCSErrors(t *testing.T) {
	skipShort(t)
	t.Parallel()
	var faults []*fault
	for _, kind := range []string{"upload", "stat", "read", "list", "delete"} {
		faults = append(faults, &fault{kind: kind, times: 2, status: 503})
	}
	w, _ := gcsWorld(t, "request_timeout: 20s", faults...)
	res := mustRun(t, w, d2)
	for _, f := range faults {
		if f.hits != f.times {
			t.Errorf("%s: %d of %d failures injected", f.kind, f.hits, f.times)
		}
	}
	checkPublished(t, w, res.runID)
}

// TestGCSRequestsPastTheirDeadline: uploads that land but whose response
// comes after the deadline, and a metadata request that hangs, are
// abandoned at publish.request_timeout and tried again; the retried upload
// fails its precondition (the object changed: it is ours) and is recognised
// as landed by its CRC32C.
func TestGCSRequestsPastTheirDeadline(t *testing.T) {
	skipShort(t)
	t.Parallel()
	late := &fault{kind: "upload", match: "journey_events/", times: 2, delay: 4 * time.Second}
	hung := &fault{kind: "stat", match: "_manifests/", times: 1, delay: 4 * time.Second}
	w, p := gcsWorld(t, "request_timeout: 1s", late, hung)
	res := mustRun(t, w, d2)
	if late.hits != 2 || hung.hits != 1 {
		t.Fatalf("late uploads %d, hung stats %d: the faults were not hit", late.hits, hung.hits)
	}
	if _, n := p.counts("upload", "out/journey_events/event_month=2025-07/part-0.parquet"); n < 2 {
		t.Errorf("the late upload was sent %d times, want a retry", n)
	}
	checkPublished(t, w, res.runID)
}

// TestPermanentGCSFailures: uploads of customer_metrics always fail (503 or
// 403): the run fails with exit 1 and an error naming the object, and
// nothing of D2 is left published; the previous snapshots, journey_events
// and _latest.json are as they were, and the lock is released.
func TestPermanentGCSFailures(t *testing.T) {
	skipShort(t)
	for _, status := range []int{503, 403} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			w, _ := gcsWorld(t, "request_timeout: 1s", &fault{kind: "upload", match: "customer_metrics/", times: -1, status: status})
			start := time.Now()
			res := run(t, w, d2)
			object := "customer_metrics/snapshot_date=" + d2 + "/part-0.parquet"
			// A 403 is final at once. A 503 is retried until each attempt's
			// deadline, after which the client reports the deadline, not the
			// status (the multipart upload does not keep its last response).
			why := map[int]string{503: "gave up after 3 attempts", 403: "Error 403"}[status]
			if res.code != 1 || !strings.Contains(res.stderr, object) || !strings.Contains(res.stderr, why) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 naming %s and %q", res.code, lastLines(res.stderr, 3), object, why)
			}
			t.Logf("failed after %s: %s", time.Since(start).Round(100*time.Millisecond), lastLines(res.stderr, 1))
			s := w.state(t)
			if l := s.lock(t); l.ReleasedAt == nil {
				t.Errorf("lock %+v not released", l)
			}
			delete(s, "_locks/publish.json")
			base := withoutLedger(baselineOf(t, "gcs").objects)
			delete(base, "_locks/publish.json")
			if !sameState(withoutLedger(s), base) {
				t.Errorf("the failed run left changes under the output root")
			}
		})
	}
}
