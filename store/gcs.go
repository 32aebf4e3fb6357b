package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"cloud.google.com/go/storage"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/googleapi"
)

// gcsStore is a Store over a GCS bucket and prefix.
type gcsStore struct {
	root       root
	client     *storage.Client
	ownClient  bool
	bucket     *storage.BucketHandle // carries the retry configuration
	timeout    time.Duration
	pageSize   int
	bucketSeen atomic.Bool // the bucket answered once: "not found" means the object
	// afterListBatch, when set (tests only), runs after each listing page.
	afterListBatch func()
}

func openGCS(ctx context.Context, r root, opts Options) (*gcsStore, error) {
	client, own := opts.Client, false
	if client == nil {
		c, err := newClient(ctx)
		if err != nil {
			return nil, opError("open", r.String(), err)
		}
		client, own = c, true
	}
	timeout := cmp.Or(opts.CallTimeout, DefaultCallTimeout)
	backoff := gax.Backoff{
		Initial:    cmp.Or(opts.RetryInitial, DefaultRetryInitial),
		Max:        cmp.Or(opts.RetryMax, DefaultRetryMax),
		Multiplier: 2,
	}
	bucket := client.Bucket(r.bucket).Retryer(
		storage.WithBackoff(backoff),
		storage.WithPolicy(storage.RetryAlways),
		storage.WithMaxRetryDuration(timeout),
	)
	return &gcsStore{root: r, client: client, ownClient: own, bucket: bucket, timeout: timeout, pageSize: 1000}, nil
}

// newClient creates a client: against STORAGE_EMULATOR_HOST
// (unauthenticated, and with JSON reads, which emulators need), or against
// GCS with Application Default Credentials.
func newClient(ctx context.Context) (*storage.Client, error) {
	if host := os.Getenv("STORAGE_EMULATOR_HOST"); host != "" {
		c, err := storage.NewClient(ctx, storage.WithJSONReads())
		if err != nil {
			return nil, fmt.Errorf("create GCS client for the emulator at STORAGE_EMULATOR_HOST=%s: %w", host, err)
		}
		return c, nil
	}
	c, err := storage.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("create GCS client with Application Default Credentials "+
			"(set GOOGLE_APPLICATION_CREDENTIALS, run `gcloud auth application-default login`, "+
			"or set STORAGE_EMULATOR_HOST for an emulator): %w", err)
	}
	return c, nil
}

func (s *gcsStore) String() string { return s.root.String() }

func (s *gcsStore) LocalPath(string) (string, bool) { return "", false }

func (s *gcsStore) Close() error {
	if !s.ownClient {
		return nil
	}
	if err := s.client.Close(); err != nil {
		return opError("close", s.root.String(), err)
	}
	return nil
}

// key maps a name or prefix to its object name in the bucket.
func (s *gcsStore) key(name string) string {
	if s.root.prefix == "" {
		return name
	}
	return s.root.prefix + "/" + name
}

// url is the full location of a name, for messages.
func (s *gcsStore) url(name string) string {
	return "gs://" + s.root.bucket + "/" + s.key(name)
}

// object returns the handle of name, with the store's retry configuration.
func (s *gcsStore) object(name string) *storage.ObjectHandle {
	return s.bucket.Object(s.key(name))
}

// call runs one metadata call under the store's CallTimeout.
func (s *gcsStore) call(ctx context.Context, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return fn(ctx)
}

func (s *gcsStore) bucketMissing() error {
	return &notFound{msg: fmt.Sprintf("bucket %q does not exist", s.root.bucket)}
}

// mapErr turns client errors about name into the package's errors: a
// missing bucket or object (ErrNotExist), a failed precondition
// (ErrPrecondition); other errors pass through.
func (s *gcsStore) mapErr(ctx context.Context, name string, err error) error {
	switch {
	case errors.Is(err, storage.ErrBucketNotExist):
		return s.bucketMissing()
	case errors.Is(err, storage.ErrObjectNotExist):
		if s.bucketExists(ctx) {
			return objectNotFound(s.key(name))
		}
		return s.bucketMissing()
	case httpStatus(err) == http.StatusPreconditionFailed:
		return fmt.Errorf("%w: %w", ErrPrecondition, err)
	case httpStatus(err) == http.StatusNotFound && !s.bucketExists(ctx):
		return s.bucketMissing() // an upload into a missing bucket
	}
	return err
}

// bucketExists tells a missing bucket from a missing object, which GCS
// reports alike. Only a definite "bucket not found" counts as missing (a
// caller allowed to read objects may not be allowed to read the bucket).
func (s *gcsStore) bucketExists(ctx context.Context) bool {
	if s.bucketSeen.Load() {
		return true
	}
	err := s.call(ctx, func(ctx context.Context) error {
		_, err := s.bucket.Attrs(ctx)
		return err
	})
	if errors.Is(err, storage.ErrBucketNotExist) {
		return false
	}
	if err == nil {
		s.bucketSeen.Store(true)
	}
	return true
}

func httpStatus(err error) int {
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		return gerr.Code
	}
	return 0
}

func (s *gcsStore) Stat(ctx context.Context, name string) (ObjectInfo, error) {
	if err := checkName(name); err != nil {
		return ObjectInfo{}, opError("stat", s.root.String(), err)
	}
	a, err := s.attrs(ctx, name)
	if err != nil {
		return ObjectInfo{}, opError("stat", s.url(name), err)
	}
	return s.info(a), nil
}

func (s *gcsStore) attrs(ctx context.Context, name string) (*storage.ObjectAttrs, error) {
	var a *storage.ObjectAttrs
	err := s.call(ctx, func(ctx context.Context) (err error) {
		a, err = s.object(name).Attrs(ctx)
		return err
	})
	if err != nil {
		return nil, s.mapErr(ctx, name, err)
	}
	s.bucketSeen.Store(true)
	return a, nil
}

func (s *gcsStore) NewReader(ctx context.Context, name string) (io.ReadCloser, error) {
	if err := checkName(name); err != nil {
		return nil, opError("read", s.root.String(), err)
	}
	r, err := s.object(name).NewReader(ctx)
	if err != nil {
		return nil, opError("read", s.url(name), s.mapErr(ctx, name, err))
	}
	return &errorReader{rc: r, prefix: "store: read " + s.url(name), transcoded: r.Attrs.Decompressed}, nil
}

func (s *gcsStore) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return opError("delete", s.root.String(), err)
	}
	if err := s.deleteKey(ctx, s.key(name)); err != nil {
		return opError("delete", s.url(name), err)
	}
	return nil
}

// deleteKey deletes one object by its full key; a missing one is fine.
func (s *gcsStore) deleteKey(ctx context.Context, key string) error {
	err := s.call(ctx, func(ctx context.Context) error { return s.bucket.Object(key).Delete(ctx) })
	if err == nil || errors.Is(err, storage.ErrObjectNotExist) {
		return nil
	}
	return err
}
