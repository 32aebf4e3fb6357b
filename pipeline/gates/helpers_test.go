package gates_test

import (
	"context"
	"testing"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/pipeline/gates"
)

// openDB opens an in-memory database holding the tables the statements build.
func openDB(t *testing.T, stmts ...string) *duck.DB {
	t.Helper()
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

// only is a configuration running nothing but the given rules of one table.
func only(table string, rules ...gates.Rule) gates.Config {
	return gates.Config{Defaults: ptr(false), Tables: map[string][]gates.Rule{table: rules}}
}

// evaluate runs the gates and fails the test on an evaluation error.
func evaluate(t *testing.T, db *duck.DB, cfg gates.Config, in gates.Inputs) gates.Report {
	t.Helper()
	rep, err := gates.Evaluate(context.Background(), db, cfg, in)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// wantResults compares results field by field, naming the first difference.
func wantResults(t *testing.T, got, want []gates.Result) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func ptr[T any](v T) *T { return &v }
