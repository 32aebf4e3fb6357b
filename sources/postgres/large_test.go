package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/postgres"
)

// TestLargerThanOneBatch reads 200k rows in 64k-row batches: every row
// arrives once, in order, with the same content as in PostgreSQL.
func TestLargerThanOneBatch(t *testing.T) {
	f := newFixture(t, `
		CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h, (g % 1000)::numeric(12,2) / 8 AS amount
		FROM generate_series(1, 200000) g;
		ALTER TABLE big ADD PRIMARY KEY (id);`)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	var progress []int64
	spec := f.spec("big")
	spec.Watermark = "id"
	ex := f.mustExtract(spec, "", postgres.WithBatchSize(64*1024), postgres.WithAllocator(mem),
		postgres.WithProgress(func(n int64) { progress = append(progress, n) }))
	mem.AssertSize(t, 0)

	if want := []int64{65536, 131072, 196608, 200000}; !reflect.DeepEqual(progress, want) {
		t.Errorf("progress %v, want %v", progress, want)
	}
	if ex.Watermark != "200000" {
		t.Errorf("watermark %q", ex.Watermark)
	}
	got := f.rows(`SELECT count(*), count(DISTINCT _line), min(_line), max(_line),
		count(*) FILTER (WHERE CAST(id AS BIGINT) <> _line OR _location <> 'pk=' || id),
		md5(string_agg(h || ':' || amount, ',' ORDER BY _line)), sum(CAST(amount AS DECIMAL(18,6)))::VARCHAR
		FROM raw_0`)[0]
	want := []string{"200000", "200000", "1", "200000", "0",
		f.pgString(`SELECT md5(string_agg(h || ':' || amount, ',' ORDER BY id)) FROM big`),
		f.pgString(`SELECT sum(amount)::numeric(18,6)::text FROM big`)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("raw table summary %q, want %q", got, want)
	}
}

// TestConnectionLost ends the session from another connection while a large
// table is being read in small batches: the read fails with a clear error
// and leaves no raw table behind.
func TestConnectionLost(t *testing.T) {
	f := newFixture(t, `CREATE TABLE wide AS SELECT g AS id, repeat(md5(g::text), 8) AS pad
		FROM generate_series(1, 300000) g;`)
	t.Setenv(f.env, f.dsn+" application_name=journey_lost")
	srv := pg.Get(t)
	terminated := 0
	kill := postgres.WithProgress(func(n int64) {
		if terminated > 0 {
			return
		}
		var err error
		if terminated, err = srv.TerminateBackends(context.Background(), "journey_lost"); err != nil || terminated != 1 {
			t.Errorf("terminated %d sessions (%v), want 1", terminated, err)
		}
	})
	_, err := f.extract(f.spec("public.wide"), "", postgres.WithBatchSize(1000), kill)
	t.Log(err)
	if err == nil {
		t.Fatal("read succeeded after its session was ended")
	}
	m := regexp.MustCompile(`^source orders_pg: read postgres table public.wide: connection lost after (\d+) rows: .+`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("error %q", err)
	}
	if n, _ := strconv.Atoi(m[1]); n < 1000 || n >= 300000 {
		t.Errorf("lost after %d rows, want between the first batch and the end", n)
	}
	f.noLeftovers()
	// The DuckDB connection was given back: the database still works.
	if got := f.rows(`SELECT 42`); got[0][0] != "42" {
		t.Errorf("duckdb after the failed read: %v", got)
	}
}

// TestCanceled stops a read through its context.
func TestCanceled(t *testing.T) {
	f := newFixture(t, `CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 50000) g;`)
	ctx, cancel := context.WithCancel(context.Background())
	src, err := postgres.Factory(postgres.WithBatchSize(1000), postgres.WithProgress(func(int64) { cancel() }))(f.spec("t"), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Extract(ctx, f.db, sources.Request{Raw: "raw_0"})
	t.Log(err)
	if err == nil || !strings.HasPrefix(err.Error(), "source orders_pg: read postgres table t: canceled after ") ||
		!errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want a canceled read", err)
	}
	f.noLeftovers()
}
