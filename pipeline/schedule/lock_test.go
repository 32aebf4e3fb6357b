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

// TestSecondDaemonWaitsForLock: two daemons on one lock build every date
// once and never at the same time; the one waiting reports the holder.
func TestSecondDaemonWaitsForLock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-08")
		w.took = 2 * time.Hour
		cfg := config("30 2 * * *", berlin)
		cfg.FirstDate = "2025-06-08"
		a, b := w.launch(w.daemon(cfg, "a", nil)), w.launch(w.daemon(cfg, "b", nil))

		w.clock.Drive(time.Date(2025, 6, 10, 3, 30, 0, 0, berlin))
		holder := w.runs[0].owner
		waiter := map[string]*running{"a": b, "b": a}[holder]
		if got := waiter.d.Status().LockHolder; got != holder {
			t.Errorf("the waiting daemon reports holder %q, want %q", got, holder)
		}
		w.clock.Drive(time.Date(2025, 6, 11, 12, 0, 0, 0, berlin))
		w.stop(a, b)

		equal(t, "dates", w.dates(), []string{"2025-06-09", "2025-06-10"})
		if w.maxIn != 1 {
			t.Errorf("%d runs at once", w.maxIn)
		}
		if got := waiter.d.Status().LockHolder; got != "" {
			t.Errorf("after the work is done the waiter still reports holder %q", got)
		}
	})
}

// frozenLocker hands out leases that never refresh: their daemon has
// "crashed" while holding the lock.
type frozenLocker struct{ schedule.Locker }

func (f frozenLocker) Acquire(ctx context.Context, owner string, ttl time.Duration) (schedule.Lease, error) {
	l, err := f.Locker.Acquire(ctx, owner, ttl)
	if err != nil {
		return nil, err
	}
	return frozenLease{l}, nil
}

type frozenLease struct{ schedule.Lease }

func (frozenLease) Refresh(context.Context) error { return nil }

// TestTakeOverAfterLockExpires: the first daemon hangs in its run and stops
// refreshing; the second takes over when the lock expires, one TTL later.
func TestTakeOverAfterLockExpires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-07")
		w.took = time.Hour
		w.behave = func(ctx context.Context, owner, _ string, _ int) error {
			if owner == "a" {
				<-ctx.Done()
				return ctx.Err()
			}
			return nil
		}
		cfg := config("30 2 * * *", berlin)
		cfg.FirstDate = "2025-06-08"
		a := w.launch(w.daemon(cfg, "a", frozenLocker{w.locker}))
		b := w.launch(w.daemon(cfg, "b", nil))
		w.clock.Drive(time.Date(2025, 6, 9, 18, 0, 0, 0, berlin))
		if st := a.d.Status(); st.Running != "2025-06-08" {
			t.Errorf("the crashed daemon is not stuck in its run: %+v", st)
		}
		w.stop(a, b)
		equal(t, "runs", w.record(berlin, true), []string{
			"2025-06-08@06-09 12:00 CEST! by a", // hung; cancelled when stopped
			"2025-06-08@06-09 12:10 CEST by b",  // the lock expired after its 10m TTL
		})
		if got := w.ledger.Dates(); len(got) != 2 || got[1] != "2025-06-08" {
			t.Errorf("ledger %v", got)
		}
	})
}

// TestLeaseLostCancelsRun: when the lock is taken away, the run is
// cancelled at the next refresh and no further date starts; the dates are
// run again at the next fire.
func TestLeaseLostCancelsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-06")
		w.took = 2 * time.Hour
		cfg := config("30 2 * * *", berlin)
		cfg.MaxCatchUp = 2
		r := w.launch(w.daemon(cfg, "a", nil))
		w.clock.Drive(time.Date(2025, 6, 9, 12, 30, 0, 0, berlin))
		w.locker.Break()
		w.clock.Drive(time.Date(2025, 6, 9, 13, 0, 0, 0, berlin))
		st := r.d.Status()
		if !strings.Contains(st.LastError, schedule.ErrLeaseLost.Error()) || st.LastDuration != 33*time.Minute+20*time.Second {
			t.Errorf("status after the lock was lost: %+v", st)
		}
		w.clock.Drive(time.Date(2025, 6, 10, 12, 0, 0, 0, berlin))
		w.stop(r)
		equal(t, "runs", w.record(berlin, false), []string{
			"2025-06-07@06-09 12:00 CEST!",
			"2025-06-08@06-10 02:30 CEST", // 2025-06-07 has left the 2-date window
			"2025-06-09@06-10 04:30 CEST",
		})
		if !errors.Is(w.runs[0].err, context.Canceled) {
			t.Errorf("the runner saw %v, want context.Canceled", w.runs[0].err)
		}
	})
}

// flakyLocker fails Acquire while acquireErr is set, and every Refresh of
// its leases while refreshErr is set.
type flakyLocker struct {
	schedule.Locker
	acquireErr, refreshErr error
}

func (f *flakyLocker) Acquire(ctx context.Context, owner string, ttl time.Duration) (schedule.Lease, error) {
	if f.acquireErr != nil {
		return nil, f.acquireErr
	}
	l, err := f.Locker.Acquire(ctx, owner, ttl)
	if err != nil {
		return nil, err
	}
	return flakyLease{Lease: l, f: f}, nil
}

type flakyLease struct {
	schedule.Lease
	f *flakyLocker
}

func (l flakyLease) Refresh(ctx context.Context) error {
	if l.f.refreshErr != nil {
		return l.f.refreshErr
	}
	return l.Lease.Refresh(ctx)
}

// TestLockErrors: an unreachable lock is reported and retried at the next
// fire; a lease that cannot be refreshed before it expires cancels the run.
func TestLockErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-07")
		w.took = time.Hour
		locker := &flakyLocker{Locker: w.locker, acquireErr: errors.New("bucket unreachable")}
		cfg := config("30 2 * * *", berlin)
		cfg.FirstDate, cfg.LockTTL = "2025-06-07", 9*time.Minute
		r := w.launch(w.daemon(cfg, "a", locker))
		if st := r.d.Status(); st.LastError != "acquire schedule lock: bucket unreachable" || st.Runs != 0 {
			t.Errorf("status %+v", st)
		}
		locker.acquireErr, locker.refreshErr = nil, errors.New("503 service unavailable")
		w.clock.Drive(time.Date(2025, 6, 10, 2, 40, 0, 0, berlin))
		st := r.d.Status()
		if !strings.Contains(st.LastError, "refresh schedule lock: schedule lock lost: it expires before the next try: 503") || st.LastDuration != 6*time.Minute {
			t.Errorf("status after failed refreshes: %+v", st)
		}
		w.stop(r)
		equal(t, "runs", w.record(berlin, false), []string{"2025-06-08@06-10 02:30 CEST!"})
	})
}
