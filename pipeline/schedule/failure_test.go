package schedule_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/journeydata/journey/pipeline/schedule"
)

// TestPanicRecoveredAndRetried: a panicking run is a failed run; the date
// stays due and is built at the next fire, and Status says so.
func TestPanicRecoveredAndRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-08")
		w.took = 5 * time.Minute
		w.behave = func(_ context.Context, _, asOf string, attempt int) error {
			if asOf == "2025-06-09" && attempt == 1 {
				panic("index out of range")
			}
			return nil
		}
		cfg := config("30 2 * * *", berlin)
		cfg.FirstDate = "2025-06-08"
		r := w.launch(w.daemon(cfg, "a", nil))
		w.clock.Drive(time.Date(2025, 6, 10, 12, 0, 0, 0, berlin))
		st := r.d.Status()
		if st.Runs != 1 || st.Failures != 1 || !strings.Contains(st.LastError, "build snapshot 2025-06-09: runner panicked: index out of range") {
			t.Errorf("status after the panic: %+v", st)
		}
		w.clock.Drive(time.Date(2025, 6, 11, 12, 0, 0, 0, berlin))
		w.stop(r)
		equal(t, "runs", w.record(berlin, false), []string{
			"2025-06-09@06-10 02:30 CEST!",
			"2025-06-09@06-11 02:30 CEST",
			"2025-06-10@06-11 02:35 CEST",
		})
		checkStatus(t, r.d.Status(), berlin)
	})
}

// checkStatus checks the status after TestPanicRecoveredAndRetried.
func checkStatus(t *testing.T, st schedule.Status, loc *time.Location) {
	t.Helper()
	want := schedule.Status{
		Owner:           "a",
		NextFire:        time.Date(2025, 6, 12, 2, 30, 0, 0, loc),
		LastAsOf:        "2025-06-10",
		LastSuccess:     time.Date(2025, 6, 11, 2, 40, 0, 0, loc),
		LastSuccessAsOf: "2025-06-10",
		LastDuration:    5 * time.Minute,
		LastErrorAt:     time.Date(2025, 6, 10, 2, 35, 0, 0, loc),
		Runs:            3,
		Failures:        1,
	}
	st.LastError = ""
	if !st.NextFire.Equal(want.NextFire) || !st.LastSuccess.Equal(want.LastSuccess) || !st.LastErrorAt.Equal(want.LastErrorAt) {
		t.Errorf("status times: %+v", st)
	}
	st.NextFire, st.LastSuccess, st.LastErrorAt = want.NextFire, want.LastSuccess, want.LastErrorAt
	if st != want {
		t.Errorf("status:\n got %+v\nwant %+v", st, want)
	}
}

// TestRetriesBoundedPerDay: a date that keeps failing is tried at most
// MaxAttempts times per local day, at the fires of that day, and again the
// next day while it stays in the catch-up window.
func TestRetriesBoundedPerDay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-08")
		w.behave = func(_ context.Context, _, asOf string, _ int) error {
			if asOf == "2025-06-09" {
				return errors.New("source unreachable")
			}
			return nil
		}
		cfg := config("*/20 2-4 * * *", berlin)
		cfg.FirstDate, cfg.MaxAttempts = "2025-06-08", 2
		r := w.launch(w.daemon(cfg, "a", nil))
		w.clock.Drive(time.Date(2025, 6, 11, 12, 0, 0, 0, berlin))
		w.stop(r)
		equal(t, "runs", w.record(berlin, false), []string{
			"2025-06-09@06-10 02:00 CEST!",
			"2025-06-09@06-10 02:20 CEST!",
			"2025-06-09@06-11 02:00 CEST!",
			"2025-06-10@06-11 02:00 CEST",
			"2025-06-09@06-11 02:20 CEST!",
		})
		if st := r.d.Status(); !strings.Contains(st.LastError, "build snapshot 2025-06-09: source unreachable") {
			t.Errorf("last error %q", st.LastError)
		}
	})
}

// TestStopWaitsForRun: cancelled during a run, the daemon lets it finish
// within the grace period and starts nothing else.
func TestStopWaitsForRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-06")
		w.took = 10 * time.Minute
		cfg := config("30 2 * * *", berlin)
		cfg.Grace, cfg.MaxCatchUp = 30*time.Minute, 2
		r := w.launch(w.daemon(cfg, "a", nil))
		w.clock.Drive(time.Date(2025, 6, 9, 12, 2, 0, 0, berlin))
		w.stop(r)
		equal(t, "runs", w.record(berlin, false), []string{"2025-06-07@06-09 12:00 CEST"})
		if want := time.Date(2025, 6, 9, 12, 10, 0, 0, berlin); !r.stopped.Equal(want) {
			t.Errorf("stopped at %s, want %s", r.stopped, want)
		}
		if _, _, held := w.locker.Holder(); held {
			t.Error("the lock is still held after the stop")
		}
	})
}

// TestStopCancelsRunAfterGrace: a run that outlives the grace period gets a
// cancelled context; it fails, publishes nothing, and the daemon returns.
func TestStopCancelsRunAfterGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-06")
		w.took = 10 * time.Minute
		cfg := config("30 2 * * *", berlin)
		cfg.Grace, cfg.MaxCatchUp = time.Minute, 2
		r := w.launch(w.daemon(cfg, "a", nil))
		w.clock.Drive(time.Date(2025, 6, 9, 12, 2, 0, 0, berlin))
		w.stop(r)
		equal(t, "runs", w.record(berlin, false), []string{"2025-06-07@06-09 12:00 CEST!"})
		if want := time.Date(2025, 6, 9, 12, 3, 0, 0, berlin); !r.stopped.Equal(want) {
			t.Errorf("stopped at %s, want %s", r.stopped, want)
		}
		st := r.d.Status()
		if !strings.Contains(st.LastError, schedule.ErrGraceExpired.Error()) || st.Failures != 1 || st.Running != "" {
			t.Errorf("status %+v", st)
		}
		if got := w.ledger.Dates(); len(got) != 1 {
			t.Errorf("ledger %v: the cancelled run published", got)
		}
	})
}

// TestLedgerErrorRetriedAtNextFire: an unreadable ledger is reported in
// Status and the daemon tries again at its next fire.
func TestLedgerErrorRetriedAtNextFire(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-07")
		w.ledger.Fail(errors.New("bucket unreachable"))
		cfg := config("30 2 * * *", berlin)
		cfg.FirstDate = "2025-06-07"
		r := w.launch(w.daemon(cfg, "a", nil))
		if st := r.d.Status(); !strings.Contains(st.LastError, "check ledger for 2025-06-07: bucket unreachable") || st.Runs != 0 {
			t.Errorf("status %+v", st)
		}
		w.ledger.Fail(nil)
		w.clock.Drive(time.Date(2025, 6, 10, 12, 0, 0, 0, berlin))
		w.stop(r)
		equal(t, "runs", w.record(berlin, false), []string{"2025-06-08@06-10 02:30 CEST", "2025-06-09@06-10 02:30 CEST"})
	})
}
