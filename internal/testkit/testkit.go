// Package testkit helps tests run the real pipeline on small inputs and read
// its Parquet outputs back with a real DuckDB.
package testkit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sinks"
)

// Case is a tiny pipeline input: a configuration and its files.
type Case struct {
	Config string            // journey.yaml; output and work_dir are set by Run
	Files  map[string]string // file name -> content, written beside the config
}

// Run writes the case into a temp folder, runs one snapshot in-process and
// returns the output root and the manifest.
func Run(t testing.TB, c Case, asOf string) (string, *sinks.Manifest) {
	t.Helper()
	out, m, err := TryRun(t, c, asOf)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return out, m
}

// TryRun is Run for a case expected to fail: it returns the run's error.
func TryRun(t testing.TB, c Case, asOf string) (string, *sinks.Manifest, error) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range c.Files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfgPath := filepath.Join(dir, "journey.yaml")
	if err := os.WriteFile(cfgPath, []byte(c.Config), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.Load(cfgPath)
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	m, err := RunConfig(cfg, asOf, filepath.Join(dir, "out"), filepath.Join(dir, "work"))
	return filepath.Join(dir, "out"), m, err
}

// PIIKey is the hashing key tests run with (see UsePIIKey).
const PIIKey = "journey-test-key"

// UsePIIKey sets the configured hashing key variable for tests that did not
// set one; call it from TestMain.
func UsePIIKey() {
	if os.Getenv(pipeline.DefaultPIIKeyEnv) == "" {
		_ = os.Setenv(pipeline.DefaultPIIKeyEnv, PIIKey)
	}
}

// RunConfig runs one snapshot of cfg into out with a fixed run id.
func RunConfig(cfg *pipeline.Config, asOf, out, work string) (*sinks.Manifest, error) {
	UsePIIKey()
	day, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		return nil, err
	}
	cfg.Output, cfg.WorkDir = out, work
	return pipeline.Run(context.Background(), cfg, pipeline.Options{
		AsOf: day, RunID: "test-" + asOf, Now: time.Now, Log: zerolog.Nop(), Version: "test",
	})
}

// Rows runs a query on an in-memory DuckDB (for reading outputs) and
// returns every row as text: NULL as "NULL", floats rounded to 6 significant
// digits, times as RFC 3339 in UTC.
func Rows(t testing.TB, query string, args ...any) [][]string {
	t.Helper()
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("query %s: %v", query, err)
	}
	defer rows.Close()
	out, err := scanText(rows)
	if err != nil {
		t.Fatalf("query %s: %v", query, err)
	}
	return out
}

// Value runs a query expected to return one value, as text.
func Value(t testing.TB, query string, args ...any) string {
	t.Helper()
	r := Rows(t, query, args...)
	if len(r) != 1 || len(r[0]) != 1 {
		t.Fatalf("query %s: want one value, got %v", query, r)
	}
	return r[0][0]
}

func scanText(rows *sql.Rows) ([][]string, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = Text(v)
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// Text renders a scanned value deterministically.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return fmt.Sprintf("%.0f", x)
		}
		return fmt.Sprintf("%.6g", x)
	case float32:
		return Text(float64(x))
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case []byte:
		return string(x)
	case string:
		return x
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// Table is the glob of a published table's Parquet files under root.
func Table(root, table string) string {
	return filepath.ToSlash(filepath.Join(root, table, "*", "*.parquet"))
}

// Field returns an exported field of a struct value as text, for reading
// manifest parts whose types are the pipeline's own.
func Field(v any, name string) (string, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return "", false
	}
	f := rv.FieldByName(name)
	if !f.IsValid() {
		return "", false
	}
	return fmt.Sprint(f.Interface()), true
}

// publishedColumns are the columns of each published table that two runs of
// the same data must agree on; rejects carry the publishing run's id.
var publishedColumns = map[string]string{
	"journey_events":   "*",
	"customer_journey": "*",
	"customer_metrics": "*",
	"kpi_daily":        "*",
	"cohort_retention": "*",
	"rejects":          "* EXCLUDE (run_id)",
}

// SameTables checks that every published table under the output roots a
// and b holds the same rows, value for value (as multisets), and that none
// is empty. Columns of rejects named in rejectsIgnore are left out too.
func SameTables(t testing.TB, a, b string, rejectsIgnore ...string) {
	t.Helper()
	for _, table := range slices.Sorted(maps.Keys(publishedColumns)) {
		cols := publishedColumns[table]
		if table == "rejects" && len(rejectsIgnore) > 0 {
			cols = "* EXCLUDE (run_id, " + strings.Join(rejectsIgnore, ", ") + ")"
		}
		q := fmt.Sprintf(`SELECT (SELECT count(*) FROM read_parquet($1)), (SELECT count(*) FROM read_parquet($2)),
			(SELECT count(*) FROM (SELECT %[1]s FROM read_parquet($1) EXCEPT ALL SELECT %[1]s FROM read_parquet($2))),
			(SELECT count(*) FROM (SELECT %[1]s FROM read_parquet($2) EXCEPT ALL SELECT %[1]s FROM read_parquet($1)))`, cols)
		r := Rows(t, q, Table(a, table), Table(b, table))[0]
		if r[0] != r[1] || r[2] != "0" || r[3] != "0" || r[0] == "0" {
			t.Errorf("%s: %s rows in %s, %s in %s; %s only in the first, %s only in the second", table, r[0], a, r[1], b, r[2], r[3])
			diff := fmt.Sprintf(`(SELECT 'first' AS root, * FROM (SELECT %[1]s FROM read_parquet($1) EXCEPT ALL SELECT %[1]s FROM read_parquet($2)) LIMIT 3)
				UNION ALL (SELECT 'second', * FROM (SELECT %[1]s FROM read_parquet($2) EXCEPT ALL SELECT %[1]s FROM read_parquet($1)) LIMIT 3)`, cols)
			for _, row := range Rows(t, diff, Table(a, table), Table(b, table)) {
				t.Logf("  %s", strings.Join(row, " | "))
			}
		}
	}
}

// ReadJSON decodes the JSON file at path into v.
func ReadJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
