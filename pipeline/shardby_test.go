package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sinks"
)

// shardByConfig reads a CRM export whole in every shard, and orders from
// PostgreSQL and interactions from Parquet by shard.
const shardByConfig = `
timezone: Europe/Berlin
sources:
  - name: crm
    entity: customers
    path: crm.csv
    columns: {customer_id: id, email: email, created_at: created}
  - name: shop
    entity: orders
    kind: postgres
    dsn_env: JOURNEY_TEST_SHOP_DSN
    table: public.shop_orders
    shard_by: customer_id
    columns: {order_id: id, customer_id: customer, email: email, ordered_at: at, amount: amount}
  - name: web
    entity: interactions
    path: web.parquet
    shard_by: customer_id
    columns: {interaction_id: id, customer_id: cust, occurred_at: at, channel: channel, type: kind}
`

// shardByCase writes the case: 300 CRM contacts, 3,000 orders (a few
// without a time, which are rejected) and 6,000 web visits.
func shardByCase(t *testing.T) (cfgPath, dsn string) {
	t.Helper()
	dsn = pg.Get(t).NewDatabase(t)
	t.Setenv("JOURNEY_TEST_SHOP_DSN", dsn)
	sqlExec(t, dsn, `CREATE TABLE shop_orders (id text PRIMARY KEY, customer text, email text, at timestamptz, amount numeric(12,2));
		INSERT INTO shop_orders
		SELECT 'o' || i, 'C' || (i * 7919 % 300), NULL,
		       CASE WHEN i % 997 = 0 THEN NULL ELSE timestamptz '2024-01-01 08:00+00' + (i * 37 % 500) * interval '1 day' END,
		       round((i * 13 % 200) + 5.25, 2)
		FROM generate_series(1, 3000) i`)
	dir := t.TempDir()
	var crm strings.Builder
	crm.WriteString("id,email,created\n")
	for i := range 300 {
		fmt.Fprintf(&crm, "C%d,c%d@example.com,2023-06-%02d\n", i, i, 1+i%28)
	}
	if err := os.WriteFile(filepath.Join(dir, "crm.csv"), []byte(crm.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	testkit.Rows(t, `COPY (SELECT 'w' || i AS id, 'C' || (i * 104729 % 300) AS cust,
		TIMESTAMP '2024-01-01 09:00' + to_days(CAST(i * 11 % 540 AS INTEGER)) AS at,
		CASE WHEN i % 3 = 0 THEN 'app' ELSE 'web' END AS channel, 'visit' AS kind
		FROM range(1, 6001) t(i)) TO '`+filepath.Join(dir, "web.parquet")+`' (FORMAT parquet)`)
	cfgPath = filepath.Join(dir, "journey.yaml")
	if err := os.WriteFile(cfgPath, []byte(shardByConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dsn
}

// runShard runs shard i of n of cfgPath into out.
func runShard(t *testing.T, cfgPath, out string, s pipeline.Shard) (*sinks.Manifest, error) {
	t.Helper()
	cfg, err := pipeline.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Output, cfg.WorkDir = out, t.TempDir()
	testkit.UsePIIKey()
	opt := pipeline.Options{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), RunID: fmt.Sprintf("s%d-%d", s.Index, time.Now().UnixNano()),
		Now: time.Now, Log: zerolog.Nop(), Version: "test"}
	if s.Index < 0 {
		opt.Finalize = &pipeline.Shard{Count: s.Count, Group: s.Group}
	} else {
		opt.Shard = &s
	}
	return pipeline.Run(context.Background(), cfg, opt)
}

// TestShardByPushDown: with shard_by, each shard reads only its customers'
// rows from PostgreSQL (a WHERE on the hash) and Parquet, the counts add up
// over the shards, and the finalized snapshot equals an unsharded run (but
// for the row numbers of PostgreSQL rejects).
func TestShardByPushDown(t *testing.T) {
	cfgPath, _ := shardByCase(t)
	cfg, err := pipeline.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	one := t.TempDir()
	want, err := testkit.RunConfig(cfg, "2025-06-30", one, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sharded := t.TempDir()
	var shopReads int64
	for i := range 4 {
		if _, err := runShard(t, cfgPath, sharded, pipeline.Shard{Index: i, Count: 4, Group: "g"}); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		rec := readRecord(t, sharded, fmt.Sprintf("s%d-", i))
		read := rec.Sources["shop"].Read
		if read == 0 || read >= want.Sources["shop"].Read {
			t.Errorf("shard %d read %d of %d orders, want its share", i, read, want.Sources["shop"].Read)
		}
		if rec.Sources["crm"].Read != want.Sources["crm"].Read {
			t.Errorf("shard %d read %d CRM contacts, want all %d", i, rec.Sources["crm"].Read, want.Sources["crm"].Read)
		}
		shopReads += read
	}
	if shopReads != want.Sources["shop"].Read {
		t.Errorf("the shards read %d orders together, want %d", shopReads, want.Sources["shop"].Read)
	}
	got, err := runShard(t, cfgPath, sharded, pipeline.Shard{Index: -1, Count: 4, Group: "g"})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range want.Sources {
		g := got.Sources[name]
		if g.Read != s.Read || g.Loaded != s.Loaded || g.Rejected != s.Rejected {
			t.Errorf("source %s: sharded %+v, unsharded %+v", name, g, s)
		}
	}
	if want.Sources["shop"].Rejected == 0 {
		t.Fatal("the case has no rejected orders")
	}
	// A PostgreSQL reject's line is its row number in the read, which is
	// the shard's own; its location (the primary key) is the same.
	testkit.SameTables(t, one, sharded, "line")
}

// TestShardByBrokenPromise: an order whose customer_id is no CRM contact
// but whose email is resolves to that contact, who may live in another
// shard; the shard that read it fails, naming the source and the fix.
func TestShardByBrokenPromise(t *testing.T) {
	cfgPath, dsn := shardByCase(t)
	sqlExec(t, dsn, `INSERT INTO shop_orders VALUES ('stray', 'X-unknown', 'c5@example.com', '2024-03-01 10:00+00', 12)`)
	s := pipeline.Shard{Index: pipeline.ShardOf("X-unknown", 4), Count: 4, Group: "g"}
	_, err := runShard(t, cfgPath, t.TempDir(), s)
	if err == nil || !errors.Is(err, pipeline.ErrSource) || !strings.Contains(err.Error(), "source shop: shard_by customer_id does not hold for 1 records") ||
		!strings.Contains(err.Error(), "remove shard_by") {
		t.Fatalf("error %v, want the broken shard_by promise named", err)
	}
}

// readRecord reads the one run record whose id starts with prefix.
func readRecord(t *testing.T, root, prefix string) pipeline.RunRecord {
	t.Helper()
	recs, _ := filepath.Glob(filepath.Join(root, "_runs", prefix+"*.json"))
	if len(recs) != 1 {
		t.Fatalf("run records %s*: %v", prefix, recs)
	}
	var rec pipeline.RunRecord
	testkit.ReadJSON(t, recs[0], &rec)
	return rec
}
