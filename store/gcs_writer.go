package store

import (
	"context"
	"errors"

	"cloud.google.com/go/storage"
)

// gcsWriter is an upload that only Commit finalises; Abort cancels its
// context, which leaves no object.
type gcsWriter struct {
	s      *gcsStore
	ctx    context.Context // the caller's, for error mapping
	name   string
	w      *storage.Writer
	cancel context.CancelFunc
	done   bool
}

func (s *gcsStore) NewWriter(ctx context.Context, name string, opts WriteOptions) (Writer, error) {
	if err := checkName(name); err != nil {
		return nil, opError("write", s.root.String(), err)
	}
	if err := errors.Join(checkWriteOptions(opts), ctx.Err()); err != nil {
		return nil, opError("write", s.url(name), err)
	}
	obj := s.object(name)
	switch {
	case opts.IfNotExist:
		obj = obj.If(storage.Conditions{DoesNotExist: true})
	case opts.IfGenerationMatch != 0:
		obj = obj.If(storage.Conditions{GenerationMatch: opts.IfGenerationMatch})
	}
	wctx, cancel := context.WithCancel(ctx)
	w := obj.NewWriter(wctx)
	w.ContentType = opts.ContentType
	w.Metadata = opts.Metadata
	w.ChunkRetryDeadline = s.timeout
	return &gcsWriter{s: s, ctx: ctx, name: name, w: w, cancel: cancel}, nil
}

func (w *gcsWriter) fail(err error) error {
	return opError("write", w.s.url(w.name), w.s.mapErr(w.ctx, w.name, err))
}

func (w *gcsWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, w.fail(errFinished)
	}
	n, err := w.w.Write(p)
	if err != nil {
		return n, w.fail(err)
	}
	return n, nil
}

func (w *gcsWriter) Commit() error {
	if w.done {
		return w.fail(errFinished)
	}
	w.done = true
	err := w.w.Close()
	w.cancel()
	if err != nil {
		return w.fail(err)
	}
	w.s.bucketSeen.Store(true)
	return nil
}

func (w *gcsWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.cancel()
	_ = w.w.Close() // reports the cancellation, which is what we asked for
	return nil
}
