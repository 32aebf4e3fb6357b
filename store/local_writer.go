package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// errFinished is returned by a Writer used after Commit or Abort.
var errFinished = errors.New("writer already committed or aborted")

// checkWriteOptions rejects contradictory or impossible preconditions.
func checkWriteOptions(o WriteOptions) error {
	if o.IfGenerationMatch < 0 {
		return fmt.Errorf("IfGenerationMatch %d is negative", o.IfGenerationMatch)
	}
	if o.IfNotExist && o.IfGenerationMatch != 0 {
		return errors.New("IfNotExist and IfGenerationMatch cannot be combined")
	}
	return nil
}

// localWriter writes to a hidden temporary file next to the final name and
// publishes it with a rename (or a hard link for IfNotExist).
type localWriter struct {
	ctx        context.Context
	f          *os.File
	tmp, final string
	opts       WriteOptions
	done       bool
}

func (s *localStore) NewWriter(ctx context.Context, name string, opts WriteOptions) (Writer, error) {
	if err := checkName(name); err != nil {
		return nil, opError("write", s.dir, err)
	}
	w, err := s.newWriter(ctx, name, opts)
	if err != nil {
		return nil, opError("write", s.path(name), err)
	}
	return w, nil
}

func (s *localStore) newWriter(ctx context.Context, name string, opts WriteOptions) (*localWriter, error) {
	if err := errors.Join(checkWriteOptions(opts), ctx.Err()); err != nil {
		return nil, err
	}
	final := s.path(name)
	if err := os.MkdirAll(filepath.Dir(final), 0o777); err != nil {
		return nil, err
	}
	f, tmp, err := createTemp(final)
	if err != nil {
		return nil, err
	}
	return &localWriter{ctx: ctx, f: f, tmp: tmp, final: final, opts: opts}, nil
}

// createTemp creates ".<base>.tmp-<random>" next to final, with the
// permissions a plain file would get (0666 less the umask, unlike
// os.CreateTemp's 0600), so that other users can read what we publish.
func createTemp(final string) (*os.File, string, error) {
	dir, base := filepath.Split(final)
	if len(base) > 200 { // stay under NAME_MAX (255 bytes) with the affixes
		base = base[:200]
	}
	for attempt := 0; ; attempt++ {
		tmp := filepath.Join(dir, fmt.Sprintf(".%s.tmp-%016x", base, rand.Uint64()))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil || !errors.Is(err, fs.ErrExist) || attempt == 9 {
			return f, tmp, err
		}
	}
}

func (w *localWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, opError("write", w.final, errFinished)
	}
	if err := w.ctx.Err(); err != nil {
		return 0, opError("write", w.final, err)
	}
	n, err := w.f.Write(p)
	if err != nil {
		return n, opError("write", w.final, err)
	}
	return n, nil
}

func (w *localWriter) Commit() error {
	if err := w.commit(); err != nil {
		return opError("write", w.final, err)
	}
	return nil
}

func (w *localWriter) commit() error {
	if w.done {
		return errFinished
	}
	w.done = true
	err := w.ctx.Err()
	if err == nil {
		err = w.f.Sync()
	}
	if closeErr := w.f.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = w.publish()
	}
	if err != nil {
		os.Remove(w.tmp)
		return err
	}
	syncDir(filepath.Dir(w.final))
	return nil
}

// publish moves the complete temporary file to its final name, checking the
// preconditions.
func (w *localWriter) publish() error {
	switch {
	case w.opts.IfNotExist:
		if err := os.Link(w.tmp, w.final); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%w: the object already exists", ErrPrecondition)
			}
			return err
		}
		_ = os.Remove(w.tmp) // published already; a failure only leaves a hidden file
		return nil
	case w.opts.IfGenerationMatch != 0:
		if err := w.checkGeneration(); err != nil {
			return err
		}
	}
	return os.Rename(w.tmp, w.final)
}

// checkGeneration is the best-effort, lock-free IfGenerationMatch check.
func (w *localWriter) checkGeneration() error {
	fi, err := os.Stat(w.final)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: the object does not exist, expected generation %d", ErrPrecondition, w.opts.IfGenerationMatch)
	}
	if err != nil {
		return err
	}
	if gen := localGeneration(fi); gen != w.opts.IfGenerationMatch {
		return fmt.Errorf("%w: the object has generation %d, expected %d", ErrPrecondition, gen, w.opts.IfGenerationMatch)
	}
	return nil
}

func (w *localWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.f.Close()
	if err := os.Remove(w.tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return opError("abort write", w.final, err)
	}
	return nil
}
