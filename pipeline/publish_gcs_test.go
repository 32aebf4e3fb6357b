package pipeline_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sinks"
)

// TestIncrementalStateOnGCS runs TestIncrementalPostgres's first two runs
// into a gs:// output root (fake-gcs-server through STORAGE_EMULATOR_HOST):
// the incremental state, its rows file (downloaded for DuckDB), the ledger,
// manifests and the lock all live in the bucket, and the second run reads
// only the changed rows.
func TestIncrementalStateOnGCS(t *testing.T) {
	dsn := pg.Get(t).NewDatabase(t)
	t.Setenv("JOURNEY_TEST_SHOP_DSN", dsn)
	sqlExec(t, dsn, `CREATE TABLE shop_orders (id text PRIMARY KEY, customer text, at timestamptz, amount numeric(12,2), updated timestamptz);
		INSERT INTO shop_orders VALUES ('o1', 'a', '2024-05-01 10:00+00', 10, '2024-05-01 10:00+00'),
		  ('o2', 'b', '2024-05-02 10:00+00', 20, '2024-05-02 10:00+00')`)
	srv := testkit.FakeGCS(t, "journey-out")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "journey.yaml")
	if err := os.WriteFile(cfgPath, []byte(incrementalConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func() *sinks.Manifest {
		cfg, err := pipeline.Load(cfgPath)
		if err != nil {
			t.Fatal(err)
		}
		m, err := testkit.RunConfig(cfg, "2024-06-30", "gs://journey-out/out", filepath.Join(dir, "work"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	run()
	sqlExec(t, dsn, `UPDATE shop_orders SET amount = 25, updated = '2024-06-01 10:00+00' WHERE id = 'o2'`)
	if s := run().Sources["shop"]; s.Read != 1 || s.Loaded != 1 {
		t.Fatalf("second run %+v, want only the changed row read", s)
	}
	var state struct {
		Sources map[string]struct{ Rows string }
	}
	obj, err := srv.GetObject("journey-out", "out/_state/sources.json")
	if err != nil || json.Unmarshal(obj.Content, &state) != nil {
		t.Fatalf("state object: %v", err)
	}
	objs, _, _ := srv.ListObjects("journey-out", "out/_state/sources/shop/", "", false)
	if len(objs) != 1 || objs[0].Name != "out/"+state.Sources["shop"].Rows {
		t.Fatalf("rows objects %v, want only the one the state names (%s)", objs, state.Sources["shop"].Rows)
	}
	for _, name := range []string{sinks.LatestName, sinks.LockName, sinks.ManifestName("2024-06-30"), pipeline.RunRecordName("test-2024-06-30")} {
		if _, err := srv.GetObject("journey-out", "out/"+name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
