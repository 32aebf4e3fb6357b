package store

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func (s *localStore) setListHook(f func()) { s.afterListBatch = f }

func newLocalTestStore(t *testing.T) Store {
	s, err := Open(context.Background(), t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestLocalContract(t *testing.T) {
	runContract(t, newLocalTestStore)
}

func TestLocalTempFileHiddenDuringWrite(t *testing.T) {
	ctx := context.Background()
	s := newLocalTestStore(t)
	w, err := s.NewWriter(ctx, "out/t.parquet", WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "partial")
	p, _ := s.LocalPath("out/t.parquet")
	entries, err := os.ReadDir(filepath.Dir(p))
	if err != nil || len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), ".t.parquet.tmp-") {
		t.Fatalf("during the write the folder holds %v (err %v), want one hidden temporary file", entries, err)
	}
	wantNames(t, ls(t, s, ""), []string{})
	must(t, w.Commit())
	if b, err := os.ReadFile(p); err != nil || string(b) != "partial" {
		t.Fatalf("LocalPath file: %q, %v", b, err)
	}
	assertNoTempFiles(t, p)
}

func TestLocalMissingRoot(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "absent")
	s, err := Open(ctx, root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.List(ctx, "")
	wantNotExist(t, err, "root directory \""+root+"\" does not exist")
	_, err = s.Stat(ctx, "x.csv")
	wantNotExist(t, err, "root directory")
	put(t, s, "x.csv", "writes create the root")
	wantNames(t, ls(t, s, ""), []string{"x.csv"})
}

func TestLocalSymlinks(t *testing.T) {
	s := newLocalTestStore(t)
	put(t, s, "real/a.csv", "a")
	dir := s.String()
	must(t, os.Symlink(filepath.Join(dir, "real", "a.csv"), filepath.Join(dir, "link.csv")))
	must(t, os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "linkdir")))
	must(t, os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "dangling.csv")))
	wantNames(t, ls(t, s, ""), []string{"link.csv", "real/a.csv"})
	if get(t, s, "link.csv") != "a" {
		t.Fatal("symlinked file not readable")
	}
}

func TestLocalString(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(context.Background(), "file://"+dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.String() != dir {
		t.Fatalf("String() = %q, want %q", s.String(), dir)
	}
	if p, ok := s.LocalPath("a/b.csv"); !ok || p != filepath.Join(dir, "a", "b.csv") {
		t.Fatalf("LocalPath = %q, %v", p, ok)
	}
}
