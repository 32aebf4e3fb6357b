package sinks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/journeydata/journey/store"
)

const testBucket = "journey-out"

// testPolicy keeps failing tests short.
var testPolicy = Policy{RequestTimeout: 5 * time.Second, Pause: 10 * time.Millisecond}

// backends returns a fresh, empty output root per backend: a local folder
// and a prefix in an in-process fake-gcs-server bucket.
func backends(t *testing.T) map[string]func(t *testing.T) *Root {
	return map[string]func(t *testing.T) *Root{
		"local": func(t *testing.T) *Root { return openTestRoot(t, t.TempDir(), store.Options{}) },
		"gcs": func(t *testing.T) *Root {
			srv := newFakeGCS(t)
			return openTestRoot(t, "gs://"+testBucket+"/out", store.Options{Client: srv.Client()})
		},
	}
}

func newFakeGCS(t *testing.T) *fakestorage.Server {
	t.Helper()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: testBucket})
	return srv
}

func openTestRoot(t *testing.T, root string, opts store.Options) *Root {
	t.Helper()
	opts.CallTimeout, opts.RetryInitial, opts.RetryMax = testPolicy.RequestTimeout, time.Millisecond, 20*time.Millisecond
	st, err := store.Open(context.Background(), root, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return NewRoot(st, testPolicy)
}

// emulatorRoot serves fake-gcs-server through h over HTTP and opens the root
// the way production does, through STORAGE_EMULATOR_HOST.
func emulatorRoot(t *testing.T, srv *fakestorage.Server, wrap func(http.Handler) http.Handler) *Root {
	t.Helper()
	ts := httptest.NewServer(wrap(srv.HTTPHandler()))
	t.Cleanup(ts.Close)
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(ts.URL, "http://"))
	return openTestRoot(t, "gs://"+testBucket+"/out", store.Options{})
}

// objects lists every object under the root, hidden ones excluded.
func objects(t *testing.T, r *Root) []string {
	t.Helper()
	infos, err := r.List(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range infos {
		names = append(names, o.Name)
	}
	sort.Strings(names)
	return names
}

// contents reads every object under the root.
func contents(t *testing.T, r *Root) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, name := range objects(t, r) {
		m[name] = read(t, r, name)
	}
	return m
}

// read reads an object whole.
func read(t *testing.T, r *Root, name string) string {
	t.Helper()
	b, err := r.ReadFile(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2025, 7, 1, 2, 0, 0, 0, time.UTC)} }
func (c *clock) at(d time.Duration) func() time.Time {
	t := c.t.Add(d)
	return func() time.Time { return t }
}
