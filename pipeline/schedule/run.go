package schedule

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
)

// runOne runs the snapshot for asOf under lease and records the outcome.
// It returns false if the lease was lost, when no further run may start.
func (d *Daemon) runOne(ctx context.Context, lease Lease, asOf string) bool {
	start := d.deps.Clock.Now()
	d.begin(asOf, start)
	// The run does not see ctx's cancellation: the grace watcher cancels
	// it Config.Grace later, or the lease keeper when the lock is lost.
	runCtx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancel(nil)
	stop := d.supervise(ctx, lease, cancel)
	err := d.safeRun(runCtx, asOf)
	stop()
	cause := context.Cause(runCtx)
	if err != nil {
		if cause != nil {
			err = fmt.Errorf("%w: %w", cause, err)
		}
		err = fmt.Errorf("build snapshot %s: %w", asOf, err)
	}
	d.finish(asOf, start, d.deps.Clock.Now(), err)
	return !errors.Is(cause, ErrLeaseLost)
}

// supervise starts the lease keeper and the grace watcher of one run; the
// returned func stops them and waits for them to end.
func (d *Daemon) supervise(ctx context.Context, lease Lease, cancel context.CancelCauseFunc) func() {
	watch, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	ended := make(chan struct{}, 2)
	go func() {
		d.keepLease(watch, lease, cancel)
		ended <- struct{}{}
	}()
	go func() {
		d.graceStop(ctx, watch, cancel)
		ended <- struct{}{}
	}()
	return func() {
		stopWatch()
		<-ended
		<-ended
	}
}

// keepLease refreshes lease every third of the TTL until watch ends. When
// the lease is lost, or cannot be refreshed before it expires, it cancels
// the run with a cause matching ErrLeaseLost.
func (d *Daemon) keepLease(watch context.Context, lease Lease, cancel context.CancelCauseFunc) {
	every := d.cfg.LockTTL / 3
	lastOK := d.deps.Clock.Now()
	for d.deps.Clock.Sleep(watch, every) == nil {
		err := lease.Refresh(watch)
		now := d.deps.Clock.Now()
		switch {
		case err == nil:
			lastOK = now
		case watch.Err() != nil:
			return
		case errors.Is(err, ErrLeaseLost):
			cancel(fmt.Errorf("refresh schedule lock: %w", err))
			return
		case now.Add(every).Sub(lastOK) >= d.cfg.LockTTL:
			cancel(fmt.Errorf("refresh schedule lock: %w: it expires before the next try: %w", ErrLeaseLost, err))
			return
		default:
			d.deps.Log.Warn().Err(err).Msg("refresh schedule lock; will retry")
		}
	}
}

// graceStop waits for ctx to end during the run, then cancels the run once
// Config.Grace has passed, unless watch ends first.
func (d *Daemon) graceStop(ctx, watch context.Context, cancel context.CancelCauseFunc) {
	select {
	case <-watch.Done():
		return
	case <-ctx.Done():
	}
	d.deps.Log.Info().Dur("grace", d.cfg.Grace).Msg("stopping: waiting for the current run")
	if d.deps.Clock.Sleep(watch, d.cfg.Grace) == nil {
		cancel(fmt.Errorf("stop schedule daemon: %w after %s", ErrGraceExpired, d.cfg.Grace))
	}
}

// safeRun calls the Runner, turning a panic into a *PanicError.
func (d *Daemon) safeRun(ctx context.Context, asOf string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return d.deps.Runner.Run(ctx, asOf)
}
