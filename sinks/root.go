package sinks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/journeydata/journey/store"
)

// Root is the output root, a local folder or gs://bucket/prefix, with the
// Policy that bounds every request to it. Every object publishing reads or
// writes goes through a Root: tables, manifests, the latest pointer, the
// publish lock, the run ledger and the incremental sources' state. A Root is
// safe for concurrent use.
type Root struct {
	st     store.Store
	policy Policy
	own    bool
}

// OpenRoot opens the output root root (see store.Open) with policy p. It
// makes no request. The caller must Close it.
func OpenRoot(ctx context.Context, root string, p Policy) (*Root, error) {
	p = p.withDefaults()
	st, err := store.Open(ctx, root, store.Options{CallTimeout: p.RequestTimeout})
	if err != nil {
		return nil, fmt.Errorf("open output root: %w", err)
	}
	return &Root{st: st, policy: p, own: true}, nil
}

// NewRoot uses an open store as the output root; the caller keeps it and
// closes it after the Root's last use.
func NewRoot(st store.Store, p Policy) *Root {
	return &Root{st: st, policy: p.withDefaults()}
}

// Close releases the store of a Root made by OpenRoot.
func (r *Root) Close() error {
	if !r.own {
		return nil
	}
	return r.st.Close()
}

// String is the root: "gs://bucket/prefix" or the absolute local folder.
func (r *Root) String() string { return r.st.String() }

// Store is the store under the Root, for callers that need more than the
// Root offers; its calls are not bounded by the Root's Policy.
func (r *Root) Store() store.Store { return r.st }

// LocalPath is the file system path of name on a local root; false on GCS.
func (r *Root) LocalPath(name string) (string, bool) { return r.st.LocalPath(name) }

// Stat describes one object; a missing one matches store.ErrNotExist.
func (r *Root) Stat(ctx context.Context, name string) (store.ObjectInfo, error) {
	var info store.ObjectInfo
	err := r.policy.try(ctx, "stat "+name, 0, func(ctx context.Context) (err error) {
		info, err = r.st.Stat(ctx, name)
		return err
	})
	return info, err
}

// List returns the visible objects whose names start with prefix, sorted.
func (r *Root) List(ctx context.Context, prefix string) ([]store.ObjectInfo, error) {
	var infos []store.ObjectInfo
	err := r.policy.try(ctx, "list "+prefix, 0, func(ctx context.Context) (err error) {
		infos, err = r.st.List(ctx, prefix)
		return err
	})
	return infos, err
}

// Delete removes one object; a missing one is not an error.
func (r *Root) Delete(ctx context.Context, name string) error {
	return r.policy.try(ctx, "delete "+name, 0, func(ctx context.Context) error {
		return r.st.Delete(ctx, name)
	})
}

// DeletePrefix removes every object whose name starts with prefix.
func (r *Root) DeletePrefix(ctx context.Context, prefix string) error {
	return r.policy.try(ctx, "delete "+prefix, 0, func(ctx context.Context) error {
		return r.st.DeletePrefix(ctx, prefix)
	})
}

// Copy makes dst a complete copy of src, server-side on GCS.
func (r *Root) Copy(ctx context.Context, src, dst string) error {
	return r.policy.try(ctx, "copy "+src, 0, func(ctx context.Context) error {
		return r.st.Copy(ctx, src, dst)
	})
}

// ReadFile reads a small object whole; a missing one matches
// store.ErrNotExist.
func (r *Root) ReadFile(ctx context.Context, name string) ([]byte, error) {
	var b []byte
	err := r.policy.try(ctx, "read "+name, 0, func(ctx context.Context) (err error) {
		b, err = readAll(ctx, r.st, name)
		return err
	})
	return b, err
}

// readVersion reads a small object and the generation those bytes belong
// to: it reads between two Stat calls and starts again when the object
// changed in between.
func (r *Root) readVersion(ctx context.Context, name string) ([]byte, int64, error) {
	for range 5 {
		before, err := r.Stat(ctx, name)
		if err != nil {
			return nil, 0, err
		}
		b, err := r.ReadFile(ctx, name)
		if err != nil {
			return nil, 0, err
		}
		after, err := r.Stat(ctx, name)
		if err == nil && after.Generation == before.Generation {
			return b, before.Generation, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotExist) {
			return nil, 0, err
		}
	}
	return nil, 0, fmt.Errorf("read %s: it changed during every read", name)
}

// WriteFile writes data as name, replacing the object atomically when
// opts.IfNotExist or opts.IfGenerationMatch hold (store.ErrPrecondition when
// they do not). A precondition failure of an attempt whose earlier twin
// landed (the store's documented lost response) is recognised by comparing
// the stored object with data, and counts as success.
func (r *Root) WriteFile(ctx context.Context, name string, data []byte, opts store.WriteOptions) error {
	err := r.policy.try(ctx, "write "+name, int64(len(data)), func(ctx context.Context) error {
		return writeOnce(ctx, r.st, name, bytes.NewReader(data), opts)
	})
	if errors.Is(err, store.ErrPrecondition) {
		if same, serr := r.holds(ctx, name, int64(len(data)), crc32.Checksum(data, castagnoli)); serr == nil && same {
			return nil
		}
	}
	return err
}

// writeOnce streams src into name and commits it.
func writeOnce(ctx context.Context, st store.Store, name string, src io.Reader, opts store.WriteOptions) error {
	w, err := st.NewWriter(ctx, name, opts)
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := io.Copy(w, src); err != nil {
		return err
	}
	return w.Commit()
}

func readAll(ctx context.Context, st store.Store, name string) ([]byte, error) {
	rc, err := st.NewReader(ctx, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
