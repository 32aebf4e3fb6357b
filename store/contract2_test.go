package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func testHidden(t *testing.T, s Store) {
	for _, n := range []string{".hidden", "d/.x.tmp-1", "d/visible"} {
		put(t, s, n, n)
	}
	wantNames(t, ls(t, s, ""), []string{"d/visible"})
	wantNames(t, glob(t, s, "**"), []string{"d/visible"})
	wantNames(t, glob(t, s, "d/.*"), []string{})
	if get(t, s, ".hidden") != ".hidden" {
		t.Fatal("hidden object not readable by name")
	}
}

func compressed(t *testing.T, plain []byte, codec string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser = gzip.NewWriter(&buf)
	if codec == "zstd" {
		zw, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w = zw
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testCompressed(t *testing.T, s Store) {
	ctx := context.Background()
	var plain strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&plain, "%d,customer-%d,2024-01-%02d\n", i, i%977, i%28+1)
	}
	objects := map[string]string{
		"in/orders.csv.gz":  string(compressed(t, []byte(plain.String()), "gzip")),
		"in/orders.csv.zst": string(compressed(t, []byte(plain.String()), "zstd")),
		"in/orders.sniffed": string(compressed(t, []byte(plain.String()), "zstd")),
		"in/orders.csv":     plain.String(),
	}
	for name, data := range objects {
		put(t, s, name, data)
	}
	for name := range objects {
		r, err := s.NewReader(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		dr, err := Decompress(name, r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(dr)
		if err != nil || string(got) != plain.String() {
			t.Fatalf("%s: read %d bytes (err %v), want %d", name, len(got), err, plain.Len())
		}
		if err := dr.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func testMissingObject(t *testing.T, s Store) {
	ctx := context.Background()
	put(t, s, "present.csv", "x")
	_, err := s.Stat(ctx, "nope/x.csv")
	wantNotExist(t, err, `"`)
	wantNotExist(t, err, "nope/x.csv\" not found")
	_, err = s.NewReader(ctx, "nope/x.csv")
	wantNotExist(t, err, "nope/x.csv\" not found")
	if err := s.Delete(ctx, "nope/x.csv"); err != nil {
		t.Fatalf("delete missing: %v", err)
	}
	wantNotExist(t, s.Copy(ctx, "nope/x.csv", "y.csv"), "not found")
	wantNotExist(t, s.Move(ctx, "nope/x.csv", "y.csv"), "not found")
}

func testDeletedBetweenListings(t *testing.T, s Store) {
	ctx := context.Background()
	for _, n := range []string{"l/a", "l/b", "l/c"} {
		put(t, s, n, n)
	}
	first := ls(t, s, "l/")
	if err := s.Delete(ctx, "l/b"); err != nil {
		t.Fatal(err)
	}
	wantNames(t, ls(t, s, "l/"), []string{"l/a", "l/c"})
	wantNames(t, glob(t, s, "l/*"), []string{"l/a", "l/c"})
	_, err := s.NewReader(ctx, first[1])
	wantNotExist(t, err, "not found")
}

func testDeletedDuringListing(t *testing.T, s Store) {
	ctx := context.Background()
	for i := range 250 {
		put(t, s, fmt.Sprintf("many/obj-%03d", i), "x")
	}
	fired := false
	s.(listHooker).setListHook(func() {
		if fired {
			return
		}
		fired = true
		for i := 200; i < 250; i++ {
			if err := s.Delete(ctx, fmt.Sprintf("many/obj-%03d", i)); err != nil {
				t.Error(err)
			}
		}
	})
	got := ls(t, s, "many/")
	if !fired || len(got) != 200 || got[199] != "many/obj-199" {
		t.Fatalf("listing during deletion gave %d objects, last %q", len(got), got[len(got)-1])
	}
}

func testIfNotExist(t *testing.T, s Store) {
	ctx := context.Background()
	w1, err := s.NewWriter(ctx, "_SUCCESS", WriteOptions{IfNotExist: true})
	if err != nil {
		t.Fatal(err)
	}
	w2, err := s.NewWriter(ctx, "_SUCCESS", WriteOptions{IfNotExist: true})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w1, "first")
	io.WriteString(w2, "second")
	if err := w1.Commit(); err != nil {
		t.Fatal(err)
	}
	err = w2.Commit()
	if !errors.Is(err, ErrPrecondition) {
		t.Fatalf("second IfNotExist commit: %v, want ErrPrecondition", err)
	}
	if err := w2.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, "_SUCCESS"); got != "first" {
		t.Fatalf("content %q", got)
	}
	if p, ok := s.LocalPath("_SUCCESS"); ok {
		assertNoTempFiles(t, p)
	}
}

func testIfGenerationMatch(t *testing.T, s Store) {
	ctx := context.Background()
	put(t, s, "state.json", "v1")
	g1 := stat(t, s, "state.json").Generation
	commit := func(gen int64, data string) error {
		w, err := s.NewWriter(ctx, "state.json", WriteOptions{IfGenerationMatch: gen})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		io.WriteString(w, data)
		return w.Commit()
	}
	if err := commit(g1, "v2"); err != nil {
		t.Fatal(err)
	}
	if g2 := stat(t, s, "state.json").Generation; g2 == g1 {
		t.Fatal("generation unchanged by a rewrite")
	}
	if err := commit(g1, "v3"); !errors.Is(err, ErrPrecondition) {
		t.Fatalf("stale generation: %v, want ErrPrecondition", err)
	}
	if got := get(t, s, "state.json"); got != "v2" {
		t.Fatalf("content %q, want v2", got)
	}
	if _, err := s.NewWriter(ctx, "x", WriteOptions{IfNotExist: true, IfGenerationMatch: 3}); err == nil {
		t.Fatal("IfNotExist with IfGenerationMatch accepted")
	}
}

func stat(t *testing.T, s Store, name string) ObjectInfo {
	t.Helper()
	info, err := s.Stat(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func testCopyMove(t *testing.T, s Store) {
	ctx := context.Background()
	put(t, s, "src.csv", "data")
	put(t, s, "target.csv", "old")
	must(t, s.Copy(ctx, "src.csv", "copies/dst.csv"))
	if get(t, s, "src.csv") != "data" || get(t, s, "copies/dst.csv") != "data" {
		t.Fatal("copy content")
	}
	must(t, s.Move(ctx, "copies/dst.csv", "moved/final.csv"))
	must(t, s.Move(ctx, "moved/final.csv", "moved/final.csv"))
	must(t, s.Move(ctx, "src.csv", "target.csv"))
	wantNames(t, ls(t, s, ""), []string{"moved/final.csv", "target.csv"})
	if get(t, s, "moved/final.csv") != "data" || get(t, s, "target.csv") != "data" {
		t.Fatal("move content")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testDeletePrefix(t *testing.T, s Store) {
	ctx := context.Background()
	for _, n := range []string{"p/a", "p/sub/b", "p/sub/.hidden", "p2/c", "q"} {
		put(t, s, n, n)
	}
	must(t, s.DeletePrefix(ctx, "p/"))
	wantNames(t, ls(t, s, ""), []string{"p2/c", "q"})
	_, err := s.Stat(ctx, "p/sub/.hidden")
	wantNotExist(t, err, "not found")
	if err := s.DeletePrefix(ctx, ""); err == nil || errors.Is(err, ErrNotExist) {
		t.Fatalf("DeletePrefix(\"\") = %v, want a refusal", err)
	}
	must(t, s.DeletePrefix(ctx, "nothing/"))
	if p, ok := s.LocalPath("p/a"); ok {
		if _, err := os.Stat(filepath.Dir(p)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("folder p left behind: %v", err)
		}
	}
}

func testInvalidNames(t *testing.T, s Store) {
	ctx := context.Background()
	for _, bad := range []string{"", "/abs", "../x", "a/../b", "a//b", "a/", "./a", "a\nb"} {
		if _, err := s.Stat(ctx, bad); err == nil || errors.Is(err, ErrNotExist) {
			t.Errorf("Stat(%q) = %v, want an invalid-name error", bad, err)
		}
		if _, err := s.NewWriter(ctx, bad, WriteOptions{}); err == nil {
			t.Errorf("NewWriter(%q) accepted", bad)
		}
		if _, ok := s.LocalPath(bad); ok {
			t.Errorf("LocalPath(%q) accepted", bad)
		}
	}
	if _, err := s.List(ctx, "../"); err == nil {
		t.Error("List(../) accepted")
	}
	for _, bad := range []string{"a/**b", "[", "a/[z-a"} {
		if _, err := s.Glob(ctx, bad); !errors.Is(err, path.ErrBadPattern) {
			t.Errorf("Glob(%q) = %v, want ErrBadPattern", bad, err)
		}
	}
}

// assertNoTempFiles checks that no temporary file is left next to p.
func assertNoTempFiles(t *testing.T, p string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(p))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
}
