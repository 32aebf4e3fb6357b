package file_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/file"
)

// TestLocalCSVGzip reads a gzip-compressed CSV file named relative to the
// configuration's folder.
func TestLocalCSVGzip(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "exports/orders.csv.gz", gzipped(t, ordersCSV(0, 5)))
	r := mustLoad(t, ordersSpec("exports/orders.csv.gz"), dir)
	wantCounts(t, r, 5, 5, 0)
	if got, want := joined(r.rows(t, "SELECT _file, max(_line) FROM stg_orders GROUP BY ALL")), "exports/orders.csv.gz|6"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if in := r.ex.Inputs; len(in) != 1 || in[0].Name != "exports/orders.csv.gz" || in[0].ModTime == "" {
		t.Errorf("inputs %+v", in)
	}
}

// TestLocalGlobLines reads a glob of several files, with line numbers
// restarting in every file, in rejects as in the staged rows.
func TestLocalGlobLines(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "in/a.csv", ordersCSV(0, 3))
	b := string(ordersCSV(3, 6))
	b = strings.Replace(b, "\nO-00000004,", "\nO-00000004,x,y,", 1) // line 3: too many columns
	writeFile(t, dir, "in/b.csv", []byte(b))
	c := strings.Replace(string(ordersCSV(6, 9)), "2025-08-08T07:07:00Z", "08/08/2025", 1) // line 3: bad timestamp
	writeFile(t, dir, "in/c.csv", []byte(c))
	r := mustLoad(t, ordersSpec("in/*.csv"), dir)
	wantCounts(t, r, 9, 7, 2)
	got := joined(r.rows(t, "SELECT _file, min(_line), max(_line), count(*) FROM stg_orders GROUP BY ALL ORDER BY 1"))
	if want := "in/a.csv|2|4|3\nin/b.csv|2|4|2\nin/c.csv|2|4|2"; got != want {
		t.Errorf("lines per file:\n%s\nwant\n%s", got, want)
	}
	rej := r.rows(t, "SELECT location, reason FROM rejects ORDER BY location")
	if len(rej) != 2 || rej[0][0] != "in/b.csv:3" || rej[1][0] != "in/c.csv:3" ||
		!strings.HasPrefix(rej[0][1], "unreadable CSV line") || !strings.HasPrefix(rej[1][1], "bad timestamp in ordered_at") {
		t.Errorf("rejects %v, want in/b.csv:3 unreadable and in/c.csv:3 bad timestamp", rej)
	}
}

// TestLocalMixedCompression reads a glob mixing plain, gzip and zstd files.
func TestLocalMixedCompression(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m/a.csv", ordersCSV(0, 2))
	writeFile(t, dir, "m/b.csv.gz", gzipped(t, ordersCSV(2, 4)))
	writeFile(t, dir, "m/c.csv.zst", zstded(t, ordersCSV(4, 6)))
	r := mustLoad(t, ordersSpec("m/*"), dir)
	wantCounts(t, r, 6, 6, 0)
}

// TestLocalNDJSONBlankLines skips blank lines, which are not records, while
// counting them as physical lines.
func TestLocalNDJSONBlankLines(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "o.ndjson", []byte(`{"id":"J1","at":"2025-01-02T10:00:00Z","email":"A@x.org","total":"5"}`+"\n\n   \n"+
		`{"id":"J2","at":"2025-01-03T10:00:00Z","email":"b@x.org","total":"6"}`+"\n"+`"just text"`+"\n\n"+
		`{"id":"J3","at":"2025-01-04T10:00:00Z","email":"c@x.org","total":"7"}`))
	spec := sources.Spec{Name: "o", Entity: "orders", Kind: file.Kind, Path: "o.ndjson",
		Columns: map[string]string{"order_id": "id", "ordered_at": "at", "email": "email", "amount": "total"}}
	r := mustLoad(t, spec, dir)
	wantCounts(t, r, 4, 3, 1)
	if got, want := joined(r.rows(t, "SELECT order_id, email, _line FROM stg_orders ORDER BY 1")), "J1|a@x.org|1\nJ2|b@x.org|4\nJ3|c@x.org|7"; got != want {
		t.Errorf("staged:\n%s\nwant\n%s", got, want)
	}
	if got, want := joined(r.rows(t, "SELECT location, raw_record FROM rejects")), `o.ndjson:5|"just text"`; got != want {
		t.Errorf("rejects: got %s, want %s", got, want)
	}
}

