package postgres_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/internal/pgtest"
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/postgres"
)

// pg is the package's PostgreSQL server, started by the first test that
// needs it; every test gets a database of its own.
var pg pgtest.Shared

func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }

// fixture is one test's PostgreSQL database (its DSN in the environment
// variable env) and a file-backed DuckDB like the pipeline's.
type fixture struct {
	t   testing.TB
	dsn string
	env string
	db  *duck.DB
}

// newFixture creates a database, runs setup in it (several statements may
// be separated by semicolons) and opens a DuckDB.
func newFixture(t testing.TB, setup string) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, dsn: pg.Get(t).NewDatabase(t), env: "JOURNEY_TEST_PG_DSN"}
	t.Setenv(f.env, f.dsn)
	if setup != "" {
		f.exec(setup)
	}
	dir := t.TempDir()
	db, err := duck.Open(ctx, duck.Settings{Path: filepath.Join(dir, "run.duckdb"), TempDir: filepath.Join(dir, "tmp"), PreserveInsertionOrder: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	return f
}

// exec runs statements in the test's PostgreSQL database (simple protocol,
// so several may be given at once).
func (f *fixture) exec(stmts string) {
	f.t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, f.dsn)
	if err != nil {
		f.t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.PgConn().Exec(ctx, stmts).ReadAll(); err != nil {
		f.t.Fatalf("setup: %v", err)
	}
}

// pgString runs a query returning one value in the test's database.
func (f *fixture) pgString(query string) string {
	f.t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, f.dsn)
	if err != nil {
		f.t.Fatal(err)
	}
	defer conn.Close(ctx)
	var s string
	if err := conn.QueryRow(ctx, query).Scan(&s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// spec is a postgres source spec for orders reading table (or query, when
// table starts with SELECT).
func (f *fixture) spec(table string) sources.Spec {
	s := sources.Spec{Name: "orders_pg", Entity: "orders", Kind: postgres.Kind, DSNEnv: f.env}
	if strings.HasPrefix(strings.ToUpper(table), "SELECT") {
		s.Query = table
	} else {
		s.Table = table
	}
	return s
}

// extract builds the source and extracts it into raw table "raw_0".
func (f *fixture) extract(spec sources.Spec, since string, opts ...postgres.Option) (sources.Extracted, error) {
	f.t.Helper()
	src, err := postgres.Factory(opts...)(spec, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return src.Extract(context.Background(), f.db, sources.Request{Raw: "raw_0", Since: since})
}

// mustExtract is extract that fails the test on error.
func (f *fixture) mustExtract(spec sources.Spec, since string, opts ...postgres.Option) sources.Extracted {
	f.t.Helper()
	ex, err := f.extract(spec, since, opts...)
	if err != nil {
		f.t.Fatal(err)
	}
	return ex
}

// rows runs a DuckDB query and returns every value as text, NULL as "NULL".
func (f *fixture) rows(query string, args ...any) [][]string {
	f.t.Helper()
	rs, err := f.db.QueryContext(context.Background(), query, args...)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out [][]string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			f.t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		f.t.Fatal(err)
	}
	return out
}

// tableExists reports whether DuckDB has a table or view of that name.
func (f *fixture) tableExists(name string) bool {
	f.t.Helper()
	n, err := f.db.Int64(context.Background(),
		`SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = $1)
		      + (SELECT count(*) FROM duckdb_views() WHERE view_name = $1)`, name)
	if err != nil {
		f.t.Fatal(err)
	}
	return n > 0
}

// noLeftovers checks that neither the raw table nor a batch view remains.
func (f *fixture) noLeftovers() {
	f.t.Helper()
	for _, name := range []string{"raw_0", "_pg_batch_raw_0"} {
		if f.tableExists(name) {
			f.t.Errorf("%s exists after the failed read", name)
		}
	}
}
