package store

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

func (s *gcsStore) setListHook(f func()) { s.afterListBatch = f }

const testBucket = "journey-test"

// newFakeServer starts an in-process fake-gcs-server holding testBucket and
// one object that sits next to, but outside, the store roots used below.
func newFakeServer(t *testing.T) *fakestorage.Server {
	t.Helper()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: testBucket})
	srv.CreateObject(fakestorage.Object{
		ObjectAttrs: fakestorage.ObjectAttrs{BucketName: testBucket, Name: "root/prefix2/leak.csv"},
		Content:     []byte("outside the root"),
	})
	return srv
}

func openGCSTest(t *testing.T, srv *fakestorage.Server, root string) Store {
	t.Helper()
	s, err := Open(context.Background(), root, Options{Client: srv.Client(), CallTimeout: 10 * time.Second, RetryInitial: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newGCSTestStore(t *testing.T) Store {
	s := openGCSTest(t, newFakeServer(t), "gs://"+testBucket+"/root/prefix")
	s.(*gcsStore).pageSize = 100 // several pages for the 250-object tests
	return s
}

func TestGCSContract(t *testing.T) {
	runContract(t, newGCSTestStore)
}

func TestGCSMissingBucket(t *testing.T) {
	ctx := context.Background()
	s := openGCSTest(t, newFakeServer(t), "gs://no-such-bucket/p")
	const msg = `bucket "no-such-bucket" does not exist`
	_, err := s.List(ctx, "")
	wantNotExist(t, err, msg)
	_, err = s.Stat(ctx, "x.csv")
	wantNotExist(t, err, msg)
	_, readErr := s.NewReader(ctx, "x.csv")
	wantNotExist(t, readErr, msg)
	w, err := s.NewWriter(ctx, "x.csv", WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "x")
	wantNotExist(t, w.Commit(), msg)
	if !strings.Contains(readErr.Error(), "store: read gs://no-such-bucket/p/x.csv: ") {
		t.Fatalf("message %q does not name the operation and URL", readErr)
	}
}

func TestGCSMetadataAndChecksums(t *testing.T) {
	ctx := context.Background()
	s := newGCSTestStore(t)
	w, err := s.NewWriter(ctx, "m/data.parquet", WriteOptions{
		ContentType: "application/vnd.apache.parquet",
		Metadata:    map[string]string{"run_id": "r1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "PAR1")
	must(t, w.Commit())
	for _, info := range []ObjectInfo{stat(t, s, "m/data.parquet"), listOne(t, s, "m/")} {
		if info.ContentType != "application/vnd.apache.parquet" || info.Metadata["run_id"] != "r1" ||
			!info.HasCRC32C || info.Size != 4 {
			t.Fatalf("info = %+v", info)
		}
	}
	if _, ok := s.LocalPath("m/data.parquet"); ok {
		t.Fatal("LocalPath on GCS")
	}
	if s.String() != "gs://journey-test/root/prefix" {
		t.Fatalf("String() = %q", s.String())
	}
}

func listOne(t *testing.T, s Store, prefix string) ObjectInfo {
	t.Helper()
	infos, err := s.List(context.Background(), prefix)
	if err != nil || len(infos) != 1 {
		t.Fatalf("List(%q) = %v, %v; want one object", prefix, infos, err)
	}
	return infos[0]
}

// flaky fails the first attempt of every distinct request with 503.
type flaky struct {
	next  http.Handler
	mu    sync.Mutex
	seen  map[string]bool
	fails int
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.String()
	f.mu.Lock()
	first := !f.seen[key]
	f.seen[key] = true
	if first {
		f.fails++
	}
	f.mu.Unlock()
	if first {
		http.Error(w, `{"error":{"code":503,"message":"try again"}}`, http.StatusServiceUnavailable)
		return
	}
	f.next.ServeHTTP(w, r)
}

// TestGCSEmulatorHostAndRetries opens the store the way production does
// (no injected client, STORAGE_EMULATOR_HOST set) against a server that
// fails every request once: each operation must succeed through retries.
func TestGCSEmulatorHostAndRetries(t *testing.T) {
	srv := newFakeServer(t)
	fl := &flaky{next: srv.HTTPHandler(), seen: map[string]bool{}}
	s := openEmulator(t, fl)
	ctx := context.Background()
	put(t, s, "r/a.csv", "a")
	put(t, s, "r/b.csv", "b")
	wantNames(t, ls(t, s, "r/"), []string{"r/a.csv", "r/b.csv"})
	if get(t, s, "r/a.csv") != "a" || stat(t, s, "r/b.csv").Size != 1 {
		t.Fatal("read back through the emulator")
	}
	must(t, s.Move(ctx, "r/a.csv", "r/c.csv"))
	must(t, s.Delete(ctx, "r/b.csv"))
	wantNames(t, ls(t, s, "r/"), []string{"r/c.csv"})
	if fl.fails < 8 {
		t.Fatalf("only %d requests failed, the test did not exercise retries", fl.fails)
	}
}

// openEmulator serves h over HTTP and opens the test root through
// STORAGE_EMULATOR_HOST, the way production code opens GCS.
func openEmulator(t *testing.T, h http.Handler) Store {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(ts.URL, "http://"))
	s, err := Open(context.Background(), "gs://"+testBucket+"/root/prefix", Options{RetryInitial: time.Millisecond, RetryMax: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestGCSTranscodedGzip reads objects stored with "Content-Encoding: gzip"
// (gcloud storage cp -Z), which GCS serves decompressed, through both the
// XML reads of srv.Client() and the JSON reads used with the emulator.
func TestGCSTranscodedGzip(t *testing.T) {
	srv := newFakeServer(t)
	plain := "id,amount\n1,9.5\n"
	gz := compressed(t, []byte(plain), "gzip")
	for _, n := range []string{"t/a.csv.gz", "t/b.csv", "t/c.csv.gz"} {
		enc := "gzip"
		if n == "t/c.csv.gz" {
			enc = "" // a plain .gz object, for contrast
		}
		srv.CreateObject(fakestorage.Object{
			ObjectAttrs: fakestorage.ObjectAttrs{BucketName: testBucket, Name: "root/prefix/" + n, ContentEncoding: enc},
			Content:     gz,
		})
	}
	stores := map[string]Store{
		"xml":  openGCSTest(t, srv, "gs://"+testBucket+"/root/prefix"),
		"json": openEmulator(t, srv.HTTPHandler()),
	}
	for kind, s := range stores {
		for _, n := range []string{"t/a.csv.gz", "t/b.csv", "t/c.csv.gz"} {
			r, err := s.NewReader(context.Background(), n)
			if err != nil {
				t.Fatal(err)
			}
			dr, err := Decompress(n, r)
			if err != nil {
				t.Fatalf("%s %s: %v", kind, n, err)
			}
			got, err := io.ReadAll(dr)
			dr.Close()
			if err != nil || string(got) != plain {
				t.Fatalf("%s %s: read %q, %v", kind, n, got, err)
			}
		}
	}
}