// TestLocalWhitespaceHeader reads whitespace-separated text whose first
// line names the columns.
func TestLocalWhitespaceHeader(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "cdnow.txt", []byte("id   customer  at                     amount\n"+
		"W1   C1        2025-01-02T10:00:00Z   5.50\n"+
		"W2\tC2\t2025-01-03T10:00:00Z\t6\n"+
		"W3   C3        2025-01-04T10:00:00Z\n"+
		"  W4 C4 2025-01-05T10:00:00Z 7  \n"))
	spec := sources.Spec{Name: "cdnow", Entity: "orders", Kind: file.Kind, Path: "cdnow.txt",
		CSV:     sources.CSVOptions{Delimiter: file.Whitespace},
		Columns: map[string]string{"order_id": "id", "customer_id": "customer", "ordered_at": "at", "amount": "amount"}}
	r := mustLoad(t, spec, dir)
	wantCounts(t, r, 4, 3, 1)
	if got, want := joined(r.rows(t, "SELECT order_id, customer_id, amount, _line FROM stg_orders ORDER BY 1")),
		"W1|C1|5.5|2\nW2|C2|6|3\nW4|C4|7|5"; got != want {
		t.Errorf("staged:\n%s\nwant\n%s", got, want)
	}
	if got, want := joined(r.rows(t, "SELECT location, reason FROM rejects")),
		"cdnow.txt:4|unreadable line: expected 4 fields separated by whitespace, found 3"; got != want {
		t.Errorf("rejects: got %s, want %s", got, want)
	}
}

// TestLocalMissingColumn fails when a mapped column is not in the file,
// listing the columns it has.
func TestLocalMissingColumn(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "orders.csv", ordersCSV(0, 2))
	spec := ordersSpec("orders.csv")
	spec.Columns["amount"] = "total"
	msg := loadErr(t, spec, dir)
	wantContains(t, msg, `source orders: column "total" (mapped to amount) not found in orders.csv`,
		"the source has columns: order_id, ordered_at, customer_id, email, amount, currency, status, channel, item_count, updated_at",
		"fix sources[].columns")
}

// TestLocalCSVRejectRawRecord: a record the mapping rejects keeps all its
// columns, the unmapped ones too, as its raw record, and its file:line.
// The raw relation is a view over the reader's rows, dropped with them
// once the staging is built; the reader's own rejects tables are gone by
// then too.
func TestLocalCSVRejectRawRecord(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "o.csv", []byte("order_id,ordered_at,amount,note\nA1,2025-01-02T10:00:00Z,5,ok\nA2,2025-01-03T10:00:00Z,-1,oops\nA3,someday,7,\n"))
	spec := sources.Spec{Name: "o", Entity: "orders", Kind: file.Kind, Path: "o.csv",
		Columns: map[string]string{"order_id": "order_id", "ordered_at": "ordered_at", "amount": "amount"}, Constants: map[string]string{"customer_id": "C1"}}
	r := mustLoad(t, spec, dir)
	if !r.ex.View || len(r.ex.Backing) == 0 {
		t.Fatalf("CSV was not read through a view over its scan: %+v", r.ex)
	}
	for _, b := range r.ex.Backing {
		if n := r.rows(t, "SELECT count(*) FROM duckdb_tables() WHERE table_name = $1", b); n[0][0] != "0" {
			t.Errorf("the scan table %s outlived the staging", b)
		}
	}
	if left := joined(r.rows(t, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%raw_0%' ORDER BY 1")); left != "" {
		t.Errorf("tables of the reader outlived the staging: %s", left)
	}
	wantCounts(t, r, 3, 1, 2)
	got := joined(r.rows(t, "SELECT location, raw_record, split_part(reason, ' (', 1) FROM rejects ORDER BY location"))
	want := `o.csv:3|{"order_id":"A2","ordered_at":"2025-01-03T10:00:00Z","amount":"-1","note":"oops"}|negative amount -1` + "\n" +
		`o.csv:4|{"order_id":"A3","ordered_at":"someday","amount":"7","note":null}|bad timestamp in ordered_at`
	if got != want {
		t.Errorf("rejects:\n%s\nwant\n%s", got, want)
	}
}

// TestLocalNDJSONWithoutObjects is a file of lines that are no JSON
// objects: each is a parse reject, and the mapped columns are reported
// missing, with no keys to list.
func TestLocalNDJSONWithoutObjects(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "o.ndjson", []byte("not json\n\n[1,2]\n"))
	spec := sources.Spec{Name: "o", Entity: "orders", Kind: file.Kind, Path: "o.ndjson",
		Columns: map[string]string{"order_id": "id", "ordered_at": "at", "amount": "total"}}
	msg := loadErr(t, spec, dir)
	wantContains(t, msg, `source o: column "id" (mapped to order_id)`, "not found in o.ndjson; the source has no columns; fix sources[].columns")
}

