package sources_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/jackc/pgx/v5"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/sources"
)

const benchRows = 1_000_000

// benchSelect generates benchRows orders with 10 columns.
const benchSelect = `SELECT 'O-' || g AS id, 'C' || (g % 50000) AS customer, 'user' || (g % 50000) || '@example.com' AS email,
	TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL 17 SECOND AS at, round((g * 7919 % 100000) / 100.0, 2) AS amount,
	'EUR' AS currency, ['placed', 'shipped', 'delivered', 'returned'][1 + g % 4] AS status, 'web' AS channel,
	1 + g % 7 AS items, TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL 31 SECOND AS updated
	FROM range(` + "1000000" + `) t(g)`

// BenchmarkExtract1M measures extraction of 1M orders × 10 columns through
// Extract + Map + Stage for each source kind, reporting rows/s and the
// process's peak resident memory. Run one kind per process so the peak is
// its own:
//
//	go test -tags duckdb_arrow -run '^$' -bench 'Extract1M/csv$' -benchtime 1x ./sources/
func BenchmarkExtract1M(b *testing.B) {
	dir := b.TempDir()
	generate(b, dir)
	for _, k := range []string{"csv", "parquet", "gcs_csv", "postgres"} {
		b.Run(k, func(b *testing.B) {
			spec := benchSpec(b, k, dir)
			for b.Loop() {
				stageOne(b, spec, dir)
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(peakRSS(b), "peak-RSS-MiB")
		})
	}
}

func generate(b *testing.B, dir string) {
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, f := range []string{"csv", "parquet"} {
		q := fmt.Sprintf("COPY (%s) TO %s (FORMAT %s)", benchSelect, duck.Literal(filepath.Join(dir, "orders."+f)), f)
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSpec(b *testing.B, kind, dir string) sources.Spec {
	s := contractSpec("bench", "file")
	s.Columns["currency"], s.Columns["channel"], s.Columns["item_count"] = "currency", "channel", "items"
	switch kind {
	case "csv", "parquet":
		s.Path = "orders." + kind
	case "gcs_csv":
		s.Path = "gs://" + benchBucket(b, dir) + "/orders.csv"
	case "postgres":
		s.Kind, s.DSNEnv, s.Table = "postgres", benchPG(b, dir), "public.orders"
	}
	return s
}

func benchBucket(b *testing.B, dir string) string {
	srv := testkit.FakeGCS(b, "bench")
	data, err := os.ReadFile(filepath.Join(dir, "orders.csv"))
	if err != nil {
		b.Fatal(err)
	}
	srv.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "bench", Name: "orders.csv"}, Content: data})
	return "bench"
}

func benchPG(b *testing.B, dir string) string {
	dsn := pg.Get(b).NewDatabase(b)
	b.Setenv("JOURNEY_BENCH_DSN", dsn)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE TABLE orders (id text PRIMARY KEY, customer text, email text, at timestamptz, amount numeric(12,2),
		currency text, status text, channel text, items int, updated timestamptz)`)
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "orders.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := conn.PgConn().CopyFrom(ctx, f, "COPY orders FROM STDIN (FORMAT csv, HEADER true)"); err != nil {
		b.Fatal(err)
	}
	return "JOURNEY_BENCH_DSN"
}

// peakRSS is the process's peak resident memory in MiB (VmHWM).
func peakRSS(b *testing.B) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
