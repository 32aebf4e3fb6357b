package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// The contract suite, in the style of golang-migrate's database/testing:
// every backend must pass runContract. newStore returns a fresh, empty store
// whose root (bucket or directory) exists.
type newStoreFunc func(t *testing.T) Store

// listHooker is implemented (in the backends' tests) to run a function in
// the middle of a listing.
type listHooker interface{ setListHook(func()) }

func runContract(t *testing.T, newStore newStoreFunc) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"AbortLeavesNothing", testAbort},
		{"InvisibleUntilCommit", testInvisibleUntilCommit},
		{"WriterMisuse", testWriterMisuse},
		{"CancelledWrite", testCancelledWrite},
		{"ManyObjects", testManyObjects},
		{"PrefixIsStringPrefix", testPrefixSemantics},
		{"HiddenNotListed", testHidden},
		{"Compressed", testCompressed},
		{"MissingObject", testMissingObject},
		{"DeletedBetweenListings", testDeletedBetweenListings},
		{"DeletedDuringListing", testDeletedDuringListing},
		{"IfNotExist", testIfNotExist},
		{"IfGenerationMatch", testIfGenerationMatch},
		{"CopyAndMove", testCopyMove},
		{"DeletePrefix", testDeletePrefix},
		{"InvalidNames", testInvalidNames},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

func put(t *testing.T, s Store, name, data string) {
	t.Helper()
	w, err := s.NewWriter(context.Background(), name, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if _, err := io.WriteString(w, data); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, s Store, name string) string {
	t.Helper()
	r, err := s.NewReader(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ls returns the names List gives.
func ls(t *testing.T, s Store, prefix string) []string {
	t.Helper()
	infos, err := s.List(context.Background(), prefix)
	return names(t, infos, err)
}

// glob returns the names Glob gives.
func glob(t *testing.T, s Store, pattern string) []string {
	t.Helper()
	infos, err := s.Glob(context.Background(), pattern)
	return names(t, infos, err)
}

func names(t *testing.T, infos []ObjectInfo, err error) []string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, o := range infos {
		out = append(out, o.Name)
	}
	return out
}

func wantNames(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("names = %q, want %q", got, want)
	}
}

func wantNotExist(t *testing.T, err error, msg string) {
	t.Helper()
	if !errors.Is(err, ErrNotExist) || !strings.Contains(err.Error(), msg) {
		t.Fatalf("err = %v, want ErrNotExist saying %q", err, msg)
	}
}

func testRoundTrip(t *testing.T, s Store) {
	ctx := context.Background()
	put(t, s, "a/b/c.csv", "id,x\n1,2\n")
	if got := get(t, s, "a/b/c.csv"); got != "id,x\n1,2\n" {
		t.Fatalf("read %q", got)
	}
	info, err := s.Stat(ctx, "a/b/c.csv")
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "a/b/c.csv" || info.Size != 9 || info.Generation == 0 || info.Updated.IsZero() {
		t.Fatalf("stat = %+v", info)
	}
	wantNames(t, ls(t, s, ""), []string{"a/b/c.csv"})
	put(t, s, "a/b/c.csv", "replaced")
	if got := get(t, s, "a/b/c.csv"); got != "replaced" {
		t.Fatalf("after overwrite read %q", got)
	}
}

func testAbort(t *testing.T, s Store) {
	ctx := context.Background()
	w, err := s.NewWriter(ctx, "d/x.parquet", WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, strings.Repeat("x", 1<<20))
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	wantNames(t, ls(t, s, ""), []string{})
	_, err = s.Stat(ctx, "d/x.parquet")
	wantNotExist(t, err, "not found")
	if p, ok := s.LocalPath("d/x.parquet"); ok {
		assertNoTempFiles(t, p)
	}
}

func testInvisibleUntilCommit(t *testing.T, s Store) {
	ctx := context.Background()
	put(t, s, "old.csv", "old")
	visible := []string{"old.csv"}
	for _, name := range []string{"new.csv", "old.csv"} {
		w, err := s.NewWriter(ctx, name, WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "partial")
		wantNames(t, ls(t, s, ""), visible)
		if name == "old.csv" && get(t, s, name) != "old" {
			t.Fatal("old content replaced before Commit")
		}
		io.WriteString(w, " and complete")
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := get(t, s, name); got != "partial and complete" {
			t.Fatalf("%s = %q", name, got)
		}
		visible = []string{"new.csv", "old.csv"}
	}
	wantNames(t, ls(t, s, ""), []string{"new.csv", "old.csv"})
}

func testWriterMisuse(t *testing.T, s Store) {
	w, err := s.NewWriter(context.Background(), "m.txt", WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "x")
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatalf("Abort after Commit = %v, want nil", err)
	}
	if err := w.Commit(); err == nil {
		t.Fatal("second Commit succeeded")
	}
	if _, err := w.Write([]byte("y")); err == nil {
		t.Fatal("Write after Commit succeeded")
	}
	if get(t, s, "m.txt") != "x" {
		t.Fatal("content changed after Commit")
	}
}

func testCancelledWrite(t *testing.T, s Store) {
	ctx, cancel := context.WithCancel(context.Background())
	w, err := s.NewWriter(ctx, "c.txt", WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "data")
	cancel()
	if err := w.Commit(); err == nil {
		t.Fatal("Commit after cancel succeeded")
	}
	_, err = s.Stat(context.Background(), "c.txt")
	wantNotExist(t, err, "not found")
	if p, ok := s.LocalPath("c.txt"); ok {
		assertNoTempFiles(t, p)
	}
}

func testManyObjects(t *testing.T, s Store) {
	var want []string
	for i := range 250 {
		name := fmt.Sprintf("many/2024-%02d/obj-%03d.csv", i%12+1, i)
		put(t, s, name, "x")
		want = append(want, name)
	}
	put(t, s, "many.txt", "sibling, not under many/")
	put(t, s, "other/obj-001.csv", "elsewhere")
	slices.Sort(want)
	wantNames(t, ls(t, s, "many/"), want)
	wantNames(t, glob(t, s, "many/*/obj-*.csv"), want)
	wantNames(t, glob(t, s, "**/obj-001.csv"), []string{"many/2024-02/obj-001.csv", "other/obj-001.csv"})
	wantNames(t, glob(t, s, "many/2024-1[01]/obj-?9?.csv"),
		[]string{"many/2024-10/obj-093.csv", "many/2024-11/obj-094.csv", "many/2024-11/obj-190.csv"})
	if got := glob(t, s, "many/2024-0[1-3]/*"); len(got) != 63 {
		t.Fatalf("glob of three months gave %d objects, want 63", len(got))
	}
	wantNames(t, glob(t, s, "many/*.csv"), []string{})
}

func testPrefixSemantics(t *testing.T, s Store) {
	for _, n := range []string{"a/b.csv", "a/bc/d.csv", "ab.csv", "b.csv"} {
		put(t, s, n, n)
	}
	wantNames(t, ls(t, s, "a/b"), []string{"a/b.csv", "a/bc/d.csv"})
	wantNames(t, ls(t, s, "a/"), []string{"a/b.csv", "a/bc/d.csv"})
	wantNames(t, ls(t, s, "a"), []string{"a/b.csv", "a/bc/d.csv", "ab.csv"})
	wantNames(t, ls(t, s, "zzz/"), []string{})
}
