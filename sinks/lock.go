package sinks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/journeydata/journey/internal/proc"
	"github.com/journeydata/journey/store"
)

// LockName is the publish lock's object under the output root.
const LockName = "_locks/publish.json"

// DefaultLockExpiry is how long a lock that is not refreshed holds.
const DefaultLockExpiry = 30 * time.Minute

var (
	// ErrLocked is matched by the error of AcquireLock when another run
	// holds the lock; the message names that run, its host and pid, when it
	// started and when its lock expires.
	ErrLocked = errors.New("the output root is locked by another run")
	// ErrLockLost is matched when a lock this process held was taken over
	// (it had expired) or changed by someone else.
	ErrLockLost = errors.New("the publish lock was taken over")
)

// LockRequest says who asks for which lock.
type LockRequest struct {
	// Name is the lock object under the root; empty means LockName. Other
	// names give independent locks with the same protocol (a scheduler's
	// lock, for instance).
	Name        string
	RunID, AsOf string
	// Expiry is how long the lock holds without a Refresh; zero means
	// DefaultLockExpiry.
	Expiry time.Duration
	// Now is the clock the lock's times come from.
	Now func() time.Time
	// Wait is how long AcquireLock waits for a lock held by another run,
	// trying again every second or so; zero fails at once with ErrLocked.
	Wait time.Duration
}

// Lock is the publish lock of one output root, held by this process: at
// most one run publishes to a root at a time. Acquire it before writing
// anything under the root, Refresh it at least once per expiry while
// working, and Release it at the end. A Lock is not safe for concurrent use.
//
// It is an object, LockName, created with IfNotExist. A lock that was
// released, has expired, or whose process is known to be gone (same host and
// boot, pid not running) is taken over with IfGenerationMatch on the
// generation read, so that of two contenders exactly one wins; on a local
// root the read-and-write is also serialised with flock, because local
// generation checks are not atomic. Every write is verified by reading the
// lock back, since a GCS write may report a failed precondition although it
// landed.
type Lock struct {
	root   *Root
	name   string
	info   LockInfo
	gen    int64
	expiry time.Duration
	now    func() time.Time
	prev   *LockInfo
}

// AcquireLock takes the publish lock of root for req's run, or fails with an
// error matching ErrLocked that names the holder (after waiting up to
// req.Wait for it to be released).
func AcquireLock(ctx context.Context, root *Root, req LockRequest) (*Lock, error) {
	wctx, cancel := context.WithTimeout(ctx, req.Wait)
	defer cancel()
	for pause := 200 * time.Millisecond; ; pause = min(2*pause, 2*time.Second) {
		l, err := acquire(ctx, root, req)
		if !errors.Is(err, ErrLocked) || req.Wait <= 0 {
			return l, err
		}
		select {
		case <-wctx.Done():
			return nil, err
		case <-time.After(pause):
		}
	}
}

func acquire(ctx context.Context, root *Root, req LockRequest) (*Lock, error) {
	if req.RunID == "" || req.Now == nil {
		return nil, errors.New("acquire publish lock: a run id and a clock are required")
	}
	l := &Lock{root: root, name: cmp.Or(req.Name, LockName), now: req.Now, expiry: cmp.Or(req.Expiry, DefaultLockExpiry)}
	l.info = LockInfo{RunID: req.RunID, AsOf: req.AsOf, ID: proc.Self(), Token: newToken(), AcquiredAt: req.Now().UTC()}
	err := root.exclusive(ctx, l.name, func() error {
		for range 5 {
			if done, err := l.tryAcquire(ctx); done || err != nil {
				return err
			}
		}
		return errors.New("the lock kept changing")
	})
	if err != nil {
		return nil, fmt.Errorf("acquire lock %s: %w", l.name, err)
	}
	return l, nil
}

