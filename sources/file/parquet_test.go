package file_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeOrdersParquet writes n orders P<k>-1 … P<k>-n to dir/name, the one at
// position bad with a negative amount and the one at position dup with the
// key of file 0's first order, updated later.
func writeOrdersParquet(t *testing.T, dir, name string, k, n, bad, dup int) {
	t.Helper()
	db := openDB(t)
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf(`COPY (SELECT CASE WHEN i = %d THEN 'P0-1' ELSE 'P%d-' || i END AS order_id,
			TIMESTAMP '2025-01-01 08:00:00' + i * INTERVAL 1 DAY AS ordered_at, 'C' || i AS customer_id,
			CASE WHEN i = %d THEN -1 ELSE i * 1.5 END AS amount,
			CASE WHEN i = %d THEN TIMESTAMP '2025-06-01 00:00:00' END AS updated_at
		FROM range(1, %d) t(i) ORDER BY i) TO '%s' (FORMAT parquet)`, dup, k, bad, dup, n+1, p)
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// TestLocalParquetView reads local Parquet files through a view (no copy
// of the data) and requires the same staged rows and rejects, with the
// same raw records and locations, as reading the same files downloaded
// from a bucket, which copies them into a table. The rejects lie in the
// second file, so a row id that confused the files would show.
func TestLocalParquetView(t *testing.T) {
	dir := t.TempDir()
	writeOrdersParquet(t, dir, "pq/orders-0.parquet", 0, 5, 0, 0)
	writeOrdersParquet(t, dir, "pq/orders-1.parquet", 1, 6, 4, 2)
	spec := ordersSpec("pq/orders-*.parquet")
	spec.Format = "parquet"
	delete(spec.Columns, "email")
	delete(spec.Columns, "status")
	local := mustLoad(t, spec, dir)
	if !local.ex.View {
		t.Fatal("local Parquet files were copied into a table")
	}
	wantCounts(t, local, 11, 9, 2)

	srv := newGCS(t)
	for _, f := range []string{"orders-0.parquet", "orders-1.parquet"} {
		data, err := os.ReadFile(filepath.Join(dir, "pq", f))
		if err != nil {
			t.Fatal(err)
		}
		put(srv, "pq/"+f, data)
	}
	spec.Path = gsURL + "pq/orders-*.parquet"
	remote := mustLoad(t, spec, t.TempDir())
	if remote.ex.View {
		t.Fatal("downloaded objects, removed after Extract, were read through a view")
	}
	staged := "SELECT order_id, customer_id, amount, _file, _line FROM stg_orders ORDER BY order_id"
	rejects := "SELECT file, line, location, raw_record, reason FROM rejects ORDER BY file, line"
	for _, q := range []string{staged, rejects} {
		got := joined(local.rows(t, q))
		want := strings.ReplaceAll(joined(remote.rows(t, q)), gsURL, "")
		if got != want {
			t.Errorf("%s\nlocal view:\n%s\nbucket table:\n%s", q, got, want)
		}
	}
	if got := joined(local.rows(t, rejects)); !strings.Contains(got, `pq/orders-1.parquet|4|pq/orders-1.parquet:4|{"order_id":"P1-4"`) ||
		!strings.Contains(got, `pq/orders-0.parquet|1|pq/orders-0.parquet:1|{"order_id":"P0-1"`) {
		t.Errorf("rejects do not name the rows:\n%s", got)
	}
}
