package transforms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/journeydata/journey/internal/duck"
	sqlfiles "github.com/journeydata/journey/sql"
)

func TestLoadAndOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"c.sql": {Data: []byte("-- table: c\n-- depends: b, input\n-- builds c\nCREATE TABLE c AS SELECT * FROM b")},
		"b.sql": {Data: []byte("-- table: b\n-- depends: a\nCREATE TABLE b AS SELECT * FROM a")},
		"a.sql": {Data: []byte("-- table: a\n-- depends: input\nCREATE TABLE a AS SELECT $x AS x")},
	}
	steps, err := LoadSQL(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ordered, err := Order(steps)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range ordered {
		got = append(got, s.Table)
	}
	if strings.Join(got, ",") != "a,b,c" {
		t.Errorf("order %v", got)
	}
	if ordered[2].Doc != "builds c" {
		t.Errorf("doc %q", ordered[2].Doc)
	}
}

func TestOrderErrors(t *testing.T) {
	cyc := []Step{{Table: "a", Depends: []string{"b"}}, {Table: "b", Depends: []string{"a"}}}
	if _, err := Order(cyc); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("cycle: %v", err)
	}
	dup := []Step{{Table: "a"}, {Table: "a"}}
	if _, err := Order(dup); err == nil {
		t.Error("a table built twice must fail")
	}
	if _, err := parseHeader("x.sql", "SELECT 1"); err == nil {
		t.Error("a file without a table header must fail")
	}
	if _, err := parseHeader("x.sql", "-- table: y\nSELECT 1"); err == nil {
		t.Error("a file named differently from its table must fail")
	}
}

func TestRunNamesFailingFile(t *testing.T) {
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps := []Step{{Table: "bad", File: "bad.sql", SQL: "CREATE TABLE bad AS SELECT * FROM missing_table"}}
	_, err = Run(context.Background(), db, steps, nil, time.Now)
	if err == nil || !strings.Contains(err.Error(), "sql/bad.sql") {
		t.Errorf("error %v must name the file", err)
	}
}

// TestShippedModels checks the embedded SQL files parse and order.
func TestShippedModels(t *testing.T) {
	steps, err := LoadSQL(sqlfiles.Files)
	if err != nil {
		t.Fatal(err)
	}
	steps = append(steps, Step{Table: "customer_model_scores", Depends: []string{"customer_summary"}})
	if _, err := Order(steps); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps[:len(steps)-1] {
		if s.Doc == "" {
			t.Errorf("%s has no header comment saying what it builds", s.File)
		}
	}
}

// TestBatchedStep runs a step in three batches, each selecting its rows by
// $batch, and checks that the table holds every row once; a batched
// header without the batch parameters is refused.
func TestBatchedStep(t *testing.T) {
	// Each batch numbers its own keys' rows; a key's rows must all land in
	// one batch for the numbering to come out as one run over all rows.
	text := "-- table: t\n-- batches: n by k\nSELECT i % 7 AS k, i FROM range(100) r(i) WHERE i < $limit -- the rows below the limit\n" + eachBatch + "\n" +
		"CREATE OR REPLACE TABLE t AS SELECT k, i, row_number() OVER (PARTITION BY k ORDER BY i) AS seq FROM batch_rows"
	s, err := parseHeader("t.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct{ batches, limit, rows int }{{1, 100, 100}, {3, 100, 100}, {50, 100, 100}, {3, 0, 0}} {
		spool := t.TempDir()
		params := map[string]any{"n": tc.batches, "limit": tc.limit, SpoolDir: spool}
		if _, err := Run(context.Background(), db, []Step{s}, params, time.Now); err != nil {
			t.Fatalf("%d batches: %v", tc.batches, err)
		}
		var rows, wrong int64
		q := "SELECT count(*), count(*) FILTER (WHERE seq <> i // 7 + 1) FROM t"
		if err := db.QueryRowContext(context.Background(), q).Scan(&rows, &wrong); err != nil {
			t.Fatal(err)
		}
		if rows != int64(tc.rows) || wrong != 0 {
			t.Errorf("%d batches: %d rows, %d numbered wrongly; want %d, 0", tc.batches, rows, wrong, tc.rows)
		}
		if left, _ := os.ReadDir(spool); len(left) != 0 {
			t.Errorf("%d batches: the spool folder still holds %d entries", tc.batches, len(left))
		}
	}
	if _, err := parseHeader("t.sql", "-- table: t\n-- batches: n by k\nCREATE OR REPLACE TABLE t AS SELECT 1"); err == nil {
		t.Error("a batched step without its rows query was accepted")
	}
	if _, err := parseHeader("t.sql", "-- table: t\n-- batches: n\nSELECT 1\n"+eachBatch+"\nCREATE OR REPLACE TABLE t AS SELECT * FROM batch_rows"); err == nil {
		t.Error("a batched step without its key was accepted")
	}
	if _, err := Run(context.Background(), db, []Step{s}, map[string]any{"n": 0, "limit": 1}, time.Now); err == nil {
		t.Error("zero batches were accepted")
	}
}

