package crashtest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// The snapshot dates: D0 and D1 are published cleanly before each fault, D2
// is the date whose publish is killed (or D1 again, for re-runs).
const (
	d0 = "2025-05-31"
	d1 = "2025-06-30"
	d2 = "2025-07-31"
)

// prefix is the output root's prefix in a scenario's bucket.
const prefix = "out/"

// fixtures are made once and shared by every test of the package.
var (
	fixOnce sync.Once
	fix     struct {
		data, changed string              // copies of the demo data; changed has one more order
		gcs           *fakestorage.Server // listening on 127.0.0.1
		err           error
	}
	buckets atomic.Int32
)

func fixtures(t *testing.T) {
	t.Helper()
	fixOnce.Do(func() {
		dir, err := os.MkdirTemp("", "journey-crashtest-data-")
		if err == nil {
			fix.data, fix.changed = filepath.Join(dir, "demo"), filepath.Join(dir, "changed")
			err = copyDemo(fix.data, fix.changed)
		}
		if err == nil {
			fix.gcs, err = fakestorage.NewServerWithOptions(fakestorage.Options{Host: "127.0.0.1", Scheme: "http"})
		}
		fix.err = err
	})
	if fix.err != nil {
		t.Fatal(fix.err)
	}
}

// releaseFixtures stops the fake GCS server and removes the data copies.
func releaseFixtures() {
	if fix.gcs != nil {
		fix.gcs.Stop()
	}
	if fix.data != "" {
		os.RemoveAll(filepath.Dir(fix.data))
	}
}

// copyDemo copies testdata/demo twice; the second copy gets an extra order
// on 2025-06-15, which changes the 2025-06-30 snapshot.
func copyDemo(data, changed string) error {
	for _, dst := range []string{data, changed} {
		if err := os.CopyFS(dst, os.DirFS(filepath.Join("..", "..", "testdata", "demo"))); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(filepath.Join(changed, "orders.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString("O-999999,C0001,e.fischer@example.net,2025-06-15T10:00:00Z,99.00,EUR,complete,webshop,2025-06-16,2025-06-16T09:00:00Z,,1,2025-06-16T09:00:00Z\n")
	return errors.Join(err, f.Close())
}

// world is one output root (a local folder or a fresh bucket) with its own
// work folder and configuration.
type world struct {
	kind     string // local or gcs
	root     string // the output root journey is given
	dir      string // the folder, for a local root
	bucket   string // the bucket, for a gs:// root
	emulator string // STORAGE_EMULATOR_HOST for journey
	work     string
	config   string
}

// The demo data sets a world may read.
const (
	demoData    = "demo"    // the bundled demo data
	changedData = "changed" // the same with one more order in June 2025
)

// newWorld makes an empty output root of kind reading data (demoData or
// changedData); publish is the configuration's publish section.
func newWorld(t *testing.T, kind, data, publish string) *world {
	t.Helper()
	fixtures(t)
	dataDir := fix.data
	if data == changedData {
		dataDir = fix.changed
	}
	w := &world{kind: kind, work: filepath.Join(t.TempDir(), "work")}
	switch kind {
	case "local":
		w.dir = filepath.Join(t.TempDir(), "out")
		w.root = w.dir
	case "gcs":
		w.bucket = fmt.Sprintf("scenario-%03d", buckets.Add(1))
		fix.gcs.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: w.bucket})
		w.root = "gs://" + w.bucket + "/" + strings.TrimSuffix(prefix, "/")
		w.emulator = strings.TrimPrefix(fix.gcs.URL(), "http://")
	}
	w.config = writeConfig(t, dataDir, w.root, w.work, publish)
	return w
}

var outputLine = regexp.MustCompile(`(?m)^output: .*$`)

// writeConfig writes a copy of the demo configuration beside its data with
// the output root, work folder and publish settings replaced.
func writeConfig(t *testing.T, data, root, work, publish string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "journey.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := outputLine.ReplaceAllLiteralString(string(b), fmt.Sprintf("output: %s\nwork_dir: %s\npublish: {%s}", root, work, publish))
	f, err := os.CreateTemp(data, "journey-*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// env is the environment of a journey process of this world.
func (w *world) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STORAGE_EMULATOR_HOST=") && !strings.HasPrefix(kv, "JOURNEY_FAULT") {
			env = append(env, kv)
		}
	}
	env = append(env, "JOURNEY_PII_KEY=crashtest-key")
	if w.emulator != "" {
		env = append(env, "STORAGE_EMULATOR_HOST="+w.emulator)
	}
	return env
}

// state is the visible objects of an output root, by name.
type state map[string][]byte

// state reads every visible object under the root.
func (w *world) state(t *testing.T) state {
	t.Helper()
	s := state{}
	if w.kind == "gcs" {
		objs, _, err := fix.gcs.ListObjectsWithOptions(w.bucket, fakestorage.ListOptions{Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			obj, err := fix.gcs.GetObject(w.bucket, o.Name)
			if err != nil {
				t.Fatal(err)
			}
			s[strings.TrimPrefix(o.Name, prefix)] = obj.Content
		}
		return s
	}
	err := filepath.WalkDir(w.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, _ := filepath.Rel(w.dir, p)
		b, err := os.ReadFile(p)
		s[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// load puts the objects of s under the (empty) root.
func (w *world) load(t *testing.T, s state) {
	t.Helper()
	for name, b := range s {
		if w.kind == "gcs" {
			fix.gcs.CreateObject(fakestorage.Object{
				ObjectAttrs: fakestorage.ObjectAttrs{BucketName: w.bucket, Name: prefix + name},
				Content:     b,
			})
			continue
		}
		p := filepath.Join(w.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// temps lists the hidden temporary files of killed writes under a local root.
func (w *world) temps(t *testing.T) []string {
	t.Helper()
	var found []string
	if w.kind != "local" {
		return nil
	}
	_ = filepath.WalkDir(w.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), ".tmp-") {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// baseline is a root with D0 and D1 published cleanly, one per kind.
type baseline struct {
	objects state
	runs    map[string]string                // as-of date → run id
	rows    map[string]map[string][][]string // as-of date → table → rows
}

var (
	baseMu sync.Mutex
	bases  = map[string]*baseline{}
)

func baselineOf(t *testing.T, kind string) *baseline {
	t.Helper()
	baseMu.Lock()
	defer baseMu.Unlock()
	if b := bases[kind]; b != nil {
		return b
	}
	w := newWorld(t, kind, demoData, "")
	b := &baseline{runs: map[string]string{}}
	for _, d := range []string{d0, d1} {
		b.runs[d] = mustRun(t, w, d).runID
	}
	b.objects = w.state(t)
	dir := b.objects.dir(t)
	b.rows = map[string]map[string][][]string{}
	for d, run := range b.runs {
		b.rows[d] = snapshotRows(t, dir, d, run)
	}
	bases[kind] = b
	return b
}
