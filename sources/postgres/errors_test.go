package postgres_test

import (
	"strings"
	"testing"

	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/postgres"
)

// TestFactoryValidates checks the spec without reading the environment.
func TestFactoryValidates(t *testing.T) {
	base := sources.Spec{Name: "orders_pg", Entity: "orders", Kind: "postgres", DSNEnv: "NOT_SET_ANYWHERE"}
	for _, c := range []struct {
		name string
		edit func(*sources.Spec)
		want string // "" means valid
	}{
		{"table", func(s *sources.Spec) { s.Table = "public.orders" }, ""},
		{"query", func(s *sources.Spec) { s.Query = "SELECT 1 AS x" }, ""},
		{"no dsn_env", func(s *sources.Spec) { s.Table = "t"; s.DSNEnv = "" }, "source orders_pg: dsn_env is empty"},
		{"neither", func(s *sources.Spec) {}, "source orders_pg: set table"},
		{"both", func(s *sources.Spec) { s.Table = "t"; s.Query = "SELECT 1" }, "either table or query, not both"},
		{"three parts", func(s *sources.Spec) { s.Table = "db.public.orders" }, `table "db.public.orders" is not a table name`},
		{"empty part", func(s *sources.Spec) { s.Table = "public." }, `table "public." is not a table name`},
		{"path", func(s *sources.Spec) { s.Table = "t"; s.Path = "x.csv" }, "path is set on a postgres source"},
	} {
		spec := base
		c.edit(&spec)
		_, err := postgres.New(spec, "")
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// TestMissingEnv names the source and the variable.
func TestMissingEnv(t *testing.T) {
	f := newFixture(t, "")
	t.Setenv(f.env, "")
	_, err := f.extract(f.spec("public.orders"), "")
	t.Log(err)
	want := "source orders_pg: read postgres table public.orders: environment variable JOURNEY_TEST_PG_DSN (dsn_env) is not set or empty"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
	f.noLeftovers()
}

// TestSecretsStayHidden: neither the DSN nor its password appears in an
// error, whether the DSN does not parse or the server cannot be reached.
func TestSecretsStayHidden(t *testing.T) {
	f := newFixture(t, "")
	for _, dsn := range []string{
		"postgres://journey:s3cr3t-pw@127.0.0.1:notaport/shop",
		"postgres://journey:s3cr3t-pw@127.0.0.1:1/shop?connect_timeout=5",
		"host=127.0.0.1 port=1 user=journey password=s3cr3t-pw dbname=shop connect_timeout=5",
	} {
		t.Setenv(f.env, dsn)
		_, err := f.extract(f.spec("public.orders"), "")
		t.Log(err)
		if err == nil {
			t.Fatalf("%s: no error", dsn)
		}
		if msg := err.Error(); strings.Contains(msg, "s3cr3t") || strings.Contains(msg, dsn) ||
			!strings.Contains(msg, "source orders_pg: read postgres table public.orders: ") || !strings.Contains(msg, f.env) {
			t.Errorf("error %q", msg)
		}
	}
}

// TestWrongTable names the table that does not exist.
func TestWrongTable(t *testing.T) {
	f := newFixture(t, "CREATE TABLE orders (id int)")
	_, err := f.extract(f.spec("public.ordres"), "")
	t.Log(err)
	want := "source orders_pg: read postgres table public.ordres: table public.ordres does not exist or the user cannot see it"
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), `relation "public.ordres" does not exist`) {
		t.Errorf("error %v, want %q", err, want)
	}
	f.noLeftovers()
}

// TestBadColumns rejects a missing watermark column and columns the raw
// table cannot hold.
func TestBadColumns(t *testing.T) {
	f := newFixture(t, "CREATE TABLE orders (id int, updated timestamptz)")
	spec := f.spec("orders")
	spec.Watermark = "updated_at"
	for q, want := range map[string]string{
		"orders":                    `watermark column "updated_at" not found; the source has columns: id, updated`,
		"SELECT 1 AS _line":         `column "_line" clashes with the raw table's own _line column`,
		`SELECT 1 AS "ID", 2 AS id`: `columns "ID" and "id" have the same name`,
		"SELECT nosuch FROM orders": `look up columns: ERROR: column "nosuch" does not exist`,
		"SELECT 10 / (g - 3) AS y FROM generate_series(1, 5) g": "query failed after 2 rows: ERROR: division by zero",
	} {
		s := f.spec(q)
		if q == "orders" {
			s = spec
		}
		_, err := f.extract(s, "")
		t.Logf("%s: %v", q, err)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", q, err, want)
		}
		f.noLeftovers()
	}
}