// tryAcquire makes one attempt; false and no error means "look again".
func (l *Lock) tryAcquire(ctx context.Context) (bool, error) {
	cur, gen, err := readLock(ctx, l.root, l.name)
	opts := store.WriteOptions{IfNotExist: true}
	l.prev, l.info.Pending = nil, nil
	switch {
	case errors.Is(err, store.ErrNotExist):
	case err != nil:
		return false, err
	case cur.Token == l.info.Token:
		l.gen = gen
		return true, nil
	case cur.Held(l.now()):
		return false, &LockedError{Holder: cur, Root: l.root.String()}
	default:
		opts = store.WriteOptions{IfGenerationMatch: gen}
		if cur.ReleasedAt == nil {
			l.prev, l.info.Pending = &cur, &cur
		}
	}
	l.info.ExpiresAt = l.now().UTC().Add(l.expiry)
	err = l.root.WriteFile(ctx, l.name, encodeLock(l.info), opts)
	if err != nil && !errors.Is(err, store.ErrPrecondition) {
		return false, err
	}
	return l.verify(ctx)
}

// verify reads the lock back: it is ours when it carries our token.
func (l *Lock) verify(ctx context.Context) (bool, error) {
	cur, gen, err := readLock(ctx, l.root, l.name)
	if err != nil && !errors.Is(err, store.ErrNotExist) {
		return false, err
	}
	if err == nil && cur.Token == l.info.Token {
		l.gen = gen
		return true, nil
	}
	return false, nil
}

// Info is the lock's current content.
func (l *Lock) Info() LockInfo { return l.info }

// TakenOver is the lock of the run that held the root before and neither
// released it nor finished: a run that crashed or was killed (its Pending,
// if any, is a run it had taken over from in turn and not yet cleaned up
// after). It is nil when the lock was free or released.
func (l *Lock) TakenOver() *LockInfo { return l.prev }

// recovered records that the cleanup after the runs taken over is done.
func (l *Lock) recovered(ctx context.Context) error {
	if l.info.Pending == nil {
		return nil
	}
	return l.rewrite(ctx, "update", func(i *LockInfo) { i.Pending = nil })
}

// Refresh extends the lock by its expiry from now, and fails with
// ErrLockLost when it is no longer ours.
func (l *Lock) Refresh(ctx context.Context) error {
	return l.rewrite(ctx, "refresh", func(i *LockInfo) { i.ExpiresAt = l.now().UTC().Add(l.expiry) })
}

// setReplaces records in the lock the run whose snapshot this one replaces.
func (l *Lock) setReplaces(ctx context.Context, runID string) error {
	return l.rewrite(ctx, "update", func(i *LockInfo) {
		i.Replaces = runID
		i.ExpiresAt = l.now().UTC().Add(l.expiry)
	})
}

// Release marks the lock released, so that the next run takes it at once.
// The object stays (a released lock is free), because only a conditional
// write, not a delete, is safe against a run that took it over meanwhile.
func (l *Lock) Release(ctx context.Context) error {
	return l.rewrite(ctx, "release", func(i *LockInfo) {
		t := l.now().UTC()
		i.ReleasedAt = &t
	})
}

// Abandon gives the lock up without releasing it: it expires at once, so
// that the next run takes it over as a crashed run's and finishes the
// cleanup this run could not do (see ErrUnclean). If the store cannot be
// reached, the lock expires by itself.
func (l *Lock) Abandon(ctx context.Context) error {
	return l.rewrite(ctx, "abandon", func(i *LockInfo) { i.ExpiresAt = l.now().UTC() })
}

// rewrite replaces our lock with a changed copy, on the generation we hold.
func (l *Lock) rewrite(ctx context.Context, op string, change func(*LockInfo)) error {
	next := l.info
	change(&next)
	err := l.root.exclusive(ctx, l.name, func() error {
		err := l.root.WriteFile(ctx, l.name, encodeLock(next), store.WriteOptions{IfGenerationMatch: l.gen})
		if err != nil && !errors.Is(err, store.ErrPrecondition) {
			return err
		}
		cur, gen, err := readLock(ctx, l.root, l.name)
		if err != nil && !errors.Is(err, store.ErrNotExist) {
			return err
		}
		if err != nil || cur.Token != l.info.Token {
			return fmt.Errorf("%w: it is now %s", ErrLockLost, describe(cur, err))
		}
		l.info, l.gen = next, gen
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s lock %s: %w", op, l.name, err)
	}
	return nil
}
