package postgres_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkExtract1M extracts a generated table of 1M rows × 10 columns
// (text, bigint, numeric, timestamptz, int, boolean) into DuckDB and
// reports rows/s and the process's peak resident memory (VmHWM), which
// includes DuckDB's memory outside the Go heap.
//
//	go test -tags duckdb_arrow -run '^$' -bench Extract1M -benchtime 1x ./sources/postgres/
func BenchmarkExtract1M(b *testing.B) {
	const rows = 1_000_000
	f := newFixture(b, `
		CREATE TABLE bench_orders AS SELECT
			g::bigint AS id,
			'C' || (g % 50000) AS customer_id,
			'user' || (g % 50000) || '@example.com' AS email,
			((g::bigint * 7919) % 100000 / 100.0)::numeric(12,2) AS amount,
			'EUR' AS currency,
			(ARRAY['placed', 'shipped', 'delivered', 'returned'])[1 + g % 4] AS status,
			timestamptz '2024-01-01 00:00:00+00' + g * interval '17.123 seconds' AS ordered_at,
			1 + g % 7 AS item_count,
			g % 3 = 0 AS gift,
			timestamptz '2024-01-01 00:00:00+00' + g * interval '31 seconds' AS updated_at
		FROM generate_series(1, 1000000) g;
		ALTER TABLE bench_orders ADD PRIMARY KEY (id);`)
	f.exec("VACUUM ANALYZE bench_orders")
	spec := f.spec("public.bench_orders")
	for b.Loop() {
		f.mustExtract(spec, "")
	}
	if n := f.rows(`SELECT count(*) FROM raw_0`)[0][0]; n != strconv.Itoa(rows) {
		b.Fatalf("read %s rows, want %d", n, rows)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peakRSSMiB(b), "peak-RSS-MiB")
}

// peakRSSMiB reads the process's peak resident set size from /proc.
func peakRSSMiB(b *testing.B) float64 {
	file, err := os.Open("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
