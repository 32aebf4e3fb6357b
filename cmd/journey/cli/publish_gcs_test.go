package cli_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/journeydata/journey/cmd/journey/cli"
	"github.com/journeydata/journey/internal/testkit"
)

// runIDs matches run ids in object names and contents.
var runIDs = regexp.MustCompile(`\d{8}T\d{6}Z-[0-9a-f]{6}`)

// TestSameLayoutLocalAndGCS publishes the demo snapshot with --out into a
// local folder and into gs:// (fake-gcs-server through
// STORAGE_EMULATOR_HOST): the same objects, and the same bytes for every
// table file.
func TestSameLayoutLocalAndGCS(t *testing.T) {
	srv := testkit.FakeGCS(t, "bi-exports")
	local := t.TempDir()
	for _, out := range []string{local, "gs://bi-exports/journey"} {
		var stdout, stderr bytes.Buffer
		args := []string{"run", "--config", "../../../testdata/demo/journey.yaml", "--as-of", "2025-06-30", "--out", out}
		if code := cli.Run(context.Background(), args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("--out %s: exit %d: %s", out, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "to "+out) {
			t.Errorf("stdout %q does not name %s", stdout.String(), out)
		}
	}
	want := localObjects(t, local)
	objs, _, err := srv.ListObjects("bi-exports", "journey/", "", false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, o := range objs {
		obj, err := srv.GetObject("bi-exports", o.Name)
		if err != nil {
			t.Fatal(err)
		}
		got[runIDs.ReplaceAllString(strings.TrimPrefix(o.Name, "journey/"), "RUN")] = obj.Content
	}
	for name, b := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s is published locally but not on gs://", name)
		case strings.HasSuffix(name, ".parquet") && !bytes.Equal(g, b):
			t.Errorf("%s differs between the backends", name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d objects on gs://, %d files locally", len(got), len(want))
	}
}

// localObjects reads the visible files under dir, with run ids in their
// names replaced by RUN.
func localObjects(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		m[runIDs.ReplaceAllString(filepath.ToSlash(rel), "RUN")] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
