package postgres_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/journeydata/journey/sources/postgres"
)

// typesSetup holds every value type a source meets; timestamptz values are
// written under different session time zones and must all read back in UTC.
const typesSetup = `
CREATE TABLE public.orders (
	id integer PRIMARY KEY, name text, qty integer, amount numeric(12,2),
	placed_at timestamptz, local_at timestamp, day date, paid boolean,
	doc jsonb, ratio double precision);
SET TimeZone = 'America/New_York';
INSERT INTO orders VALUES (1, 'Ann', 3, 1234.5, '2024-03-05 09:22:10.123456', '2024-03-05 14:22:10',
	'2024-03-05', true, '{"b": [1, 2], "a": "x"}', 0.1);
SET TimeZone = 'Asia/Kolkata';
INSERT INTO orders VALUES (2, 'Zoë "Z" O''Brien, 😀', -7, -0.5, '2024-03-05 19:52:10', '1999-12-31 23:59:59.5',
	'2000-02-29', false, '[]', -1e-7);
INSERT INTO orders (id) VALUES (3);
SET TimeZone = 'UTC';
INSERT INTO orders VALUES (4, '', 0, 0, '2024-01-01 00:00:00+00', '2024-01-01 00:00:00', '2024-01-01', NULL, 'null', 3);`

// TestTableTypes reads a table of every type and checks the text of every
// value, the bookkeeping columns and that no Arrow buffer leaked.
func TestTableTypes(t *testing.T) {
	f := newFixture(t, typesSetup)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	ex := f.mustExtract(f.spec("public.orders"), "", postgres.WithAllocator(mem))
	mem.AssertSize(t, 0)

	wantCols := []string{"id", "name", "qty", "amount", "placed_at", "local_at", "day", "paid", "doc", "ratio"}
	if !reflect.DeepEqual(ex.Columns, wantCols) {
		t.Errorf("columns %v, want %v", ex.Columns, wantCols)
	}
	if !ex.HasLocation || ex.HasRawText || ex.Watermark != "" || ex.ParseRejected != 0 {
		t.Errorf("extracted %+v", ex)
	}
	if len(ex.Inputs) != 1 || ex.Inputs[0].Name != "postgres:public.orders" || ex.Inputs[0].Size == 0 {
		t.Errorf("inputs %+v", ex.Inputs)
	}
	got := f.rows(`SELECT * FROM raw_0 ORDER BY CAST(id AS INTEGER)`)
	want := [][]string{
		{"1", "Ann", "3", "1234.50", "2024-03-05 14:22:10.123456+00", "2024-03-05 14:22:10", "2024-03-05", "true",
			`{"a": "x", "b": [1, 2]}`, "0.1", "postgres:public.orders", "1", "pk=1"},
		{"2", `Zoë "Z" O'Brien, 😀`, "-7", "-0.50", "2024-03-05 14:22:10+00", "1999-12-31 23:59:59.5", "2000-02-29", "false",
			"[]", "-1e-07", "postgres:public.orders", "2", "pk=2"},
		{"3", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "postgres:public.orders", "3", "pk=3"},
		{"4", "", "0", "0.00", "2024-01-01 00:00:00+00", "2024-01-01 00:00:00", "2024-01-01", "NULL",
			"null", "3", "postgres:public.orders", "4", "pk=4"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("raw table:\n got %q\nwant %q", got, want)
	}
	types := f.rows(`SELECT string_agg(data_type, ',' ORDER BY column_index) FROM duckdb_columns() WHERE table_name = 'raw_0'`)
	if w := strings.Repeat("VARCHAR,", 11) + "BIGINT,VARCHAR"; types[0][0] != w {
		t.Errorf("raw column types %s, want %s", types[0][0], w)
	}
}

// TestQuery reads a query (with a trailing semicolon): rows are located by
// number and the input is named by the query's hash.
func TestQuery(t *testing.T) {
	f := newFixture(t, typesSetup)
	ex := f.mustExtract(f.spec("SELECT id, amount * 2 AS doubled, paid FROM orders WHERE id < 3 ORDER BY id DESC;\n"), "")
	if !reflect.DeepEqual(ex.Columns, []string{"id", "doubled", "paid"}) {
		t.Errorf("columns %v", ex.Columns)
	}
	if len(ex.Inputs) != 1 || !strings.HasPrefix(ex.Inputs[0].Name, "postgres:query-") || len(ex.Inputs[0].SHA256) != 64 {
		t.Errorf("inputs %+v", ex.Inputs)
	}
	got := f.rows(`SELECT * FROM raw_0 ORDER BY _line`)
	want := [][]string{
		{"2", "-1.00", "false", "postgres:query", "1", "row 1"},
		{"1", "2469.00", "true", "postgres:query", "2", "row 2"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("raw table:\n got %q\nwant %q", got, want)
	}
}

// TestWatermark reads everything first, then only the rows changed after
// the first read's watermark, then nothing.
func TestWatermark(t *testing.T) {
	f := newFixture(t, `
		CREATE SCHEMA sales;
		CREATE TABLE sales.orders (id text PRIMARY KEY, amount numeric, updated_at timestamptz);
		INSERT INTO sales.orders VALUES
			('a', 1, '2024-03-01 10:00:00.000001+00'), ('b', 2, '2024-03-03 10:00:00.123456+00'),
			('c', 3, '2024-03-02 10:00:00+02'), ('n', 4, NULL);`)
	spec := f.spec("sales.orders")
	spec.Watermark = "updated_at"

	ex := f.mustExtract(spec, "")
	if ex.Watermark != "2024-03-03 10:00:00.123456+00" {
		t.Fatalf("first watermark %q", ex.Watermark)
	}
	if got := f.rows(`SELECT id, _line, _location FROM raw_0 ORDER BY _line`); !reflect.DeepEqual(got,
		[][]string{{"a", "1", "pk=a"}, {"c", "2", "pk=c"}, {"b", "3", "pk=b"}, {"n", "4", "pk=n"}}) {
		t.Errorf("first read %q", got)
	}

	f.exec(`UPDATE sales.orders SET amount = 5, updated_at = '2024-03-04 00:00:00+00' WHERE id = 'a';
		INSERT INTO sales.orders VALUES ('d', 6, '2024-03-03 10:00:00.123457+00'), ('e', 7, '2024-03-03 10:00:00.123456+00');`)
	ex = f.mustExtract(spec, ex.Watermark)
	if got := f.rows(`SELECT id, amount, updated_at, _line FROM raw_0 ORDER BY _line`); !reflect.DeepEqual(got, [][]string{
		{"d", "6", "2024-03-03 10:00:00.123457+00", "1"},
		{"a", "5", "2024-03-04 00:00:00+00", "2"},
	}) {
		t.Errorf("second read %q", got)
	}
	if ex.Watermark != "2024-03-04 00:00:00+00" {
		t.Errorf("second watermark %q", ex.Watermark)
	}

	ex = f.mustExtract(spec, ex.Watermark)
	if n := f.rows(`SELECT count(*) FROM raw_0`)[0][0]; n != "0" || ex.Watermark != "" {
		t.Errorf("third read: %s rows, watermark %q; want none", n, ex.Watermark)
	}
	if !reflect.DeepEqual(ex.Columns, []string{"id", "amount", "updated_at"}) {
		t.Errorf("columns of an empty read %v", ex.Columns)
	}
}