// TestBatchedStepInFiles runs a batched step kept in files: the table is a
// view over Parquet files partitioned by the named column, one folder per
// value, with the statement's columns in their order and types (the
// partition column an integer, though its values come back from folder
// names), and the same rows whatever the number of batches. Without rows
// it is an empty table.
func TestBatchedStepInFiles(t *testing.T) {
	text := "-- table: t\n-- batches: n by k\n-- files: partitioned by p\n" +
		"SELECT i % 7 AS k, i FROM range(100) r(i) WHERE i < $limit\n" + eachBatch + "\n" +
		"CREATE OR REPLACE TABLE t AS SELECT k, CAST(i % 3 AS INTEGER) AS p, i, DATE '2025-01-01' + CAST(i AS INTEGER) AS d,\n" +
		"       row_number() OVER (PARTITION BY k ORDER BY i) AS seq FROM batch_rows WHERE i < $limit;"
	s, err := parseHeader("t.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := duck.Open(ctx, duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct{ batches, limit, rows int }{{1, 100, 100}, {3, 100, 100}, {50, 100, 100}, {3, 0, 0}, {1, 0, 0}} {
		spool := t.TempDir()
		params := map[string]any{"n": tc.batches, "limit": tc.limit, SpoolDir: spool}
		if _, err := Run(ctx, db, []Step{s}, params, time.Now); err != nil {
			t.Fatalf("%d batches: %v", tc.batches, err)
		}
		var rows, wrong int64
		q := "SELECT count(*), count(*) FILTER (WHERE seq <> i // 7 + 1 OR p <> i % 3 OR d <> DATE '2025-01-01' + CAST(i AS INTEGER)) FROM t"
		if err := db.QueryRowContext(ctx, q).Scan(&rows, &wrong); err != nil {
			t.Fatal(err)
		}
		if rows != int64(tc.rows) || wrong != 0 {
			t.Errorf("%d batches: %d rows, %d wrong; want %d, 0", tc.batches, rows, wrong, tc.rows)
		}
		var types string
		if err := db.QueryRowContext(ctx, "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) FROM duckdb_columns() WHERE table_name = 't'").Scan(&types); err != nil {
			t.Fatal(err)
		}
		if want := "k BIGINT, p INTEGER, i BIGINT, d DATE, seq BIGINT"; types != want {
			t.Errorf("%d batches: columns %s, want %s", tc.batches, types, want)
		}
		view, err := db.IsView(ctx, "t")
		if err != nil {
			t.Fatal(err)
		}
		parts, _ := filepath.Glob(filepath.Join(spool, "t-files-*", "p=*"))
		if want := tc.rows > 0; view != want || (want && len(parts) != 3) {
			t.Errorf("%d batches, %d rows: view %v over %d partition folders; want a view over 3 when there are rows", tc.batches, tc.rows, view, len(parts))
		}
	}
	if _, err := parseHeader("t.sql", "-- table: t\n-- files: partitioned by p\nCREATE OR REPLACE TABLE t AS SELECT 1 AS p"); err == nil {
		t.Error("a step kept in files without batches was accepted")
	}
	if _, err := Run(ctx, db, []Step{s}, map[string]any{"n": 2, "limit": 1}, time.Now); err == nil {
		t.Error("a step kept in files ran without a spool folder")
	}
}

// TestKeepInFiles: a table made from a query with KeepInFiles is a view
// over files partitioned by the given column, with the query's rows and
// column types; a query without rows makes an empty table with its
// columns.
func TestKeepInFiles(t *testing.T) {
	ctx := context.Background()
	db, err := duck.Open(ctx, duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	query := "SELECT CAST(i AS INTEGER) AS i, CAST(i %% 3 AS VARCHAR) AS m, DATE '2025-01-01' + CAST(i AS INTEGER) AS d FROM range(50) r(i) WHERE i < %d"
	for _, tc := range []struct {
		table string
		limit int
	}{{"kept_rows", 50}, {"kept_empty", 0}} {
		dir := filepath.Join(t.TempDir(), "files", tc.table)
		if err := KeepInFiles(ctx, db, tc.table, fmt.Sprintf(query, tc.limit), "m", dir); err != nil {
			t.Fatalf("%s: %v", tc.table, err)
		}
		var rows, wrong int64
		q := fmt.Sprintf("SELECT count(*), count(*) FILTER (WHERE m <> CAST(i %% 3 AS VARCHAR) OR d <> DATE '2025-01-01' + i) FROM %s", tc.table)
		if err := db.QueryRowContext(ctx, q).Scan(&rows, &wrong); err != nil {
			t.Fatal(err)
		}
		if rows != int64(tc.limit) || wrong != 0 {
			t.Errorf("%s: %d rows, %d wrong; want %d, 0", tc.table, rows, wrong, tc.limit)
		}
		var types string
		if err := db.QueryRowContext(ctx, "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) FROM duckdb_columns() WHERE table_name = $1", tc.table).Scan(&types); err != nil {
			t.Fatal(err)
		}
		if want := "i INTEGER, m VARCHAR, d DATE"; types != want {
			t.Errorf("%s: columns %s, want %s", tc.table, types, want)
		}
		view, err := db.IsView(ctx, tc.table)
		if err != nil {
			t.Fatal(err)
		}
		parts, _ := filepath.Glob(filepath.Join(dir, "m=*"))
		if want := tc.limit > 0; view != want || (want && len(parts) != 3) {
			t.Errorf("%s: view %v over %d partition folders; want a view over 3 when there are rows", tc.table, view, len(parts))
		}
	}
}
