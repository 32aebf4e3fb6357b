package gen_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/gen"
	"github.com/journeydata/journey/internal/testkit"
)

func TestMain(m *testing.M) {
	testkit.UsePIIKey()
	os.Exit(m.Run())
}

// write generates a data set into a fresh temp folder.
func write(t *testing.T, o gen.Options) (string, *gen.Summary) {
	t.Helper()
	if o.Out == "" {
		o.Out = filepath.Join(t.TempDir(), "data")
	}
	s, err := gen.Write(context.Background(), o)
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	return o.Out, s
}

// readAll returns every file of dir (recursively) by relative path.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDeterministic checks that the same options give byte-identical files
// whatever the number of workers (blocks are generated in parallel), and
// that another seed gives other data.
func TestDeterministic(t *testing.T) {
	for _, f := range gen.Formats {
		t.Run(string(f), func(t *testing.T) {
			o := gen.Options{Customers: 2500, Seed: 7, Format: f, Dirt: 0.01}
			o.Workers = 1
			a, _ := write(t, o)
			o.Workers = 4
			b, _ := write(t, o)
			fa, fb := readAll(t, a), readAll(t, b)
			if len(fa) != 7 || len(fa) != len(fb) {
				t.Fatalf("%d and %d files, want 7 (5 exports, truth, config)", len(fa), len(fb))
			}
			for name, content := range fa {
				if !bytes.Equal(content, fb[name]) {
					t.Errorf("%s differs between two runs with the same seed", name)
				}
			}
			o.Seed = 8
			c, _ := write(t, o)
			fc := readAll(t, c)
			for name := range fa {
				if name != gen.ConfigFile && bytes.Equal(fa[name], fc[name]) {
					t.Errorf("%s is the same for seeds 7 and 8", name)
				}
			}
		})
	}
}

// TestDirtLeavesCleanDataAlone checks that dirt comes from its own stream:
// without dirt the clean records and their counts are the same.
func TestDirtLeavesCleanDataAlone(t *testing.T) {
	_, dirty := write(t, gen.Options{Customers: 1500, Seed: 3, Dirt: 0.05})
	_, clean := write(t, gen.Options{Customers: 1500, Seed: 3})
	d, c := dirty.Truth.Counts, clean.Truth.Counts
	d.DirtRows = 0
	if d != c {
		t.Errorf("counts with dirt %+v, without %+v", d, c)
	}
	if dirty.Truth.Counts.DirtRows == 0 || clean.Truth.Counts.DirtRows != 0 {
		t.Errorf("dirt rows %d with --dirt 0.05 and %d with 0", dirty.Truth.Counts.DirtRows, clean.Truth.Counts.DirtRows)
	}
}

func TestOptionsValidate(t *testing.T) {
	ok := gen.Options{Customers: 10, Out: "x"}
	cases := []struct {
		name string
		edit func(*gen.Options)
		want string
	}{
		{"no customers", func(o *gen.Options) { o.Customers = 0 }, "--customers"},
		{"no out", func(o *gen.Options) { o.Out = "" }, "--out"},
		{"format", func(o *gen.Options) { o.Format = "xml" }, "--format"},
		{"dirt", func(o *gen.Options) { o.Dirt = 0.5 }, "--dirt"},
		{"short period", func(o *gen.Options) { o.To = gen.DefaultFrom.AddDate(0, 0, 10) }, "28 days"},
		{"bgnbd", func(o *gen.Options) { o.BGNBD.R = -1; o.BGNBD.Alpha = 1 }, "--bgnbd"},
		{"gamma-gamma", func(o *gen.Options) { o.GammaGamma.P = -1 }, "--gamma-gamma"},
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid options: %v", err)
	}
	for _, c := range cases {
		o := ok
		c.edit(&o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %s", c.name, err, c.want)
		}
	}
}

// TestOutputFolder checks that Write replaces an earlier data set but
// refuses a folder with other files.
func TestOutputFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	write(t, gen.Options{Customers: 200, Out: dir, Format: gen.FormatNDJSON})
	write(t, gen.Options{Customers: 200, Out: dir, Format: gen.FormatCSV})
	if _, err := os.Stat(filepath.Join(dir, "orders.ndjson")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the earlier data set's orders.ndjson was left behind: %v", err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := gen.Write(context.Background(), gen.Options{Customers: 10, Out: other})
	if !errors.Is(err, gen.ErrOutputFolder) {
		t.Errorf("writing into a folder with other files: %v, want ErrOutputFolder", err)
	}
}

// TestCancel checks that an interrupted Write returns the context's error
// and leaves no files behind.
func TestCancel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := gen.Write(ctx, gen.Options{Customers: 5000, Out: dir, Format: gen.FormatParquet})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled write: %v, want context.Canceled", err)
	}
	if left := readAll(t, dir); len(left) > 0 {
		t.Errorf("files left behind: %d", len(left))
	}
}

// TestParts checks that a data set larger than a part is split into
// numbered parts, each holding whole blocks, read through a glob.
func TestParts(t *testing.T) {
	dir, s := write(t, gen.Options{Customers: 2001, Seed: 1, PartCustomers: 1000})
	want := []string{"crm_contacts-0001.csv", "crm_contacts-0002.csv", "crm_contacts-0003.csv", "orders-0001.csv"}
	for i, w := range want {
		if s.Files[i].Path != w {
			t.Errorf("file %d is %s, want %s", i, s.Files[i].Path, w)
		}
	}
	if s.Files[2].Rows < 1 || s.Files[2].Rows > 2 || s.Truth.Sources[0].Path != "crm_contacts-*.csv" {
		t.Errorf("third CRM part holds %d rows, source path %q; want 1 (2 with dirt) and a glob", s.Files[2].Rows, s.Truth.Sources[0].Path)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, gen.ConfigFile))
	if err != nil || !strings.Contains(string(cfg), `path: "orders-*.csv"`) {
		t.Errorf("configuration does not read the orders glob: %v\n%s", err, cfg)
	}
}
