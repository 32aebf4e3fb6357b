package sources_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/jackc/pgx/v5"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/internal/pgtest"
	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/file"
	"github.com/journeydata/journey/sources/postgres"
)

var pg pgtest.Shared

func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }

// contractRows is the logical data every source kind serves in the
// contract test: orders with an offset timestamp, a naive one, NULLs, a
// duplicate key with a later update, and a negative amount (a reject).
var contractRows = [][]string{
	{"id", "customer", "email", "at", "amount", "status", "updated"},
	{"o1", "c1", "", "2024-05-01 10:00:00+00", "10.50", "delivered", "2024-05-01 10:00:00+00"},
	{"o2", "", "Ann@Example.com", "2024-05-02 12:30:00+02", "20.00", "returned", "2024-05-03 09:00:00+00"},
	{"o3", "c2", "", "2024-05-03 08:00:00+00", "-5.00", "delivered", "2024-05-03 08:00:00+00"},
	{"o4", "c2", "", "2024-05-04 08:00:00+00", "7.25", "", ""},
	{"o1", "c1", "", "2024-05-01 10:00:00+00", "11.00", "delivered", "2024-05-02 10:00:00+00"},
}

// keptAt matches the location in a duplicate's reason, which names the
// kind's own file, object or table.
var keptAt = regexp.MustCompile(`the record at \S+ was kept`)

// gcsBucket serves the CSV, gzip-compressed, from fake-gcs-server through
// the real client (STORAGE_EMULATOR_HOST) and returns the bucket.
func gcsBucket(t *testing.T, dir string) string {
	srv := testkit.FakeGCS(t, "contract")
	raw, err := os.ReadFile(filepath.Join(dir, "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(raw)
	w.Close()
	srv.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "contract", Name: "exports/orders.csv.gz"}, Content: gz.Bytes()})
	return "contract"
}

func contractSpec(name, kind string) sources.Spec {
	return sources.Spec{Name: name, Entity: "orders", Kind: kind,
		Columns: map[string]string{"order_id": "id", "customer_id": "customer", "email": "email", "ordered_at": "at",
			"amount": "amount", "status": "status", "updated_at": "updated"}}
}

// TestContract runs the same logical data through every source kind and
// requires identical staging tables and rejects.
func TestContract(t *testing.T) {
	dir := t.TempDir()
	writeCSV(t, filepath.Join(dir, "orders.csv"))
	writeNDJSON(t, filepath.Join(dir, "orders.ndjson"))
	writeParquet(t, filepath.Join(dir, "orders.csv"), filepath.Join(dir, "orders.parquet"))
	env := pgTable(t)
	kinds := map[string]sources.Spec{}
	for _, f := range []string{"orders.csv", "orders.ndjson", "orders.parquet"} {
		s := contractSpec(strings.ReplaceAll(f, ".", "_"), "file")
		s.Path = f
		kinds[f] = s
	}
	gcsSpec := contractSpec("orders_gcs", "file")
	gcsSpec.Path = "gs://" + gcsBucket(t, dir) + "/exports/orders*.csv.gz"
	kinds["gs"] = gcsSpec
	pgSpec := contractSpec("orders_pg", "postgres")
	pgSpec.DSNEnv, pgSpec.Table = env, "public.orders"
	kinds["postgres"] = pgSpec
	var want string
	for _, k := range []string{"orders.csv", "orders.ndjson", "orders.parquet", "gs", "postgres"} {
		got := keptAt.ReplaceAllString(stageOne(t, kinds[k], dir), "the record at … was kept")
		if want == "" {
			want = got
			if !strings.Contains(got, "negative amount") || !strings.Contains(got, "duplicate order_id") {
				t.Fatalf("%s: staged data lacks the expected rejects:\n%s", k, got)
			}
			continue
		}
		if got != want {
			t.Errorf("%s stages differently from orders.csv:\n got: %s\nwant: %s", k, got, want)
		}
	}
}

// stageOne extracts, maps and stages one source, and renders stg_orders and
// the reject reasons as text.
func stageOne(t testing.TB, spec sources.Spec, dir string) string {
	t.Helper()
	return stageWith(t, spec, dir, `SELECT order_id, customer_id, email, ordered_at, amount, status, updated_at FROM stg_orders ORDER BY order_id`,
		func(string) {})
}

// newContractSource builds a file or PostgreSQL source.
func newContractSource(t testing.TB, spec sources.Spec, dir string) sources.Source {
	t.Helper()
	reg := sources.NewRegistry()
	file.Register(reg)
	postgres.Register(reg)
	src, err := reg.New(spec, dir)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func dump(t testing.TB, db *duck.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%v;", vals)
	}
	return b.String()
}

func writeCSV(t *testing.T, path string) {
	var b strings.Builder
	for _, r := range contractRows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeNDJSON(t *testing.T, path string) {
	var b strings.Builder
	for _, r := range contractRows[1:] {
		var kv []string
		for i, v := range r {
			val := "null"
			if v != "" {
				val = fmt.Sprintf("%q", v)
			}
			kv = append(kv, fmt.Sprintf("%q:%s", contractRows[0][i], val))
		}
		b.WriteString("{" + strings.Join(kv, ",") + "}\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeParquet converts the CSV into a typed Parquet file, as an export
// tool would write it: timestamps as TIMESTAMPTZ, amounts as DECIMAL.
func writeParquet(t *testing.T, csv, path string) {
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := fmt.Sprintf(`COPY (SELECT id, customer, email, CAST("at" AS TIMESTAMPTZ) AS "at", CAST(amount AS DECIMAL(12,2)) AS amount,
		status, CAST(updated AS TIMESTAMPTZ) AS updated FROM read_csv(%s, all_varchar = true))
		TO %s (FORMAT parquet)`, duck.Literal(csv), duck.Literal(path))
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// pgTable loads the rows into a typed PostgreSQL table and returns the
// environment variable holding its DSN.
func pgTable(t *testing.T) string {
	dsn := pg.Get(t).NewDatabase(t)
	t.Setenv("JOURNEY_CONTRACT_DSN", dsn)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE TABLE orders (id text, customer text, email text, at timestamptz, amount numeric(12,2), status text, updated timestamptz)`)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range contractRows[1:] {
		args := make([]any, len(r))
		for i, v := range r {
			if v != "" {
				args[i] = v
			}
		}
		if _, err := conn.Exec(ctx, `INSERT INTO orders VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...); err != nil {
			t.Fatal(err)
		}
	}
	return "JOURNEY_CONTRACT_DSN"
}
