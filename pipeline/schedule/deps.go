package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Clock is the daemon's only source of time.
type Clock interface {
	// Now returns the current instant.
	Now() time.Time
	// Sleep blocks until d has passed, returning nil, or until ctx is done,
	// returning ctx.Err(). A d of zero or less returns ctx.Err() at once.
	Sleep(ctx context.Context, d time.Duration) error
}

// Ledger says which snapshots are published.
type Ledger interface {
	// Complete reports whether the snapshot for business date asOf
	// (YYYY-MM-DD) is published and complete. A failed or partial run is not
	// complete. An error means the ledger could not be read; the daemon then
	// tries again at its next wake.
	Complete(ctx context.Context, asOf string) (bool, error)
}

// Runner builds and publishes snapshots.
type Runner interface {
	// Run builds and publishes the snapshot for business date asOf
	// (YYYY-MM-DD) and returns nil once it is complete in the Ledger. When
	// ctx is cancelled it must return promptly and publish nothing partial.
	// Calls are never concurrent within one daemon. A panic in Run's own
	// goroutine is recovered and counted as a failed run; goroutines Run
	// starts must recover their own.
	Run(ctx context.Context, asOf string) error
}

// Locker is the lock that keeps two daemons from running at once.
type Locker interface {
	// Acquire takes the lock for owner (unique per process, e.g. host/pid)
	// for ttl. If another owner holds an unexpired lock it returns a
	// *LockedError, which matches ErrLocked; any other error means the lock
	// could not be read or written. Implementations bound their own I/O:
	// the daemon calls Release with a context that is never cancelled.
	Acquire(ctx context.Context, owner string, ttl time.Duration) (Lease, error)
}

// Lease is a held lock.
type Lease interface {
	// Refresh extends the lease by its TTL from now. It returns an error
	// matching ErrLeaseLost if the lock has since been taken by another owner
	// or removed; other errors are taken as transient.
	Refresh(ctx context.Context) error
	// Release gives the lock up. Releasing a lost lease matches ErrLeaseLost
	// and leaves the new holder's lock alone.
	Release(ctx context.Context) error
}

// ErrLocked matches a *LockedError from Locker.Acquire.
var ErrLocked = errors.New("schedule lock is held")

// ErrLeaseLost matches Lease errors once another owner holds the lock, and
// the cause of a run cancelled because its lease could not be kept.
var ErrLeaseLost = errors.New("schedule lock lost")

// ErrGraceExpired is the cause of a run cancelled because the daemon was
// stopped and the run outlived Config.Grace.
var ErrGraceExpired = errors.New("grace period expired")

// LockedError says who holds the lock and until when.
type LockedError struct {
	Holder  string
	Expires time.Time
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("schedule lock is held by %s until %s", e.Holder, e.Expires.Format(time.RFC3339))
}

// Is makes a *LockedError match ErrLocked.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// PanicError is a recovered Runner panic.
type PanicError struct {
	Value any    // what the Runner panicked with
	Stack []byte // the goroutine's stack at the panic
}

func (e *PanicError) Error() string { return fmt.Sprintf("runner panicked: %v", e.Value) }
