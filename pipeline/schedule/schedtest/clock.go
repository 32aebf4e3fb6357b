// Package schedtest provides test doubles for package schedule: a fake
// Clock that only moves when told, and an in-memory Locker and Ledger whose
// state several daemons can share. Use them inside a testing/synctest bubble
// and let Clock.Drive move time from one sleeper to the next once every
// goroutine has blocked: a simulated week then runs in milliseconds,
// deterministically.
package schedtest

import (
	"context"
	"sync"
	"testing/synctest"
	"time"
)

// Clock is a fake schedule.Clock. Time stands still until Advance, AdvanceTo,
// Step or Drive moves it; sleepers wake when it passes their deadline.
type Clock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers map[*sleeper]struct{}
}

type sleeper struct {
	until time.Time
	wake  chan struct{}
}

// NewClock returns a clock reading start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start, sleepers: map[*sleeper]struct{}{}}
}

// Now returns the clock's reading.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep blocks until the clock has moved d forward or ctx is done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	s := &sleeper{wake: make(chan struct{})}
	c.mu.Lock()
	s.until = c.now.Add(d)
	c.sleepers[s] = struct{}{}
	c.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.sleepers, s)
		c.mu.Unlock()
		return ctx.Err()
	}
}

// Advance moves the clock d forward.
func (c *Clock) Advance(d time.Duration) { c.AdvanceTo(c.Now().Add(d)) }

// AdvanceTo moves the clock to t, if t is later, and wakes the sleepers
// whose deadline has passed.
func (c *Clock) AdvanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	for s := range c.sleepers {
		if !s.until.After(c.now) {
			close(s.wake)
			delete(c.sleepers, s)
		}
	}
}

// NextWake returns the earliest deadline of a sleeper, if any sleeps.
func (c *Clock) NextWake() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next time.Time
	for s := range c.sleepers {
		if next.IsZero() || s.until.Before(next) {
			next = s.until
		}
	}
	return next, !next.IsZero()
}

// Step waits (synctest.Wait) for every goroutine of the bubble to block,
// then moves the clock to the earliest sleeper's deadline. It returns false,
// leaving the clock alone, if nobody sleeps. Call it inside a synctest bubble.
func (c *Clock) Step() bool {
	synctest.Wait()
	next, ok := c.NextWake()
	if ok {
		c.AdvanceTo(next)
	}
	return ok
}

// Drive steps the clock from sleeper to sleeper until end, then moves it to
// end and waits for the bubble to block again. Call it inside a synctest
// bubble.
func (c *Clock) Drive(end time.Time) {
	for {
		synctest.Wait()
		next, ok := c.NextWake()
		if !ok || next.After(end) {
			c.AdvanceTo(end)
			synctest.Wait()
			return
		}
		c.AdvanceTo(next)
	}
}
