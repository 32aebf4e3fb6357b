package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/journeydata/journey/internal/gen"
	"github.com/journeydata/journey/sinks"
	sqlfiles "github.com/journeydata/journey/sql"
	"github.com/journeydata/journey/transforms"
)

// benchReport is what journey bench prints, as text or JSON.
type benchReport struct {
	Machine machine      `json:"machine"`
	Dataset benchDataset `json:"dataset"`
	Config  benchConfig  `json:"config"`
	// Parent is the bench process's own peak RSS when it started the runs:
	// on Linux a child's peak RSS is never below it (see maxRSS).
	Parent int64            `json:"bench_process_max_rss_bytes"`
	Runs   []benchRunResult `json:"runs"`
	// Recovery compares the first run's model fits with the generating
	// parameters.
	Recovery []gen.Recovered `json:"model_recovery,omitempty"`
	// RecoveryKnown is the refit on the customers the CRM knows: the
	// generating process's customers, without the dirt's unknown ones.
	RecoveryKnown []gen.Recovered `json:"model_recovery_crm_customers,omitempty"`
}

// benchDataset is the generated data set and what the runs read of it.
type benchDataset struct {
	datasetKey
	Dir             string        `json:"dir"`
	Reused          bool          `json:"reused"`
	AsOf            string        `json:"as_of"`
	Files           int           `json:"files"`
	Bytes           int64         `json:"bytes"`
	GenerateSeconds float64       `json:"generate_seconds"`
	GenerateMaxRSS  int64         `json:"generate_max_rss_bytes"`
	Sources         []benchSource `json:"sources"`
}

// benchSource is one source's reconciliation, from the first run's manifest.
type benchSource struct {
	Name     string `json:"name"`
	Entity   string `json:"entity"`
	Read     int64  `json:"read"`
	Loaded   int64  `json:"loaded"`
	Rejected int64  `json:"rejected"`
	Bytes    int64  `json:"bytes"`
}

// benchRunResult is one run: wall time and peak RSS of its process, and the
// durations and spill its manifest recorded.
type benchRunResult struct {
	RunID          string             `json:"run_id"`
	WallSeconds    float64            `json:"wall_seconds"`
	MaxRSSBytes    int64              `json:"max_rss_bytes"`
	SpillPeakBytes int64              `json:"spill_peak_bytes"`
	Durations      map[string]float64 `json:"durations_seconds"`
	manifest       *sinks.Manifest
}

