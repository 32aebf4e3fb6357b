package sinks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	osexec "os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeydata/journey/store"
)

// contend has n runs ask for the lock at once and returns the winners'
// locks and the losers' errors.
func contend(t *testing.T, root *Root, n int, now func() time.Time) ([]*Lock, []error) {
	t.Helper()
	var mu sync.Mutex
	var won []*Lock
	var lost []error
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := AcquireLock(context.Background(), root, LockRequest{RunID: fmt.Sprintf("run-%d", i), AsOf: "2025-06-30", Now: now})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				lost = append(lost, err)
				return
			}
			won = append(won, l)
		}()
	}
	wg.Wait()
	return won, lost
}

func TestLockOneWinner(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			c := newClock()
			for round := range 3 {
				won, lost := contend(t, root, 8, c.now)
				if len(won) != 1 || len(lost) != 7 {
					t.Fatalf("round %d: %d winners, errors %v", round, len(won), lost)
				}
				for _, err := range lost {
					if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "another run (run_id "+won[0].Info().RunID) ||
						!strings.Contains(err.Error(), "is publishing to "+root.String()+"; it started at 2025-07-01T02:00:00Z") {
						t.Fatalf("loser's error: %v", err)
					}
				}
				if err := won[0].Release(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestLockTakeoverOfExpiredLock(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			c := newClock()
			stale, err := AcquireLock(context.Background(), root, LockRequest{RunID: "crashed", AsOf: "2025-06-29", Expiry: time.Minute, Now: c.now})
			if err != nil {
				t.Fatal(err)
			}
			if _, lost := contend(t, root, 3, c.at(59*time.Second)); len(lost) != 3 {
				t.Fatalf("an unexpired lock was taken over: %v", lost)
			}
			won, lost := contend(t, root, 8, c.at(61*time.Second))
			if len(won) != 1 || len(lost) != 7 {
				t.Fatalf("%d winners of an expired lock; errors %v", len(won), lost)
			}
			if prev := won[0].TakenOver(); prev == nil || prev.RunID != "crashed" || prev.AsOf != "2025-06-29" {
				t.Fatalf("TakenOver() = %+v, want the crashed run", prev)
			}
			if err := stale.Refresh(context.Background()); !errors.Is(err, ErrLockLost) {
				t.Fatalf("refresh of a lock taken over: %v, want ErrLockLost", err)
			}
			if err := stale.Release(context.Background()); !errors.Is(err, ErrLockLost) {
				t.Fatalf("release of a lock taken over: %v, want ErrLockLost", err)
			}
			info, ok, err := ReadLock(context.Background(), root, LockName)
			if err != nil || !ok || info.Token != won[0].Info().Token || !info.Held(c.at(61*time.Second)()) {
				t.Fatalf("the new holder's lock was changed by the old one: %+v, %v", info, err)
			}
		})
	}
}

func TestLockReleasedIsFree(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			c := newClock()
			l, err := AcquireLock(context.Background(), root, LockRequest{RunID: "a", Now: c.now})
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := l.Release(context.Background()); err != nil {
				t.Fatal(err)
			}
			next, err := AcquireLock(context.Background(), root, LockRequest{RunID: "b", Now: c.now})
			if err != nil || next.TakenOver() != nil {
				t.Fatalf("after a release: %v, taken over %+v", err, next)
			}
		})
	}
}

// TestLockOfAGoneProcess: a lock whose process is known to be dead (same
// host and boot, pid not running) is taken over at once, not after expiry.
func TestLockOfAGoneProcess(t *testing.T) {
	cmd := osexec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no `true` command:", err)
	}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			root := open(t)
			c := newClock()
			dead, err := AcquireLock(context.Background(), root, LockRequest{RunID: "killed", Now: c.now})
			if err != nil {
				t.Fatal(err)
			}
			info := dead.Info()
			info.PID = cmd.Process.Pid
			if err := root.WriteFile(context.Background(), LockName, encodeLock(info), store.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			l, err := AcquireLock(context.Background(), root, LockRequest{RunID: "next", Now: c.now})
			if err != nil || l.TakenOver() == nil || l.TakenOver().RunID != "killed" {
				t.Fatalf("lock of a dead process: %v", err)
			}
		})
	}
}

// TestLockLostResponse: GCS applies the lock's upload but the response is
// lost (503); the store retries the conditional upload, which then fails
// its precondition. The lock must still be ours, found by reading it back.
func TestLockLostResponse(t *testing.T) {
	srv := newFakeGCS(t)
	var dropped atomic.Int32
	root := emulatorRoot(t, srv, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			upload := r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/upload/")
			if upload && dropped.Add(1) <= 2 {
				next.ServeHTTP(discard{w.Header()}, r)
				http.Error(w, `{"error":{"code":503,"message":"lost"}}`, http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	c := newClock()
	l, err := AcquireLock(context.Background(), root, LockRequest{RunID: "a", Now: c.now})
	if err != nil {
		t.Fatalf("acquire with a lost response: %v", err)
	}
	if err := l.Refresh(context.Background()); err != nil {
		t.Fatalf("refresh with a lost response: %v", err)
	}
	if dropped.Load() < 2 {
		t.Fatal("no response was dropped")
	}
	if _, err := AcquireLock(context.Background(), root, LockRequest{RunID: "b", Now: c.now}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second run: %v, want ErrLocked", err)
	}
}

// discard is a ResponseWriter that throws the response away.
type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h.Clone() }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// TestLockWait: a run that may wait gets the lock once the holder releases it.
func TestLockWait(t *testing.T) {
	root := openTestRoot(t, t.TempDir(), store.Options{})
	holder, err := AcquireLock(context.Background(), root, LockRequest{RunID: "a", Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AcquireLock(context.Background(), root, LockRequest{RunID: "b", Now: time.Now, Wait: 300 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Fatalf("waiting past the wait: %v, want ErrLocked", err)
	}
	time.AfterFunc(300*time.Millisecond, func() { _ = holder.Release(context.Background()) })
	if _, err := AcquireLock(context.Background(), root, LockRequest{RunID: "c", Now: time.Now, Wait: 10 * time.Second}); err != nil {
		t.Fatalf("waiting for a release: %v", err)
	}
}
