package pipeline_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/sinks"
)

func TestParseShard(t *testing.T) {
	for in, want := range map[string]string{"0/4": "0/4", " 3 / 4 ": "3/4", "0/1": "0/1"} {
		s, err := pipeline.ParseShard(in)
		if err != nil || s.String() != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %s", in, s, err, want)
		}
	}
	for in, msg := range map[string]string{"4/4": "use 0 to 3", "-1/4": "use 0 to 3", "1/0": "use 1 to", "2": "use i/N", "a/b": "whole numbers"} {
		if _, err := pipeline.ParseShard(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseShard(%q) error %v, want one saying %q", in, err, msg)
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	for _, c := range []struct {
		name     string
		env      map[string]string
		cfgCount int
		want     string // shard, "" for none, or "error: <part of the message>"
	}{
		{"nothing", nil, 4, ""},
		{"indexed job, count in env", map[string]string{"JOB_COMPLETION_INDEX": "2", "JOURNEY_SHARD_COUNT": "4"}, 8, "2/4"},
		{"indexed job, count in config", map[string]string{"JOB_COMPLETION_INDEX": "7"}, 8, "7/8"},
		{"indexed job without count", map[string]string{"JOB_COMPLETION_INDEX": "0"}, 0, "error: JOURNEY_SHARD_COUNT or sharding.count"},
		{"index out of range", map[string]string{"JOB_COMPLETION_INDEX": "4", "JOURNEY_SHARD_COUNT": "4"}, 0, "error: JOB_COMPLETION_INDEX"},
		{"cloud run", map[string]string{"CLOUD_RUN_TASK_INDEX": "1", "CLOUD_RUN_TASK_COUNT": "3"}, 0, "1/3"},
		{"cloud run, one task", map[string]string{"CLOUD_RUN_TASK_INDEX": "0", "CLOUD_RUN_TASK_COUNT": "1"}, 0, ""},
		{"cloud run without count", map[string]string{"CLOUD_RUN_TASK_INDEX": "1"}, 0, "error: CLOUD_RUN_TASK_COUNT"},
	} {
		s, ok, err := pipeline.ShardFromEnv(func(k string) string { return c.env[k] }, c.cfgCount)
		got := ""
		switch {
		case err != nil:
			got = "error: " + err.Error()
		case ok:
			got = s.String()
		}
		if got != c.want && !(strings.HasPrefix(c.want, "error: ") && strings.Contains(got, strings.TrimPrefix(c.want, "error: "))) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestShardGroup(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if g, _ := pipeline.ShardGroup("", get); g != pipeline.DefaultShardGroup {
		t.Errorf("no group: %q", g)
	}
	env["CLOUD_RUN_EXECUTION"] = "journey-abc12"
	if g, _ := pipeline.ShardGroup("", get); g != "journey-abc12" {
		t.Errorf("cloud run execution: %q", g)
	}
	env["JOURNEY_SHARD_GROUP"] = "nightly-1"
	if g, _ := pipeline.ShardGroup("", get); g != "nightly-1" {
		t.Errorf("env group: %q", g)
	}
	if g, _ := pipeline.ShardGroup("manual", get); g != "manual" {
		t.Errorf("flag group: %q", g)
	}
	if _, err := pipeline.ShardGroup("../x", get); err == nil {
		t.Error("a group with a slash was accepted")
	}
}

// TestShardOfMatchesSQL checks that the Go and DuckDB shard functions agree
// and spread ids evenly enough to balance shards.
func TestShardOfMatchesSQL(t *testing.T) {
	const n = 4
	counts := make([]int, n)
	rows := testkit.Rows(t, `SELECT id, CAST(('0x' || left(md5(id), 8)) AS UBIGINT) % 4
		FROM (SELECT 'C' || lpad(CAST(i AS VARCHAR), 7, '0') AS id FROM range(20000) t(i)) ORDER BY id`)
	for _, r := range rows {
		want := pipeline.ShardOf(r[0], n)
		if r[1] != fmt.Sprint(want) {
			t.Fatalf("%s: SQL shard %s, Go shard %d", r[0], r[1], want)
		}
		counts[want]++
	}
	for i, c := range counts {
		if c < 4500 || c > 5500 {
			t.Errorf("shard %d holds %d of 20000 ids", i, c)
		}
	}
}

// TestShardedSnapshotOnGCS runs two shards and the finalize step into a
// gs:// output root: the parts travel through the bucket, the snapshot
// matches an unsharded run's row counts, and the parts are gone after.
func TestShardedSnapshotOnGCS(t *testing.T) {
	srv := testkit.FakeGCS(t, "journey-out")
	testkit.UsePIIKey()
	load := func() *pipeline.Config {
		cfg, err := pipeline.Load("../testdata/demo/journey.yaml")
		if err != nil {
			t.Fatal(err)
		}
		cfg.WorkDir = t.TempDir()
		return cfg
	}
	want, err := testkit.RunConfig(load(), "2025-06-30", t.TempDir(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	opt := func(id string) pipeline.Options {
		return pipeline.Options{AsOf: day, RunID: id, Now: time.Now, Log: zerolog.Nop(), Version: "test"}
	}
	for i := range 2 {
		cfg := load()
		cfg.Output = "gs://journey-out/out"
		o := opt(fmt.Sprintf("shard-%d", i))
		o.Shard = &pipeline.Shard{Index: i, Count: 2, Group: "g1"}
		if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
	}
	objs, _, _ := srv.ListObjects("journey-out", "out/_shards/", "", false)
	if len(objs) != 4 {
		t.Fatalf("parts in the bucket: %d objects, want 2 databases and 2 descriptions", len(objs))
	}
	cfg := load()
	cfg.Output = "gs://journey-out/out"
	o := opt("finalize")
	o.Finalize = &pipeline.Shard{Count: 2, Group: "g1"}
	got, err := pipeline.Run(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	for table, st := range want.Tables {
		if got.Tables[table].Rows != st.Rows {
			t.Errorf("%s: %d rows sharded, %d unsharded", table, got.Tables[table].Rows, st.Rows)
		}
	}
	if got.Models["bgnbd"] == nil || fmt.Sprint(got.Models) != fmt.Sprint(want.Models) {
		t.Errorf("models differ:\n sharded   %v\n unsharded %v", got.Models, want.Models)
	}
	if objs, _, _ := srv.ListObjects("journey-out", "out/_shards/", "", false); len(objs) != 0 {
		t.Errorf("%d part objects left after publishing", len(objs))
	}
	if _, err := srv.GetObject("journey-out", "out/"+sinks.ManifestName("2025-06-30")); err != nil {
		t.Errorf("manifest: %v", err)
	}
}

// TestClaimFinalize: nobody claims before every part is there; then the
// first claimant wins, another shard does not, and a retry of the
// claimant (whose earlier attempt died finalizing) takes its claim back.
func TestClaimFinalize(t *testing.T) {
	testkit.UsePIIKey()
	cfg, err := pipeline.Load("../testdata/demo/journey.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Output, cfg.WorkDir = t.TempDir(), t.TempDir()
	day := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	shard := func(i int) pipeline.Shard { return pipeline.Shard{Index: i, Count: 2, Group: "g"} }
	claim := func(i int, run string) (int, bool) {
		t.Helper()
		n, ok, err := pipeline.ClaimFinalize(context.Background(), cfg, day, shard(i), run)
		if err != nil {
			t.Fatal(err)
		}
		return n, ok
	}
	for i := range 2 {
		s := shard(i)
		if _, err := pipeline.Run(context.Background(), cfg, pipeline.Options{AsOf: day, RunID: fmt.Sprintf("s%d", i),
			Now: time.Now, Log: zerolog.Nop(), Version: "test", Shard: &s}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if n, ok := claim(0, "a"); n != 1 || ok {
				t.Fatalf("with one part of two: %d present, claimed %v", n, ok)
			}
		}
	}
	if _, ok := claim(1, "b"); !ok {
		t.Fatal("the last shard did not get the claim")
	}
	if _, ok := claim(0, "c"); ok {
		t.Fatal("another shard took the claim")
	}
	if _, ok := claim(1, "d"); !ok {
		t.Fatal("a retry of the claiming shard did not take its claim back")
	}
}
