package file_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/file"
)

const gsURL = "gs://" + bucket + "/"

// TestGCSManyObjects reads 60 objects matched by a glob, leaving out hidden
// objects, other folders and other names, and names every record and input
// by its object URL.
func TestGCSManyObjects(t *testing.T) {
	srv := newGCS(t)
	for k := range 60 {
		put(srv, fmt.Sprintf("exports/2025/orders-%02d.csv", k), ordersCSV(k*3, k*3+3))
	}
	for _, decoy := range []string{"exports/2025/.orders-60.csv", "exports/2025/sub/orders-61.csv", "exports/2025/orders-62.txt", "exports/2024/orders-63.csv"} {
		put(srv, decoy, []byte("not,an\norder,export\n"))
	}
	r := mustLoad(t, ordersSpec(gsURL+"exports/2025/orders-*.csv"), t.TempDir())
	wantCounts(t, r, 180, 180, 0)
	got := joined(r.rows(t, "SELECT count(DISTINCT _file), min(_file), max(_line) FROM stg_orders"))
	if want := "60|" + gsURL + "exports/2025/orders-00.csv|4"; got != want {
		t.Errorf("staged files: got %s, want %s", got, want)
	}
	got = joined(r.rows(t, "SELECT _file, _line FROM stg_orders WHERE order_id = 'O-00000131'"))
	if want := gsURL + "exports/2025/orders-43.csv|4"; got != want {
		t.Errorf("O-00000131 at %s, want %s", got, want)
	}
	if len(r.ex.Inputs) != 60 {
		t.Fatalf("%d inputs, want 60", len(r.ex.Inputs))
	}
	in := r.ex.Inputs[59]
	if _, err := time.Parse(time.RFC3339Nano, in.ModTime); err != nil || in.Name != gsURL+"exports/2025/orders-59.csv" ||
		in.Size != int64(len(ordersCSV(177, 180))) {
		t.Errorf("input %+v: want the object's URL, stored size and update time", in)
	}
	wantNoSpill(t, r.workDir)
}

// wantNoSpill checks that Extract removed its spill files.
func wantNoSpill(t *testing.T, workDir string) {
	t.Helper()
	left, err := os.ReadDir(workDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("spill folder %s still holds %v", workDir, left)
	}
}

// TestGCSCompressed reads gzip and zstd objects, an object GCS transcodes
// (stored gzip-compressed with Content-Encoding: gzip, served plain) and a
// plain one, in one glob.
func TestGCSCompressed(t *testing.T) {
	srv := newGCS(t)
	put(srv, "mixed/a.csv.gz", gzipped(t, ordersCSV(0, 2)))
	put(srv, "mixed/b.csv.zst", zstded(t, ordersCSV(2, 4)))
	put(srv, "mixed/c.csv", ordersCSV(4, 6))
	srv.CreateObject(fakestorage.Object{
		ObjectAttrs: fakestorage.ObjectAttrs{BucketName: bucket, Name: "mixed/d.csv.gz", ContentEncoding: "gzip"},
		Content:     gzipped(t, ordersCSV(6, 8)),
	})
	spec := ordersSpec(gsURL + "mixed/*")
	r := mustLoad(t, spec, t.TempDir())
	wantCounts(t, r, 8, 8, 0)
	got := joined(r.rows(t, "SELECT _file, count(*), max(_line) FROM stg_orders GROUP BY _file ORDER BY _file"))
	want := joined([][]string{
		{gsURL + "mixed/a.csv.gz", "2", "3"}, {gsURL + "mixed/b.csv.zst", "2", "3"},
		{gsURL + "mixed/c.csv", "2", "3"}, {gsURL + "mixed/d.csv.gz", "2", "3"},
	})
	if got != want {
		t.Errorf("staged per object:\n%s\nwant\n%s", got, want)
	}
}

