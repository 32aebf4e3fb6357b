// Package transforms runs the SQL models in sql/ and the Go models (such as
// btyd) in dependency order against the run's DuckDB database.
//
// Each SQL file builds one table and starts with a header:
//
//	-- table: customer_journey
//	-- depends: journey_events, purchases
//	-- One row per customer …
//
// Dependencies on tables no step builds (the staging tables) are inputs.
// Values reach SQL only as named parameters ($as_of, $cutoff, $tz, …); a
// statement receives the ones it mentions.
package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/journeydata/journey/internal/duck"
)

// Step builds one table.
type Step struct {
	Table   string   // the table it builds
	Depends []string // tables it reads
	File    string   // the .sql file, for SQL steps
	SQL     string   // the statement, for SQL steps
	Doc     string   // what it builds from what
	// Go, when set, builds the table in Go instead of SQL.
	Go func(ctx context.Context, db *duck.DB, params map[string]any) error
	// Batches, for SQL steps, names the integer parameter that splits the
	// step into that many batches (header "-- batches: <param> by <key>"),
	// so that a step too large for memory in one piece (a window over
	// every event) works on a part of its rows at a time. See runBatches.
	Batches string
	// BatchKey is the column whose hash assigns a row to its batch.
	BatchKey string
	// FilesBy, for batched steps, keeps the table in Parquet files
	// partitioned by this column, read through a view, instead of in the
	// database (header "-- files: partitioned by <column>").
	FilesBy string
	// Rows and Batch are a batched step's two statements: the query of
	// all its input rows, and the statement that builds the table from
	// one batch of them, the relation batch_rows.
	Rows, Batch string
}

// Timing records how long a step took.
type Timing struct {
	Table    string        `json:"table"`
	Duration time.Duration `json:"-"`
	Seconds  float64       `json:"seconds"`
}

// LoadSQL reads every *.sql file of fsys as a step.
func LoadSQL(fsys fs.FS) ([]Step, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list sql files: %w", err)
	}
	var steps []Step
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", n, err)
		}
		s, err := parseHeader(n, string(b))
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
	}
	return steps, nil
}

func parseHeader(name, text string) (Step, error) {
	s := Step{File: name, SQL: text}
	var doc []string
	for _, line := range strings.Split(text, "\n") {
		c, ok := strings.CutPrefix(strings.TrimSpace(line), "--")
		if !ok {
			break
		}
		c = strings.TrimSpace(c)
		switch {
		case strings.HasPrefix(c, "table:"):
			s.Table = strings.TrimSpace(strings.TrimPrefix(c, "table:"))
		case strings.HasPrefix(c, "batches:"):
			spec := strings.Fields(strings.TrimPrefix(c, "batches:"))
			if len(spec) != 3 || spec[1] != "by" {
				return s, fmt.Errorf("%s: the header says %q; a batched step says '-- batches: <parameter> by <key column>'", name, c)
			}
			s.Batches, s.BatchKey = spec[0], spec[2]
		case strings.HasPrefix(c, "files:"):
			spec := strings.Fields(strings.TrimPrefix(c, "files:"))
			if len(spec) != 3 || spec[0] != "partitioned" || spec[1] != "by" {
				return s, fmt.Errorf("%s: the header says %q; a step kept in files says '-- files: partitioned by <column>'", name, c)
			}
			s.FilesBy = spec[2]
		case strings.HasPrefix(c, "depends:"):
			for _, d := range strings.Split(strings.TrimPrefix(c, "depends:"), ",") {
				if d = strings.TrimSpace(d); d != "" {
					s.Depends = append(s.Depends, d)
				}
			}
		default:
			doc = append(doc, c)
		}
	}
	s.Doc = strings.TrimSpace(strings.Join(doc, " "))
	if s.Table == "" {
		return s, fmt.Errorf("%s: header has no '-- table: <name>' line", name)
	}
	if want := strings.TrimSuffix(path.Base(name), ".sql"); want != s.Table {
		return s, fmt.Errorf("%s: builds table %q but the file must be named after it (%s.sql)", name, s.Table, s.Table)
	}
	if s.FilesBy != "" && s.Batches == "" {
		return s, fmt.Errorf("%s: only a batched step ('-- batches: …') can be kept in files", name)
	}
	if s.Batches != "" {
		rows, batch, ok := strings.Cut(text, "\n"+eachBatch+"\n")
		s.Rows, s.Batch = strings.TrimSpace(rows), strings.TrimSpace(batch)
		if !ok || !strings.Contains(s.Batch, createPrefix(s.Table)) || !strings.Contains(s.Batch, batchRows) {
			return s, fmt.Errorf("%s: a batched step is the query of its rows, a line %q, then a statement that says %q and reads %s",
				name, eachBatch, createPrefix(s.Table), batchRows)
		}
	}
	return s, nil
}

