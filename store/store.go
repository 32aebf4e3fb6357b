package store

import (
	"context"
	"fmt"
	"io"
	"time"

	"cloud.google.com/go/storage"
)

// Store is a flat namespace of objects under one root, either a local
// directory or a GCS bucket and prefix. Names are relative to the root (see
// the package documentation for the rules). A Store is safe for concurrent use
// by multiple goroutines; the Readers and Writers it returns are not.
//
// The caller owns the Store and must call Close when done with it.
type Store interface {
	// List returns every visible object whose name starts with prefix, in
	// any folder depth, sorted by name. An empty prefix lists the whole root.
	// A prefix that matches nothing gives an empty slice and no error; a
	// missing bucket or local root gives ErrNotExist. Objects created or
	// deleted while List runs may or may not be included, but never make it
	// fail.
	List(ctx context.Context, prefix string) ([]ObjectInfo, error)

	// Glob returns the visible objects whose names match pattern, sorted by
	// name. Each '/'-separated segment of pattern is matched with path.Match
	// (so '*' never crosses a '/'), and a segment that is exactly "**"
	// matches zero or more whole segments. Only the longest literal prefix of
	// the pattern is listed. A malformed pattern returns an error that wraps
	// path.ErrBadPattern; no match returns an empty slice and no error.
	Glob(ctx context.Context, pattern string) ([]ObjectInfo, error)

	// Stat describes one object. A missing object or bucket returns an error
	// matching ErrNotExist whose message says which of the two is missing.
	Stat(ctx context.Context, name string) (ObjectInfo, error)

	// NewReader opens an object for streaming; the object is never loaded
	// into memory whole. The bytes are returned as stored, except that a GCS
	// object stored with "Content-Encoding: gzip" arrives already
	// decompressed (GCS decompressive transcoding); pass the reader to
	// Decompress for .gz and .zst content, which handles both cases. The
	// caller must Close the reader. ctx bounds the whole read, not just the
	// open. A missing object returns ErrNotExist.
	NewReader(ctx context.Context, name string) (io.ReadCloser, error)

	// NewWriter starts writing an object. Nothing is visible under name, and
	// an existing object keeps its content, until Writer.Commit returns nil.
	// Cancelling ctx before Commit aborts the write. opts preconditions are
	// checked at Commit.
	NewWriter(ctx context.Context, name string, opts WriteOptions) (Writer, error)

	// Delete removes one object. Deleting a missing object is not an error.
	Delete(ctx context.Context, name string) error

	// DeletePrefix removes every object whose name starts with prefix,
	// hidden ones included, and locally the folders left empty by that. An
	// empty prefix is refused, so a root is never wiped by mistake. It is not
	// atomic: on error some objects may be gone and others not, and calling it
	// again finishes the job.
	DeletePrefix(ctx context.Context, prefix string) error

	// Copy makes dst a complete copy of src (overwriting dst), server-side on
	// GCS. dst appears atomically. A missing src returns ErrNotExist.
	Copy(ctx context.Context, src, dst string) error

	// Move makes dst hold src's content and removes src, using the cheapest
	// operation that is atomic per object: os.Rename locally, a server-side
	// copy followed by a delete on GCS (GCS has no rename). dst is always
	// either absent/old or complete. The pair is not atomic on GCS: if Move
	// fails midway, dst may already be complete while src still exists, and
	// calling Move again is safe. On GCS src is deleted only if it was not
	// replaced during the move (otherwise ErrPrecondition and src stays).
	// Moving an object onto itself does nothing. A missing src returns
	// ErrNotExist.
	Move(ctx context.Context, src, dst string) error

	// LocalPath returns the file system path of name and true when the store
	// is local, so that tools such as DuckDB can read the file directly. It
	// returns "" and false on GCS or for an invalid name. It does no I/O: the
	// file need not exist.
	LocalPath(name string) (string, bool)

	// String returns the root: "gs://bucket/prefix" or the absolute local
	// directory.
	String() string

	// Close releases the store's resources (the GCS client, unless it was
	// passed in Options.Client). The store must not be used afterwards.
	Close() error
}