// TestGCSNDJSONAndParquet reads NDJSON and Parquet objects.
func TestGCSNDJSONAndParquet(t *testing.T) {
	srv := newGCS(t)
	put(srv, "events/day-1.ndjson", []byte(`{"order_id":"N1","ordered_at":"2025-01-02T10:00:00Z","customer_id":"C1","amount":"5"}`+"\n\n"+
		`[1, 2]`+"\n"+`{"order_id":"N2","ordered_at":"2025-01-03T10:00:00Z","customer_id":"C2","amount":"7"}`+"\n"))
	spec := sources.Spec{Name: "events", Entity: "orders", Kind: file.Kind, Path: gsURL + "events/*.ndjson",
		Columns: map[string]string{"order_id": "order_id", "ordered_at": "ordered_at", "customer_id": "customer_id", "amount": "amount"}}
	r := mustLoad(t, spec, t.TempDir())
	wantCounts(t, r, 3, 2, 1)
	if got, want := joined(r.rows(t, "SELECT file, line, reason FROM rejects")),
		gsURL+"events/day-1.ndjson|3|unreadable JSON line: not a JSON object"; got != want {
		t.Errorf("rejects: got %s, want %s", got, want)
	}
	if got, want := joined(r.rows(t, "SELECT order_id, _line FROM stg_orders ORDER BY 1")), "N1|1\nN2|4"; got != want {
		t.Errorf("staged: got %s, want %s", got, want)
	}

	dir := t.TempDir()
	db := openDB(t)
	for k := range 2 {
		p := fmt.Sprintf("%s/p%d.parquet", dir, k)
		q := fmt.Sprintf(`COPY (SELECT 'P%d-' || i AS order_id, TIMESTAMP '2025-01-01 08:00:00' + i * INTERVAL 1 DAY AS ordered_at,
			'C' || i AS customer_id, i * 1.5 AS amount FROM range(1, 4) t(i)) TO '%s' (FORMAT parquet)`, k, p)
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		put(srv, fmt.Sprintf("pq/orders-%d.parquet", k), data)
	}
	spec.Name, spec.Path = "pq", gsURL+"pq/orders-*.parquet"
	r = mustLoad(t, spec, t.TempDir())
	wantCounts(t, r, 6, 6, 0)
	if got, want := joined(r.rows(t, "SELECT _file, _line, amount, ordered_at FROM stg_orders WHERE order_id = 'P1-2'")),
		gsURL+"pq/orders-1.parquet|2|3|2025-01-03 08:00:00 +0000 UTC"; got != want {
		t.Errorf("P1-2: got %s, want %s", got, want)
	}
}

// TestGCSRejects checks that parse and mapping rejects from objects carry
// the object URL and the physical line.
func TestGCSRejects(t *testing.T) {
	srv := newGCS(t)
	put(srv, "r/a.csv", ordersCSV(0, 3))
	bad := append(ordersCSV(3, 5), "O-9,2025-01-01T00:00:00Z,C1,c1@example.com,1.00,EUR,placed,web,1,x,surplus\n"...)
	bad = append(bad, "O-10,yesterday,C1,c1@example.com,1.00,EUR,placed,web,1,2025-01-01 00:00:00\n"...)
	put(srv, "r/b.csv", bad)
	r := mustLoad(t, ordersSpec(gsURL+"r/*.csv"), t.TempDir())
	wantCounts(t, r, 7, 5, 2)
	got := r.rows(t, "SELECT file, line, location, reason FROM rejects ORDER BY line")
	if len(got) != 2 {
		t.Fatalf("rejects %v, want 2", got)
	}
	wantContains(t, joined(got[:1]), gsURL+"r/b.csv|4|"+gsURL+"r/b.csv:4|unreadable CSV line: TOO MANY COLUMNS")
	wantContains(t, joined(got[1:]), gsURL+"r/b.csv|5|"+gsURL+"r/b.csv:5|bad timestamp in ordered_at")
}

