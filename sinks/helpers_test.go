package sinks

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/duck"
)

// openDB opens an in-memory DuckDB closed with the test.
func openDB(t *testing.T) *duck.DB {
	t.Helper()
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// exec runs statements, failing the test on the first error.
func exec(t *testing.T, db *duck.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rows runs a query whose columns all scan into strings.
func rows(t *testing.T, db *duck.DB, q string, args ...any) [][]string {
	t.Helper()
	r, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer r.Close()
	cols, err := r.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for r.Next() {
		row := make([]string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, row)
	}
	if err := r.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// schemaOf describes a query's result as "name TYPE" lines.
func schemaOf(t *testing.T, db *duck.DB, query string) []string {
	t.Helper()
	var out []string
	for _, r := range rows(t, db, "SELECT column_name, column_type FROM (DESCRIBE "+query+")") {
		out = append(out, r[0]+" "+r[1])
	}
	return out
}

// declaredSchema is what DESCRIBE shows for cols, with DuckDB's own spelling
// of each declared type (TIMESTAMPTZ is "TIMESTAMP WITH TIME ZONE").
func declaredSchema(t *testing.T, db *duck.DB, cols []Column) []string {
	t.Helper()
	var out []string
	for _, c := range cols {
		out = append(out, c.Name+" "+rows(t, db, fmt.Sprintf("SELECT typeof(CAST(NULL AS %s))", c.Type))[0][0])
	}
	return out
}

// kv reads a Parquet file's key-value metadata.
func kv(t *testing.T, db *duck.DB, file string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, r := range rows(t, db, "SELECT decode(key), decode(value) FROM parquet_kv_metadata($1)", file) {
		m[r[0]] = r[1]
	}
	return m
}

// sampleValue is a non-NULL SQL literal of type typ.
func sampleValue(typ Type) string {
	switch typ {
	case Varchar:
		return "'x'"
	case Date:
		return "DATE '2025-06-30'"
	case TimestampTZ:
		return "TIMESTAMPTZ '2025-06-30 12:00:00+00'"
	case Boolean:
		return "true"
	}
	return "CAST(1.5 AS " + string(typ) + ")"
}

// createDeclared creates table t in db with its declared columns in reverse
// order and one row of sample values.
func createDeclared(t *testing.T, db *duck.DB, tbl Table) {
	t.Helper()
	var sel []string
	for i := len(tbl.Columns) - 1; i >= 0; i-- {
		c := tbl.Columns[i]
		sel = append(sel, sampleValue(c.Type)+" AS "+duck.Ident(c.Name))
	}
	exec(t, db, "CREATE TABLE "+duck.Ident(tbl.Name)+" AS SELECT "+strings.Join(sel, ", "))
}
