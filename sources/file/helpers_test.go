package file_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/file"
)

// run is one source read the way pipeline/extract.go reads it: registry,
// Extract, Map, Stage.
type run struct {
	db      *duck.DB
	workDir string // the Request.WorkDir given to Extract
	ex      sources.Extracted
	counts  sources.Counts
}

// newDB opens an in-memory database ready for Extract; the caller closes it.
func newDB(t testing.TB) *duck.DB {
	t.Helper()
	db, err := duck.Open(context.Background(), duck.Settings{PreserveInsertionOrder: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sources.CreateParseRejects(context.Background(), db); err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db
}

// openDB is newDB closed when the test ends.
func openDB(t testing.TB) *duck.DB {
	db := newDB(t)
	t.Cleanup(func() { db.Close() })
	return db
}

func newSource(t testing.TB, spec sources.Spec, baseDir string) sources.Source {
	t.Helper()
	reg := sources.NewRegistry()
	file.Register(reg)
	src, err := reg.New(spec, baseDir)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// load extracts, maps and stages one source and returns the first error;
// the run is returned either way.
func load(t testing.TB, src sources.Source, spec sources.Spec) (*run, error) {
	t.Helper()
	ctx := context.Background()
	r := &run{db: openDB(t), workDir: filepath.Join(t.TempDir(), "spill", spec.Name)}
	var err error
	if r.ex, err = src.Extract(ctx, r.db, sources.Request{Raw: "raw_0", WorkDir: r.workDir}); err != nil {
		return r, err
	}
	if err := sources.Map(ctx, r.db, spec, 0, "raw_0", "map_0", r.ex); err != nil {
		return r, err
	}
	counts, err := sources.Stage(ctx, r.db, []sources.Loaded{{Spec: spec, Src: 0, Raw: "raw_0", Mapped: "map_0", Extracted: r.ex}})
	r.counts = counts[spec.Name]
	return r, err
}

// mustLoad is load for a source that must read.
func mustLoad(t testing.TB, spec sources.Spec, baseDir string) *run {
	t.Helper()
	r, err := load(t, newSource(t, spec, baseDir), spec)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// loadErr is load for a source that must fail; it returns the message.
func loadErr(t testing.TB, spec sources.Spec, baseDir string) string {
	t.Helper()
	_, err := load(t, newSource(t, spec, baseDir), spec)
	if err == nil {
		t.Fatalf("source %s read without error", spec.Name)
	}
	t.Log(err)
	return err.Error()
}

// rows runs a query and returns every row as text.
func (r *run) rows(t testing.TB, q string, args ...any) [][]string {
	t.Helper()
	res, err := r.db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer res.Close()
	cols, _ := res.Columns()
	var out [][]string
	for res.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := res.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = text(v)
		}
		out = append(out, row)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// joined renders rows as "a|b|c" lines, for compact comparisons.
func joined(rows [][]string) string {
	var lines []string
	for _, r := range rows {
		lines = append(lines, strings.Join(r, "|"))
	}
	return strings.Join(lines, "\n")
}

func wantCounts(t testing.TB, r *run, read, loaded, rejected int64) {
	t.Helper()
	if c := r.counts; c.Read != read || c.Loaded != loaded || c.Rejected != rejected {
		t.Fatalf("counts %+v, want read %d loaded %d rejected %d", c, read, loaded, rejected)
	}
}

func wantContains(t testing.TB, msg string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("message %q does not contain %q", msg, p)
		}
	}
}

func writeFile(t testing.TB, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// text renders a scanned value: NULL as "NULL", anything else with %v.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}
