package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

var (
	// ErrNotExist is matched (errors.Is) by every error about a missing
	// object, local root or bucket; the message says which one is missing.
	// It is fs.ErrNotExist, so checks written for the os package work too.
	ErrNotExist = fs.ErrNotExist

	// ErrPrecondition is matched by the error of a Writer.Commit (or Move)
	// whose precondition (WriteOptions.IfNotExist, IfGenerationMatch) does
	// not hold. Nothing was written.
	ErrPrecondition = errors.New("precondition failed")
)

// notFound is a missing object, bucket or root, with a message that says
// which, matching ErrNotExist.
type notFound struct{ msg string }

func (e *notFound) Error() string        { return e.msg }
func (e *notFound) Is(target error) bool { return target == ErrNotExist }

func objectNotFound(name string) error {
	return &notFound{msg: fmt.Sprintf("object %q not found", name)}
}

// opError prefixes err with the operation and the location it concerned.
func opError(op, loc string, err error) error {
	return fmt.Errorf("store: %s %s: %w", op, loc, err)
}

// errorReader prefixes the errors of a stream (but never io.EOF) with the
// operation and location, so that a failure deep in a CSV parse still says
// which object broke.
type errorReader struct {
	rc     io.ReadCloser
	prefix string
	// transcoded is set when GCS (or the HTTP transport) already removed the
	// gzip Content-Encoding the object was stored with.
	transcoded bool
}

// wasTranscoded lets Decompress know that the name's extension may no longer
// describe the bytes.
func (r *errorReader) wasTranscoded() bool { return r.transcoded }

func (r *errorReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w", r.prefix, err)
	}
	return n, err
}

func (r *errorReader) Close() error {
	if err := r.rc.Close(); err != nil {
		return fmt.Errorf("%s: close: %w", r.prefix, err)
	}
	return nil
}
