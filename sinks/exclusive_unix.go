//go:build unix

package sinks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"syscall"
	"time"
)

// exclusive runs fn while holding an exclusive flock on the mutex file of
// the lock object name (a hidden file beside it) when the root is local, so
// that reading the lock and writing it on the generation read are one step
// for every process on this machine
// (and, on file systems that support it, over NFS). GCS needs no such help:
// its preconditions are atomic. The flock dies with its process.
func (r *Root) exclusive(ctx context.Context, name string, fn func() error) error {
	file, ok := r.LocalPath(path.Join(path.Dir(name), "."+path.Base(name)+".mutex"))
	if !ok {
		return fn()
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("lock mutex: %w", err)
	}
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("lock mutex: %w", err)
	}
	defer f.Close()
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("lock mutex %s: %w", file, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return fn()
}
