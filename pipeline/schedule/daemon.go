package schedule

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/journeydata/journey/internal/check"
	"github.com/rs/zerolog"
)

// maxNap is the longest the daemon sleeps without reading the clock again,
// so that a wall-clock step (NTP, a resumed VM) delays a fire by at most this.
const maxNap = 10 * time.Minute

// Deps are what a Daemon works with. All but Log are required.
type Deps struct {
	Clock  Clock
	Ledger Ledger
	Locker Locker
	Runner Runner
	// Owner names this process in the lock; unique per process, e.g.
	// "host-a/4711".
	Owner string
	// Log receives one event per run and per error; the zero value discards.
	Log zerolog.Logger
}

// Daemon runs the snapshots a Schedule makes due; see the package
// documentation for its rules.
type Daemon struct {
	cfg     Config
	sched   *Schedule
	deps    Deps
	running atomic.Bool

	mu       sync.Mutex
	st       Status
	attempts map[string]attempt
}

// New validates cfg (after defaults) and deps without any I/O. A
// *check.Error lists every configuration problem.
func New(cfg Config, deps Deps) (*Daemon, error) {
	cfg = cfg.WithDefaults()
	l := check.NewList().Under("schedule")
	cfg.Validate(l)
	if err := l.Err(); err != nil {
		return nil, err
	}
	if deps.Clock == nil || deps.Ledger == nil || deps.Locker == nil || deps.Runner == nil {
		return nil, errors.New("new schedule daemon: clock, ledger, locker and runner are required")
	}
	if deps.Owner == "" {
		return nil, errors.New("new schedule daemon: no lock owner name")
	}
	sched, err := NewSchedule(cfg.Cron, cfg.Location)
	if err != nil {
		return nil, fmt.Errorf("new schedule daemon: %w", err)
	}
	d := &Daemon{cfg: cfg, sched: sched, deps: deps, attempts: map[string]attempt{}}
	d.st.Owner = deps.Owner
	return d, nil
}

// Schedule returns the daemon's schedule.
func (d *Daemon) Schedule() *Schedule { return d.sched }

// Run catches up at once, then wakes at every fire until ctx is cancelled.
// Then it starts nothing new, lets the current run finish within
// Config.Grace (cancelling it after that), releases the lock and returns
// nil. Errors of runs, the ledger and the lock are logged and kept in
// Status, never returned: the daemon keeps going. Run returns an error only
// if the daemon is already running.
func (d *Daemon) Run(ctx context.Context) error {
	if !d.running.CompareAndSwap(false, true) {
		return errors.New("run schedule daemon: already running")
	}
	defer d.running.Store(false)
	d.deps.Log.Info().Str("schedule", d.sched.String()).Str("owner", d.deps.Owner).Msg("schedule started")
	for ctx.Err() == nil {
		checked := d.deps.Clock.Now()
		next := d.sched.Next(checked)
		d.setNext(next)
		retry := d.tick(ctx, checked)
		if err := d.sleepUntil(ctx, earliest(next, retry)); err != nil {
			break
		}
	}
	d.deps.Log.Info().Msg("schedule stopped")
	return nil
}

// tick runs what is due at now. It returns when to try again before the
// next fire (the lock holder's expiry), or the zero time.
func (d *Daemon) tick(ctx context.Context, now time.Time) time.Time {
	due, err := d.pending(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			d.noteError(err)
		}
		return time.Time{}
	}
	if len(due) == 0 {
		d.setLockHolder("")
		return time.Time{}
	}
	lease, retry := d.acquire(ctx, now)
	if lease == nil {
		return retry
	}
	d.work(ctx, lease, due)
	if err := lease.Release(context.WithoutCancel(ctx)); err != nil {
		// The lock then stays until it expires: other daemons are delayed
		// by at most the TTL, so this is a warning, not the daemon's error.
		d.deps.Log.Warn().Err(err).Msg("release schedule lock")
	}
	return time.Time{}
}

// acquire takes the lock. Without it, it returns a nil Lease and when to
// try again: the holder's expiry, or the zero time (the next fire) after an
// error.
func (d *Daemon) acquire(ctx context.Context, now time.Time) (Lease, time.Time) {
	lease, err := d.deps.Locker.Acquire(ctx, d.deps.Owner, d.cfg.LockTTL)
	var locked *LockedError
	switch {
	case errors.As(err, &locked):
		d.setLockHolder(locked.Holder)
		d.deps.Log.Info().Str("holder", locked.Holder).Time("expires", locked.Expires).Msg("schedule lock is held; waiting")
		return nil, later(locked.Expires, now.Add(time.Second))
	case err != nil:
		if ctx.Err() == nil {
			d.noteError(fmt.Errorf("acquire schedule lock: %w", err))
		}
		return nil, time.Time{}
	}
	d.setLockHolder("")
	return lease, time.Time{}
}

// pending returns the due dates, oldest first, that are incomplete and
// have runs left today.
func (d *Daemon) pending(ctx context.Context, now time.Time) ([]string, error) {
	window := d.sched.Due(now, d.cfg.MaxCatchUp)
	d.forgetAttempts(window)
	var dates []string
	for _, asOf := range window {
		if asOf >= d.cfg.FirstDate && d.canAttempt(asOf, now) {
			dates = append(dates, asOf)
		}
	}
	return Pending(ctx, d.deps.Ledger, dates)
}

// work runs the dates one by one under lease, re-checking the ledger under
// the lock, until ctx is cancelled or the lease is lost.
func (d *Daemon) work(ctx context.Context, lease Lease, dates []string) {
	for _, asOf := range dates {
		if ctx.Err() != nil {
			return
		}
		done, err := d.deps.Ledger.Complete(ctx, asOf)
		if err != nil {
			if ctx.Err() == nil {
				d.noteError(fmt.Errorf("check ledger for %s: %w", asOf, err))
			}
			return
		}
		if !done && !d.runOne(ctx, lease, asOf) {
			return
		}
	}
}

// sleepUntil sleeps until wake (forever if zero), re-reading the clock at
// least every maxNap; it returns ctx's error if ctx ends first.
func (d *Daemon) sleepUntil(ctx context.Context, wake time.Time) error {
	for {
		left := maxNap
		if !wake.IsZero() {
			left = min(wake.Sub(d.deps.Clock.Now()), maxNap)
		}
		if left <= 0 {
			return ctx.Err()
		}
		if err := d.deps.Clock.Sleep(ctx, left); err != nil {
			return err
		}
	}
}

// earliest returns the earlier of two instants, ignoring zero ones.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// later returns the later of two instants.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