// TestGCSMissingBucket fails naming the source, the path and the bucket.
func TestGCSMissingBucket(t *testing.T) {
	newGCS(t)
	msg := loadErr(t, ordersSpec("gs://no-such-bucket/exports/*.csv"), t.TempDir())
	wantContains(t, msg, "source orders: ", "gs://no-such-bucket/exports/*.csv", `bucket "no-such-bucket" does not exist`,
		"check the bucket name in sources[].path")
}

// TestGCSNoMatch fails, like a local path, when no object matches.
func TestGCSNoMatch(t *testing.T) {
	srv := newGCS(t)
	put(srv, "exports/2025/orders.csv", ordersCSV(0, 1))
	for path, listed := range map[string]string{
		gsURL + "exports/2026/*.csv":       "objects under " + gsURL + "exports/2026/",
		gsURL + "exports/2025/missing.csv": gsURL + "exports/2025/missing.csv",
	} {
		msg := loadErr(t, ordersSpec(path), t.TempDir())
		wantContains(t, msg, "source orders: no object matches path \""+path+"\" (looked for "+listed+"); check sources[].path")
	}
}

// TestGCSObjectDeleted fails, naming the object, when an object disappears
// between listing and download, and leaves no spill file behind.
func TestGCSObjectDeleted(t *testing.T) {
	srv := newGCS(t)
	for _, n := range []string{"d/a.csv", "d/b.csv", "d/c.csv"} {
		put(srv, n, ordersCSV(0, 2))
	}
	spec := ordersSpec(gsURL + "d/*.csv")
	src := newSource(t, spec, t.TempDir())
	file.SetAfterList(src, func() {
		if err := srv.Backend().DeleteObject(bucket, "d/b.csv"); err != nil {
			t.Error(err)
		}
	})
	r, err := load(t, src, spec)
	if err == nil {
		t.Fatal("read without error")
	}
	wantContains(t, err.Error(), "source orders: ", "object "+gsURL+"d/b.csv was deleted while the source was being read; rerun")
	wantNoSpill(t, r.workDir)
}

// TestGCSBadPath rejects malformed gs:// paths when the source is built,
// before any request.
func TestGCSBadPath(t *testing.T) {
	reg := sources.NewRegistry()
	file.Register(reg)
	for path, want := range map[string]string{
		"gs://journey-exports":        "names a bucket but no objects",
		"gs://journey-exports/":       "names a bucket but no objects",
		"gs:///orders.csv":            "missing bucket name",
		"gs://Bad_Bucket/orders.csv":  "invalid bucket name",
		"GS://journey-exports/a.csv":  "",
		"gs://journey-exports/[a.csv": "is not a valid glob",
	} {
		spec := ordersSpec(path)
		_, err := reg.New(spec, ".")
		if want == "" {
			if err != nil {
				t.Errorf("%s: %v", path, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: no error, want %q", path, want)
			continue
		}
		wantContains(t, err.Error(), "source orders: ", want)
	}
}

// TestGCSCorruptObject fails naming the object, not its spill file, when an
// object is damaged: a truncated gzip stream (which DuckDB would read as
// shorter data) or a file DuckDB cannot read.
func TestGCSCorruptObject(t *testing.T) {
	srv := newGCS(t)
	gz := gzipped(t, ordersCSV(0, 500))
	put(srv, "c/orders.csv.gz", gz[:len(gz)/2])
	put(srv, "c/orders.parquet", []byte("PAR1 but not really"))
	for path, want := range map[string]string{
		"c/*.csv.gz":  "download " + gsURL + "c/orders.csv.gz: the object is damaged: gzip: unexpected EOF",
		"c/*.parquet": gsURL + "c/orders.parquet",
	} {
		spec := ordersSpec(gsURL + path)
		spec.Format = "" // from the extension
		msg := loadErr(t, spec, t.TempDir())
		wantContains(t, msg, "source orders: read "+gsURL+path+": ", want)
		if strings.Contains(msg, "objects-") {
			t.Errorf("message %q names the spill file", msg)
		}
	}
}