func sourceRows(m *sinks.Manifest) []benchSource {
	var out []benchSource
	for name, s := range m.Sources {
		b := benchSource{Name: name, Entity: s.Entity, Read: s.Read, Loaded: s.Loaded, Rejected: s.Rejected}
		for _, in := range s.Inputs {
			b.Bytes += in.Size
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (r *benchReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeText prints the report's sections: Machine, Data set, Stages,
// Extract, Transform, Model fit, Checks, Publish, Resources. With more than
// one run, each has a column and the last column is the median.
func (r *benchReport) writeText(w io.Writer) error {
	t := &textReport{w: w, runs: r.Runs}
	d := r.Dataset
	t.printf("journey bench: %s customers, seed %d, format %s, dirt %g, as of %s; %d run(s)\n",
		thousands(int64(d.Customers)), d.Seed, d.Format, d.Dirt, d.AsOf, len(r.Runs))
	r.machineSection(t)
	r.datasetSection(t)
	t.section("Stages")
	for _, s := range []string{"extract", "transform", "check", "publish"} {
		t.seconds(s, s)
	}
	t.values("sum of stages", func(run benchRunResult) float64 {
		return run.Durations["extract"] + run.Durations["transform"] + run.Durations["check"] + run.Durations["publish"]
	}, secs)
	t.values("total wall (process)", func(run benchRunResult) float64 { return run.WallSeconds }, secs)
	r.extractSection(t)
	sqlSteps, modelSteps := transformSteps(r.Runs[0].Durations)
	t.section("Transform (SQL)")
	for _, s := range sqlSteps {
		t.seconds(s, "transform."+s)
	}
	t.section("Model fit (Go)")
	for _, s := range modelSteps {
		t.seconds(s, "transform."+s)
	}
	t.section("Checks")
	t.seconds("quality gates", "check")
	t.section("Publish")
	t.seconds("parquet, upload, manifest", "publish")
	for _, table := range publishedTables(r.Runs[0].Durations) {
		t.seconds("  write "+table, "publish."+table)
	}
	t.section("Resources")
	t.values("peak RSS", func(run benchRunResult) float64 { return float64(run.MaxRSSBytes) }, bytesText)
	t.values("spill peak", func(run benchRunResult) float64 { return float64(run.SpillPeakBytes) }, bytesText)
	t.printf("  (peak RSS is the run process's ru_maxrss; the bench process that started it peaked at %s)\n", size(r.Parent))
	r.recoverySection(t)
	return t.err
}

func (r *benchReport) machineSection(t *textReport) {
	m := r.Machine
	t.heading("Machine")
	t.kv("cpu", m.CPU)
	t.kv("cores", fmt.Sprintf("%d (GOMAXPROCS %d)", m.Cores, m.GoMaxProcs))
	t.kv("memory", size(m.MemBytes))
	t.kv("os", strings.TrimSuffix(fmt.Sprintf("%s, %s, kernel %s", m.OS, m.Arch, m.Kernel), ", kernel "))
	t.kv("go", m.Go)
	t.kv("duckdb", fmt.Sprintf("%s (duckdb-go %s)", m.DuckDB, m.DuckDBGo))
	t.kv("journey", m.Journey)
	if m.LoadAvg != "" {
		t.kv("load average", m.LoadAvg+" (at the end)")
	}
}

func (r *benchReport) datasetSection(t *textReport) {
	d := r.Dataset
	t.heading("Data set")
	how := "generated now"
	if d.Reused {
		how = "reused from the cache"
	}
	t.kv("folder", d.Dir)
	t.kv("files", fmt.Sprintf("%d files, %s (%s; generation took %.1f s, peak RSS %s)", d.Files, size(d.Bytes), how, d.GenerateSeconds, size(d.GenerateMaxRSS)))
	limit, threads := r.Config.MemoryLimit, "one per core"
	if limit == "" {
		limit = "DuckDB's default (80 % of RAM)"
	}
	if r.Config.Threads > 0 {
		threads = fmt.Sprint(r.Config.Threads)
	}
	t.kv("duckdb", fmt.Sprintf("memory_limit %s, threads %s", limit, threads))
	t.printf("  %-22s %-17s %12s %12s %10s %11s\n", "source", "entity", "read", "loaded", "rejected", "input")
	var tot benchSource
	for _, s := range d.Sources {
		t.printf("  %-22s %-17s %12s %12s %10s %11s\n", s.Name, s.Entity, thousands(s.Read), thousands(s.Loaded), thousands(s.Rejected), size(s.Bytes))
		tot.Read, tot.Loaded, tot.Rejected, tot.Bytes = tot.Read+s.Read, tot.Loaded+s.Loaded, tot.Rejected+s.Rejected, tot.Bytes+s.Bytes
	}
	t.printf("  %-22s %-17s %12s %12s %10s %11s\n", "total", "", thousands(tot.Read), thousands(tot.Loaded), thousands(tot.Rejected), size(tot.Bytes))
}

func (r *benchReport) extractSection(t *textReport) {
	t.section("Extract", "rows read/s")
	for _, s := range r.Dataset.Sources {
		key := "extract." + s.Name
		rate := "-"
		if med := median(r.Runs, func(run benchRunResult) float64 { return run.Durations[key] }); med > 0 {
			rate = thousands(int64(float64(s.Read) / med))
		}
		t.values(s.Name, func(run benchRunResult) float64 { return run.Durations[key] }, secs, rate)
	}
}

// publishedTables are the tables whose write time the run recorded,
// slowest first.
func publishedTables(durations map[string]float64) []string {
	var tables []string
	for k := range durations {
		if table, ok := strings.CutPrefix(k, "publish."); ok {
			tables = append(tables, table)
		}
	}
	slowestFirst(tables, durations, "publish.")
	return tables
}

// slowestFirst sorts names by their duration under prefix, slowest first,
// ties by name.
func slowestFirst(names []string, durations map[string]float64, prefix string) {
	slices.SortFunc(names, func(a, b string) int {
		if c := -cmpFloat(durations[prefix+a], durations[prefix+b]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}

// transformSteps splits the transform timings into the SQL models and the
// Go steps (the model fit), each slowest first.
func transformSteps(durations map[string]float64) (sqlSteps, goSteps []string) {
	steps, _ := transforms.LoadSQL(sqlfiles.Files)
	isSQL := map[string]bool{}
	for _, s := range steps {
		isSQL[s.Table] = true
	}
	for k := range durations {
		if table, ok := strings.CutPrefix(k, "transform."); ok {
			if isSQL[table] {
				sqlSteps = append(sqlSteps, table)
			} else {
				goSteps = append(goSteps, table)
			}
		}
	}
	slowestFirst(sqlSteps, durations, "transform.")
	slowestFirst(goSteps, durations, "transform.")
	return sqlSteps, goSteps
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// median of f over the runs.
func median(runs []benchRunResult, f func(benchRunResult) float64) float64 {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if n := len(v); n%2 == 1 {
		return v[n/2]
	} else {
		return (v[n/2-1] + v[n/2]) / 2
	}
}

func secs(v float64) string { return fmt.Sprintf("%.2f s", v) }

func bytesText(v float64) string {
	if v == 0 {
		return "0 B"
	}
	return size(int64(v))
}

// textReport prints aligned sections; the first error sticks.
type textReport struct {
	w    io.Writer
	runs []benchRunResult
	err  error
}

func (t *textReport) printf(format string, a ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, a...)
	}
}

func (t *textReport) kv(k, v string) { t.printf("  %-14s %s\n", k, v) }

// heading starts a section of key-value lines.
func (t *textReport) heading(name string) { t.printf("\n%s\n", name) }

// section starts a section with a column per run, the median when there
// are several runs, and the extra columns named.
func (t *textReport) section(name string, extra ...string) {
	t.printf("\n%-30s", name)
	for i := range t.runs {
		t.printf(" %12s", fmt.Sprintf("run %d", i+1))
	}
	if len(t.runs) > 1 {
		t.printf(" %12s", "median")
	}
	for _, e := range extra {
		t.printf(" %12s", e)
	}
	t.printf("\n")
}

// seconds prints the duration key of every run.
func (t *textReport) seconds(label, key string) {
	t.values(label, func(r benchRunResult) float64 { return r.Durations[key] }, secs)
}

// values prints f of every run, their median when there are several, and
// the extra cells.
func (t *textReport) values(label string, f func(benchRunResult) float64, format func(float64) string, extra ...string) {
	t.printf("  %-28s", label)
	for _, r := range t.runs {
		t.printf(" %12s", format(f(r)))
	}
	if len(t.runs) > 1 {
		t.printf(" %12s", format(median(t.runs, f)))
	}
	for _, e := range extra {
		t.printf(" %12s", e)
	}
	t.printf("\n")
}