// TestLocalNoMatch names the source, the path and where it looked.
func TestLocalNoMatch(t *testing.T) {
	msg := loadErr(t, ordersSpec("exports/*.csv"), t.TempDir())
	wantContains(t, msg, `source orders: no file matches path "exports/*.csv"`, "check sources[].path")
}

// TestLocalNDJSONView reads NDJSON through a view over its lines: a mapping
// reject and a duplicate in the second file carry their own lines verbatim
// and their locations, and the lines are dropped with the view once the
// staging is built.
func TestLocalNDJSONView(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "j/a.ndjson", []byte(`{"id":"J1","at":"2025-01-02T10:00:00Z","email":"a@x.org","total":"5"}`+"\n"+
		`{"id":"J2","at":"2025-01-03T10:00:00Z","email":"b@x.org","total":"6"}`+"\n"))
	writeFile(t, dir, "j/b.ndjson", []byte(`{"id":"J3","at":"2025-01-04T10:00:00Z","email":"c@x.org","total":"7"}`+"\n"+
		`{"id":"J4","at":"2025-01-05T10:00:00Z","email":"d@x.org","total":"-1"}`+"\n"+
		`{"id":"J1","at":"2025-01-02T10:00:00Z","email":"a@x.org","total":"5"}`+"\n"))
	spec := sources.Spec{Name: "j", Entity: "orders", Kind: file.Kind, Path: "j/*.ndjson",
		Columns: map[string]string{"order_id": "id", "ordered_at": "at", "email": "email", "amount": "total"}}
	r := mustLoad(t, spec, dir)
	if !r.ex.View || len(r.ex.Backing) != 1 {
		t.Fatalf("NDJSON was not read through a view over its lines: %+v", r.ex)
	}
	wantCounts(t, r, 5, 3, 2)
	got := joined(r.rows(t, "SELECT location, raw_record, split_part(reason, ' (', 1) FROM rejects ORDER BY location"))
	want := `j/a.ndjson:1|{"id":"J1","at":"2025-01-02T10:00:00Z","email":"a@x.org","total":"5"}|duplicate order_id 'J1': the record at j/b.ndjson:3 was kept` + "\n" +
		`j/b.ndjson:2|{"id":"J4","at":"2025-01-05T10:00:00Z","email":"d@x.org","total":"-1"}|negative amount -1`
	if got != want {
		t.Errorf("rejects:\n%s\nwant\n%s", got, want)
	}
	if n := r.rows(t, "SELECT count(*) FROM duckdb_tables() WHERE table_name = $1", r.ex.Backing[0]); n[0][0] != "0" {
		t.Errorf("the lines table %s outlived the staging", r.ex.Backing[0])
	}
}

// TestLocalCSVLinesAroundRejects numbers every record by its physical line
// when the parser rejects lines at the start, in runs, apart and at the end
// of two files: each order id holds the line it was written on.
func TestLocalCSVLinesAroundRejects(t *testing.T) {
	dir := t.TempDir()
	bad := map[string][]int{"l/a.csv": {2, 3, 10, 11, 12, 20, 40}, "l/b.csv": {5, 6, 7, 8, 39, 40}}
	var want []string
	for _, name := range []string{"l/a.csv", "l/b.csv"} {
		b := []byte("order_id,ordered_at,customer_id,email,amount,currency,status,channel,item_count,updated_at\n")
		for line := 2; line <= 40; line++ {
			extra := ""
			if slices.Contains(bad[name], line) {
				extra = ",x,y"
				want = append(want, fmt.Sprintf("%s:%d", name, line))
			}
			b = fmt.Appendf(b, "%s-L%d,2025-01-02T10:00:00Z,C1,,5.00,EUR,placed,web,1,%s\n", name, line, extra)
		}
		writeFile(t, dir, name, b)
	}
	r := mustLoad(t, ordersSpec("l/*.csv"), dir)
	wantCounts(t, r, 2*39, 2*39-13, 13)
	if got := r.rows(t, "SELECT order_id, _line FROM stg_orders WHERE order_id <> _file || '-L' || _line"); len(got) > 0 {
		t.Errorf("records numbered off their lines (file, id, line): %v", got)
	}
	if got := joined(r.rows(t, "SELECT location FROM rejects ORDER BY file, line")); got != strings.Join(want, "\n") {
		t.Errorf("rejected lines:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}
