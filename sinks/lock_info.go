package sinks

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/journeydata/journey/internal/proc"
	"github.com/journeydata/journey/store"
)

// LockInfo is the content of the publish lock object.
type LockInfo struct {
	RunID string `json:"run_id"`
	AsOf  string `json:"as_of"`
	proc.ID
	// Token is unique to one acquisition; it tells our lock from another.
	Token      string    `json:"token"`
	AcquiredAt time.Time `json:"acquired_at"`
	// ExpiresAt is when the lock may be taken over unless refreshed.
	ExpiresAt time.Time `json:"expires_at"`
	// Replaces is the run whose manifest of AsOf this run is replacing, so
	// that whoever finishes after a crash knows what to clean up.
	Replaces   string     `json:"replaces_run_id,omitempty"`
	ReleasedAt *time.Time `json:"released_at,omitempty"`
	// Pending is the run this one took the lock over from, while cleaning up
	// after it is not done: should this run fail too, the next one cleans up
	// after both.
	Pending *LockInfo `json:"pending,omitempty"`
}

// Held reports whether the lock still holds at now: it was not released,
// has not expired, and its process is not known to be gone.
func (i LockInfo) Held(now time.Time) bool {
	return i.ReleasedAt == nil && now.Before(i.ExpiresAt) && !i.Gone()
}

// LockedError is the error of AcquireLock when another run holds the lock;
// it matches ErrLocked.
type LockedError struct {
	Holder LockInfo
	Root   string // the output root
}

func (e *LockedError) Error() string {
	h := e.Holder
	return fmt.Sprintf("another run (run_id %s, as of %s, pid %d on host %s) is publishing to %s; it started at %s and its lock expires at %s",
		h.RunID, h.AsOf, h.PID, h.Host, e.Root, h.AcquiredAt.UTC().Format(time.RFC3339), h.ExpiresAt.UTC().Format(time.RFC3339))
}

// Is makes a *LockedError match ErrLocked.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

func describe(cur LockInfo, err error) string {
	if err != nil {
		return "gone"
	}
	return fmt.Sprintf("held by run %s (pid %d on host %s)", cur.RunID, cur.PID, cur.Host)
}

// ReadLock returns the lock object name (LockName for the publish lock) of
// root as it is, for status displays; false when there has never been one.
func ReadLock(ctx context.Context, root *Root, name string) (LockInfo, bool, error) {
	info, _, err := readLock(ctx, root, name)
	if errors.Is(err, store.ErrNotExist) {
		return LockInfo{}, false, nil
	}
	if err != nil {
		return LockInfo{}, false, fmt.Errorf("read lock %s: %w", name, err)
	}
	return info, true, nil
}

func readLock(ctx context.Context, root *Root, name string) (LockInfo, int64, error) {
	b, gen, err := root.readVersion(ctx, name)
	if err != nil {
		return LockInfo{}, 0, err
	}
	var info LockInfo
	if err := json.Unmarshal(b, &info); err != nil {
		// A damaged lock cannot be honoured; it is taken over like a released one.
		t := time.Time{}
		return LockInfo{ReleasedAt: &t}, gen, nil
	}
	return info, gen, nil
}

func encodeLock(i LockInfo) []byte {
	b, _ := json.MarshalIndent(i, "", "  ")
	return append(b, '\n')
}

func newToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