// Writer streams one object into a Store. Call Commit to publish it or Abort
// to discard it; `defer w.Abort()` right after NewWriter is always safe,
// because Abort after a successful Commit does nothing. A Writer is not safe
// for concurrent use.
type Writer interface {
	// Write buffers or uploads p. Errors are final: the caller should Abort.
	io.Writer

	// Commit finishes the write and makes the object visible under its name,
	// replacing any previous object atomically. It returns ErrPrecondition
	// when a WriteOptions precondition does not hold, in which case nothing
	// is written. If Commit returns any other error the object is normally
	// not written; only a GCS upload whose final response was lost may have
	// landed. Commit may be called once.
	Commit() error

	// Abort discards everything written and leaves no object and no
	// temporary file. It is idempotent and is a no-op after Commit.
	Abort() error
}

// WriteOptions are the optional settings of one write.
type WriteOptions struct {
	// IfNotExist makes Commit fail with ErrPrecondition when an object
	// already exists under the name. It is atomic on both backends (a GCS
	// precondition; a hard link locally).
	IfNotExist bool

	// IfGenerationMatch, when non-zero, makes Commit fail with
	// ErrPrecondition unless the current object has this generation (as
	// reported by Stat or List). On GCS this is an atomic server-side
	// precondition. Locally it is a best-effort check made just before the
	// rename, without a lock: a concurrent writer can slip in between. It
	// cannot be combined with IfNotExist.
	IfGenerationMatch int64

	// ContentType is stored with the object on GCS; empty lets GCS sniff it.
	// Ignored locally.
	ContentType string

	// Metadata is stored as custom metadata on GCS. Ignored locally.
	Metadata map[string]string
}

// ObjectInfo describes one object.
type ObjectInfo struct {
	// Name is relative to the store root, '/'-separated.
	Name string
	// Size is the length in bytes of the stored (possibly compressed) data.
	Size int64
	// Updated is when this version of the object was written.
	Updated time.Time
	// Generation identifies this version of the object and changes whenever
	// it is rewritten; it is never 0 for an existing object. On GCS it is the
	// object generation. Locally it is an opaque value derived from the
	// file's inode, size and modification time, good enough for
	// WriteOptions.IfGenerationMatch as a best effort.
	Generation int64
	// CRC32C (Castagnoli) of the stored bytes, valid when HasCRC32C is true
	// (GCS only: computing it locally would mean reading the file).
	CRC32C    uint32
	HasCRC32C bool
	// MD5 of the stored bytes, nil when unknown (locally, or a composite
	// GCS object).
	MD5 []byte
	// ContentType and Metadata as stored on GCS; empty locally.
	ContentType string
	Metadata    map[string]string
}

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Client, when not nil, is used for gs:// roots instead of creating a
	// client with Application Default Credentials. The caller keeps
	// ownership: Store.Close does not close it. Tests pass fake-gcs-server's
	// srv.Client() here. Ignored for local roots.
	Client *storage.Client

	// CallTimeout bounds each GCS metadata call (Stat, one listing page,
	// Delete, Copy) including its retries, and how long any single request
	// is retried. Zero means DefaultCallTimeout. Ignored for local roots.
	CallTimeout time.Duration

	// RetryInitial and RetryMax are the first and the largest pause between
	// retries of a failed GCS request; the pause doubles each time. Zero
	// means DefaultRetryInitial and DefaultRetryMax.
	RetryInitial, RetryMax time.Duration
}

// Defaults for the zero Options fields.
const (
	DefaultCallTimeout  = 2 * time.Minute
	DefaultRetryInitial = 500 * time.Millisecond
	DefaultRetryMax     = 30 * time.Second
)

// Open returns the Store for root, which is a local directory path (relative
// paths are made absolute now; a file:// URL is also accepted) or
// gs://bucket[/prefix]. It validates root and opts and creates the GCS client
// (Application Default Credentials, or no authentication when
// STORAGE_EMULATOR_HOST is set), but makes no request and does not check
// that the directory or bucket exists: the first call that needs them
// reports ErrNotExist. Local writes create missing folders, the root
// included.
func Open(ctx context.Context, root string, opts Options) (Store, error) {
	r, err := parseRoot(root)
	if err != nil {
		return nil, err
	}
	if opts.CallTimeout < 0 || opts.RetryInitial < 0 || opts.RetryMax < 0 {
		return nil, fmt.Errorf("store: open %s: CallTimeout, RetryInitial and RetryMax must not be negative", r)
	}
	if r.bucket == "" {
		return newLocal(r.dir), nil
	}
	return openGCS(ctx, r, opts)
}
