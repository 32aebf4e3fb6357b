package gen_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/journeydata/journey/internal/gen"
	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sinks"
)

// rejectKind classifies the pipeline's reject reasons by dirt kind.
const rejectKind = `CASE
	WHEN reason LIKE 'duplicate %' THEN 'duplicate'
	WHEN reason LIKE 'bad timestamp%' THEN 'bad_date'
	WHEN reason LIKE 'negative amount%' THEN 'negative_amount'
	WHEN reason LIKE 'score % out of range%' THEN 'out_of_range_score'
	WHEN reason LIKE 'unreadable%' THEN 'malformed_line'
	ELSE reason END`

// run runs the pipeline on the configuration in dir as of the truth's date.
func run(t *testing.T, cfgPath string, truth *gen.Truth) (string, *sinks.Manifest) {
	t.Helper()
	cfg, err := pipeline.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	m, err := testkit.RunConfig(cfg, truth.AsOf, out, t.TempDir())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return out, m
}

// TestPipelineReadsGeneratedData generates 2,000 customers in every format
// (and once split into parts), runs the generated configuration through
// the real pipeline and checks, per source, that it read every row, that
// read = loaded + rejected, and that it rejected exactly the injected dirt
// of the kinds a correct pipeline rejects, kind by kind; the unknown
// customers come back as the unmatched identities.
func TestPipelineReadsGeneratedData(t *testing.T) {
	cases := []gen.Options{
		{Format: gen.FormatDemo}, {Format: gen.FormatCSV}, {Format: gen.FormatNDJSON},
		{Format: gen.FormatParquet}, {Format: gen.FormatCSV, PartCustomers: 1000},
	}
	for _, o := range cases {
		name := string(o.Format) + map[bool]string{true: "-parts"}[o.PartCustomers > 0]
		t.Run(name, func(t *testing.T) {
			o.Customers, o.Seed, o.Dirt = 2000, 11, 0.01
			dir, s := write(t, o)
			out, m := run(t, filepath.Join(dir, gen.ConfigFile), &s.Truth)
			checkSources(t, out, m, &s.Truth)
		})
	}
}

// TestDemoConfigReadsGeneratedData checks that the bundled demo's own
// configuration reads a data set in the demo's format.
func TestDemoConfigReadsGeneratedData(t *testing.T) {
	dir, s := write(t, gen.Options{Customers: 1000, Seed: 5})
	cfg, err := pipeline.Load("../../testdata/demo/journey.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Path = filepath.Join(dir, "journey.yaml") // resolve the demo's paths in the generated folder
	out := filepath.Join(t.TempDir(), "out")
	m, err := testkit.RunConfig(cfg, s.Truth.AsOf, out, t.TempDir())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	checkSources(t, out, m, &s.Truth)
}

func checkSources(t *testing.T, out string, m *sinks.Manifest, truth *gen.Truth) {
	t.Helper()
	got := map[string]map[string]int64{}
	for _, r := range testkit.Rows(t, `SELECT source, `+rejectKind+` AS kind, count(*) FROM read_parquet($1) GROUP BY ALL`,
		testkit.Table(out, "rejects")) {
		if got[r[0]] == nil {
			got[r[0]] = map[string]int64{}
		}
		got[r[0]][r[1]], _ = strconv.ParseInt(r[2], 10, 64)
	}
	var unknown int64
	for _, src := range truth.Sources {
		ms := m.Sources[src.Name]
		if ms.Read != src.Rows || ms.Read != ms.Loaded+ms.Rejected || ms.Rejected != src.ExpectedRejects {
			t.Errorf("%s: read %d, loaded %d, rejected %d; generated %d rows, %d of them to reject",
				src.Name, ms.Read, ms.Loaded, ms.Rejected, src.Rows, src.ExpectedRejects)
		}
		for i, kind := range gen.DirtKinds {
			if want := src.Dirt[kind]; gen.DirtRejected[i] && got[src.Name][kind] != want {
				t.Errorf("%s: %d rejects of kind %s, %d injected", src.Name, got[src.Name][kind], kind, want)
			}
		}
		unknown += src.Dirt["unknown_customer"]
	}
	if m.Identity.Unmatched != unknown {
		t.Errorf("%d unmatched identity records, %d rows of unknown customers injected", m.Identity.Unmatched, unknown)
	}
}
