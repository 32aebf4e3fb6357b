package file_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/file"
)

// The benchmark reads 1M order rows of 10 columns (~110 MB of CSV) stored
// as 4 objects.
const benchRows, benchObjects = 1_000_000, 4

// ordersCSV renders rows [from, to) of a synthetic order export.
func ordersCSV(from, to int) []byte {
	b := []byte("order_id,ordered_at,customer_id,email,amount,currency,status,channel,item_count,updated_at\n")
	statuses := []string{"placed", "shipped", "delivered", "cancelled", "returned"}
	channels := []string{"web", "app", "store", "phone"}
	for i := from; i < to; i++ {
		b = fmt.Appendf(b, "O-%08d,2025-%02d-%02dT%02d:%02d:00Z,C%06d,c%06d@example.com,%d.%02d,EUR,%s,%s,%d,2025-12-01 10:00:00\n",
			i, i%12+1, i%28+1, i%24, i%60, i%50000, i%50000, i%900+5, i%100, statuses[i%5], channels[i%4], i%7+1)
	}
	return b
}

// ordersSpec is an orders source over path.
func ordersSpec(path string) sources.Spec {
	return sources.Spec{Name: "orders", Entity: "orders", Kind: file.Kind, Path: path, Format: "csv",
		Columns: map[string]string{"order_id": "order_id", "ordered_at": "ordered_at", "customer_id": "customer_id",
			"email": "email", "amount": "amount", "status": "status", "updated_at": "updated_at"}}
}

// BenchmarkGCSExtract reads the same objects from fake-gcs-server (listed,
// downloaded to spill files, read by DuckDB) and from local files, in one
// run. gcs/local is the cost of the transfer: what streaming the objects
// into DuckDB could at best have saved.
func BenchmarkGCSExtract(b *testing.B) {
	for _, codec := range []string{"plain", "gzip"} {
		b.Run(codec, func(b *testing.B) {
			srv, local := newGCS(b), b.TempDir()
			per := benchRows / benchObjects
			for k := range benchObjects {
				data, name := ordersCSV(k*per, (k+1)*per), fmt.Sprintf("bench/orders-%d.csv", k)
				if codec == "gzip" {
					data, name = gzipped(b, data), name+".gz"
				}
				put(srv, name, data)
				writeFile(b, local, name, data)
			}
			gcs, files := ordersSpec("gs://"+bucket+"/bench/orders-*"), ordersSpec(filepath.Join(local, "bench/orders-*"))
			var fromGCS, fromFiles time.Duration
			for b.Loop() {
				fromGCS += timeExtract(b, gcs)
				fromFiles += timeExtract(b, files)
			}
			n := float64(b.N)
			b.ReportMetric(fromGCS.Seconds()/n, "gcs-s/op")
			b.ReportMetric(fromFiles.Seconds()/n, "local-s/op")
			b.ReportMetric(fromGCS.Seconds()/fromFiles.Seconds(), "gcs/local")
			b.ReportMetric(benchRows*n/fromGCS.Seconds(), "gcs-rows/s")
		})
	}
}

// timeExtract times one Extract of spec into a fresh database.
func timeExtract(b *testing.B, spec sources.Spec) time.Duration {
	ctx := context.Background()
	db := newDB(b)
	defer db.Close()
	src := newSource(b, spec, ".")
	t := time.Now()
	if _, err := src.Extract(ctx, db, sources.Request{Raw: "raw_0", WorkDir: b.TempDir()}); err != nil {
		b.Fatal(err)
	}
	d := time.Since(t)
	if n, err := db.Int64(ctx, "SELECT count(*) FROM raw_0"); err != nil || n != benchRows {
		b.Fatalf("read %d rows (%v), want %d", n, err, benchRows)
	}
	return d
}
