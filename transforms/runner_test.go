package transforms

import (
	"context"
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
	text := "-- table: t\n-- batches: n\nCREATE OR REPLACE TABLE t AS SELECT i, $batch AS b FROM range(10) r(i) WHERE i % $batches = $batch"
	s, err := parseHeader("t.sql", text)
	if err != nil {
		t.Fatal(err)
	}
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := Run(context.Background(), db, []Step{s}, map[string]any{"n": 3}, time.Now); err != nil {
		t.Fatal(err)
	}
	var rows, distinct, batches int64
	if err := db.QueryRowContext(context.Background(), "SELECT count(*), count(DISTINCT i), count(DISTINCT b) FROM t").Scan(&rows, &distinct, &batches); err != nil {
		t.Fatal(err)
	}
	if rows != 10 || distinct != 10 || batches != 3 {
		t.Errorf("%d rows, %d distinct, %d batches; want 10, 10, 3", rows, distinct, batches)
	}
	if _, err := parseHeader("t.sql", "-- table: t\n-- batches: n\nCREATE OR REPLACE TABLE t AS SELECT 1"); err == nil {
		t.Error("a batched step that ignores $batch was accepted")
	}
	if _, err := Run(context.Background(), db, []Step{s}, map[string]any{"n": 0}, time.Now); err == nil {
		t.Error("zero batches were accepted")
	}
}