// eachBatch separates a batched step's rows from its per-batch statement.
const eachBatch = "-- each batch:"

// batchRows is the relation a batched step's per-batch statement reads.
const batchRows = "batch_rows"

// createPrefix is how a batched step's statement creates its table.
func createPrefix(table string) string { return "CREATE OR REPLACE TABLE " + table + " AS" }

// Order sorts steps so every step comes after the steps building its
// dependencies (ties by table name); it fails on a cycle or a table built twice.
func Order(steps []Step) ([]Step, error) {
	byTable := map[string]Step{}
	for _, s := range steps {
		if _, dup := byTable[s.Table]; dup {
			return nil, fmt.Errorf("table %s is built by two steps", s.Table)
		}
		byTable[s.Table] = s
	}
	var out []Step
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t string, chain []string) error
	visit = func(t string, chain []string) error {
		s, ok := byTable[t]
		if !ok || state[t] == 2 {
			return nil
		}
		if state[t] == 1 {
			return fmt.Errorf("dependency cycle: %s", strings.Join(append(chain, t), " -> "))
		}
		state[t] = 1
		for _, d := range slices.Sorted(slices.Values(s.Depends)) {
			if err := visit(d, append(chain, t)); err != nil {
				return err
			}
		}
		state[t] = 2
		out = append(out, s)
		return nil
	}
	for _, t := range slices.Sorted(maps.Keys(byTable)) {
		if err := visit(t, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var paramRef = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// Run executes the steps in order with the given named parameters and
// returns each step's duration. A failing SQL step is reported with its file.
func Run(ctx context.Context, db *duck.DB, steps []Step, params map[string]any, now func() time.Time) ([]Timing, error) {
	ordered, err := Order(steps)
	if err != nil {
		return nil, err
	}
	var timings []Timing
	for _, s := range ordered {
		start := now()
		switch {
		case s.Go != nil:
			err = s.Go(ctx, db, params)
		case s.Batches != "":
			err = runBatches(ctx, db, s, params)
		default:
			_, err = db.ExecContext(ctx, s.SQL, namedArgs(s.SQL, params)...)
		}
		if err != nil {
			if s.File != "" {
				return timings, fmt.Errorf("transform %s (sql/%s): %w", s.Table, s.File, err)
			}
			return timings, fmt.Errorf("transform %s: %w", s.Table, err)
		}
		d := now().Sub(start)
		timings = append(timings, Timing{Table: s.Table, Duration: d, Seconds: d.Seconds()})
	}
	return timings, nil
}

// namedArgs passes the parameters a statement mentions.
func namedArgs(stmt string, params map[string]any) []any {
	seen := map[string]bool{}
	var args []any
	for _, m := range paramRef.FindAllStringSubmatch(stmt, -1) {
		if v, ok := params[m[1]]; ok && !seen[m[1]] {
			seen[m[1]] = true
			args = append(args, sql.Named(m[1], v))
		}
	}
	return args
}
