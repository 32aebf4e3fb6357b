package schedtest

import (
	"context"
	"sync"
	"time"

	"github.com/journeydata/journey/pipeline/schedule"
)

// Locker is an in-memory schedule.Locker that models the real lock object:
// one holder with an expiry read from the shared clock, and a generation
// that changes with every acquisition, so a lease whose lock was taken over
// is lost. Share one Locker between daemons to make them compete.
type Locker struct {
	clock interface{ Now() time.Time }

	mu      sync.Mutex
	held    bool
	holder  string
	gen     int64
	expires time.Time
}

// NewLocker returns an unlocked Locker whose expiries follow clock.
func NewLocker(clock interface{ Now() time.Time }) *Locker {
	return &Locker{clock: clock}
}

// Acquire takes the lock unless another acquisition holds it unexpired.
func (l *Locker) Acquire(ctx context.Context, owner string, ttl time.Duration) (schedule.Lease, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if l.held && now.Before(l.expires) {
		return nil, &schedule.LockedError{Holder: l.holder, Expires: l.expires}
	}
	l.gen++
	l.held, l.holder, l.expires = true, owner, now.Add(ttl)
	return &lease{l: l, gen: l.gen, ttl: ttl}, nil
}

// Holder returns the owner of an unexpired lock and its expiry.
func (l *Locker) Holder() (owner string, expires time.Time, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.held || !l.clock.Now().Before(l.expires) {
		return "", time.Time{}, false
	}
	return l.holder, l.expires, true
}

// Break removes the lock, as an operator deleting the lock object would:
// its lease is lost.
func (l *Locker) Break() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held = false
	l.gen++
}

type lease struct {
	l   *Locker
	gen int64
	ttl time.Duration
}

// Refresh extends the lock if it is still this lease's generation, expired
// or not, like a write with a generation precondition.
func (s *lease) Refresh(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	if !s.l.held || s.l.gen != s.gen {
		return schedule.ErrLeaseLost
	}
	s.l.expires = s.l.clock.Now().Add(s.ttl)
	return nil
}

// Release frees the lock if it is still this lease's generation.
func (s *lease) Release(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	if !s.l.held || s.l.gen != s.gen {
		return schedule.ErrLeaseLost
	}
	s.l.held = false
	return nil
}

// The doubles implement the interfaces they stand in for.
var (
	_ schedule.Clock  = (*Clock)(nil)
	_ schedule.Locker = (*Locker)(nil)
	_ schedule.Ledger = (*Ledger)(nil)
)
