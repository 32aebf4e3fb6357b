package schedtest_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/journeydata/journey/pipeline/schedule"
	"github.com/journeydata/journey/pipeline/schedule/schedtest"
)

var t0 = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func TestClockWakesSleepersInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := schedtest.NewClock(t0)
		woke := make(chan time.Duration, 3)
		for _, d := range []time.Duration{3 * time.Hour, time.Hour, 2 * time.Hour} {
			go func() {
				if c.Sleep(context.Background(), d) == nil {
					woke <- d
				}
			}()
		}
		for want := time.Hour; want <= 3*time.Hour; want += time.Hour {
			if !c.Step() {
				t.Fatal("nobody sleeps")
			}
			if got := <-woke; got != want || !c.Now().Equal(t0.Add(want)) {
				t.Errorf("woke %s at %s, want %s", got, c.Now(), want)
			}
		}
		if c.Step() {
			t.Error("Step with nobody asleep moved the clock")
		}
	})
}

func TestClockSleepCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := schedtest.NewClock(t0)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- c.Sleep(ctx, time.Hour) }()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Sleep = %v", err)
		}
		if _, ok := c.NextWake(); ok {
			t.Error("a cancelled sleeper is still registered")
		}
		c.Drive(t0.Add(time.Hour))
		if !c.Now().Equal(t0.Add(time.Hour)) {
			t.Errorf("Drive ended at %s", c.Now())
		}
	})
}

func TestLockerExpiryAndRefresh(t *testing.T) {
	ctx := context.Background()
	c := schedtest.NewClock(t0)
	l := schedtest.NewLocker(c)
	a, err := l.Acquire(ctx, "a", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Acquire(ctx, "b", 10*time.Minute)
	var le *schedule.LockedError
	if !errors.As(err, &le) || !errors.Is(err, schedule.ErrLocked) || le.Holder != "a" || !le.Expires.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("second Acquire = %v", err)
	}
	c.Advance(5 * time.Minute)
	if err := a.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if owner, exp, ok := l.Holder(); !ok || owner != "a" || !exp.Equal(t0.Add(15*time.Minute)) {
		t.Errorf("Holder = %s %s %v", owner, exp, ok)
	}
}

func TestLockerTakeOverAfterExpiry(t *testing.T) {
	ctx := context.Background()
	c := schedtest.NewClock(t0)
	l := schedtest.NewLocker(c)
	a, err := l.Acquire(ctx, "a", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(10 * time.Minute)
	b, err := l.Acquire(ctx, "b", 10*time.Minute)
	if err != nil {
		t.Fatalf("Acquire after expiry = %v", err)
	}
	if err := a.Refresh(ctx); !errors.Is(err, schedule.ErrLeaseLost) {
		t.Errorf("Refresh of a taken-over lease = %v", err)
	}
	if err := a.Release(ctx); !errors.Is(err, schedule.ErrLeaseLost) {
		t.Errorf("Release of a taken-over lease = %v", err)
	}
	if err := b.Release(ctx); err != nil {
		t.Errorf("Release = %v", err)
	}
	if _, _, ok := l.Holder(); ok {
		t.Error("released lock still held")
	}
}

func TestLockerBreak(t *testing.T) {
	ctx := context.Background()
	l := schedtest.NewLocker(schedtest.NewClock(t0))
	a, _ := l.Acquire(ctx, "a", time.Minute)
	l.Break()
	if err := a.Refresh(ctx); !errors.Is(err, schedule.ErrLeaseLost) {
		t.Errorf("Refresh after Break = %v", err)
	}
}
