package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/journeydata/journey/internal/pgtest"
	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sinks"
)

// pg is the package's PostgreSQL server, started by the first test that needs it.
var pg pgtest.Shared

func TestMain(m *testing.M) { os.Exit(pg.Main(m)) }

const incrementalConfig = `
sources:
  - name: shop
    entity: orders
    kind: postgres
    dsn_env: JOURNEY_TEST_SHOP_DSN
    table: public.shop_orders
    watermark: updated
    columns: {order_id: id, customer_id: customer, ordered_at: at, amount: amount, updated_at: updated}
`

// TestIncrementalPostgres: a nightly run reads only the rows changed since
// the last published run, still builds the snapshot from the whole history,
// and a failed run does not advance the watermark.
func TestIncrementalPostgres(t *testing.T) {
	dsn := pg.Get(t).NewDatabase(t)
	t.Setenv("JOURNEY_TEST_SHOP_DSN", dsn)
	sqlExec(t, dsn, `CREATE TABLE shop_orders (id text PRIMARY KEY, customer text, at timestamptz, amount numeric(12,2), updated timestamptz);
		INSERT INTO shop_orders VALUES
		  ('o1', 'a', '2024-05-01 10:00+00', 10, '2024-05-01 10:00+00'),
		  ('o2', 'a', '2024-05-02 10:00+00', 20, '2024-05-02 10:00+00'),
		  ('o3', 'b', '2024-05-03 10:00+00', 30, '2024-05-03 10:00+00')`)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "journey.yaml")
	if err := os.WriteFile(cfgPath, []byte(incrementalConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	run := func() (*sinks.Manifest, error) {
		cfg, err := pipeline.Load(cfgPath)
		if err != nil {
			t.Fatal(err)
		}
		return testkit.RunConfig(cfg, "2024-06-30", out, filepath.Join(dir, "work"))
	}
	m, err := run()
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Sources["shop"]; s.Read != 3 || s.Loaded != 3 {
		t.Fatalf("first run %+v, want a full read of 3", s)
	}

	sqlExec(t, dsn, `UPDATE shop_orders SET amount = 25, updated = '2024-06-01 10:00+00' WHERE id = 'o2';
		INSERT INTO shop_orders VALUES ('o4', 'b', '2024-06-02 10:00+00', 40, '2024-06-02 10:00+00')`)
	if m, err = run(); err != nil {
		t.Fatal(err)
	}
	if s := m.Sources["shop"]; s.Read != 2 || s.Loaded != 2 || s.Rejected != 0 {
		t.Errorf("second run %+v, want only the 2 changed rows read and loaded", s)
	}
	got := testkit.Rows(t, "SELECT customer_id, orders, revenue FROM read_parquet($1) ORDER BY 1", testkit.Table(out, "customer_journey"))
	if want := [][]string{{"a", "2", "35"}, {"b", "2", "70"}}; !equalRows(got, want) {
		t.Errorf("second snapshot %v, want %v (whole history with the update)", got, want)
	}

	// A run that fails (every changed row rejected) publishes nothing and
	// keeps the watermark: the fixed rows are read by the next run.
	sqlExec(t, dsn, `INSERT INTO shop_orders VALUES ('o5', 'c', '2024-06-03 10:00+00', -5, '2024-06-03 10:00+00')`)
	if _, err := run(); err == nil {
		t.Fatal("a run with every new row rejected succeeded")
	}
	sqlExec(t, dsn, `UPDATE shop_orders SET amount = 5 WHERE id = 'o5'`)
	if m, err = run(); err != nil {
		t.Fatal(err)
	}
	if s := m.Sources["shop"]; s.Read != 1 || s.Loaded != 1 {
		t.Errorf("run after the failure %+v, want the 1 row above the unchanged watermark", s)
	}
	if n := testkit.Value(t, "SELECT sum(orders) FROM read_parquet($1)", testkit.Table(out, "customer_journey")); n != "5" {
		t.Errorf("%s orders in the snapshot, want 5", n)
	}
}

func sqlExec(t *testing.T, dsn, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
