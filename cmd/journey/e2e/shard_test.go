package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
)

// TestShardedEqualsUnsharded runs four shards as four separate processes
// at once, then `journey finalize`, and checks that every published table
// holds exactly the rows of one unsharded run: on the demo data and on a
// generated small tier (10,000 customers).
func TestShardedEqualsUnsharded(t *testing.T) {
	small := t.TempDir()
	mustRun(t, journey(t, "gen", "--tier", "small", "--seed", "7", "--out", small))
	for _, c := range []struct{ name, config, asOf string }{
		{"demo", demoConfig(t), "2025-06-30"},
		{"small", filepath.Join(small, "journey.yaml"), "2025-12-31"},
	} {
		t.Run(c.name, func(t *testing.T) {
			one, sharded := t.TempDir(), t.TempDir()
			mustRun(t, journey(t, "run", "--config", c.config, "--as-of", c.asOf, "--out", one))
			var shards []*exec.Cmd
			for i := range 4 {
				shards = append(shards, journey(t, "run", "--config", c.config, "--as-of", c.asOf, "--out", sharded,
					"--shard", fmt.Sprintf("%d/4", i), "--no-finalize"))
			}
			runAll(t, shards)
			if got := manifests(sharded); len(got) != 0 {
				t.Fatalf("shards published %v before the finalize step", got)
			}
			mustRun(t, journey(t, "finalize", "--config", c.config, "--as-of", c.asOf, "--out", sharded, "--shards", "4"))
			testkit.SameTables(t, one, sharded)
			if left, _ := filepath.Glob(filepath.Join(sharded, "_shards", "*", "*", "*")); len(left) != 0 {
				t.Errorf("the parts were not removed after publishing: %v", left)
			}
		})
	}
}

// TestShardsFromEnvFinalizeThemselves starts four shards the way a
// Kubernetes Indexed Job does (JOB_COMPLETION_INDEX, the count and group in
// the environment) and checks that exactly one of them finalizes.
func TestShardsFromEnvFinalizeThemselves(t *testing.T) {
	one, sharded := t.TempDir(), t.TempDir()
	mustRun(t, journey(t, "run", "--config", demoConfig(t), "--as-of", "2025-06-30", "--out", one))
	var shards []*exec.Cmd
	for i := range 4 {
		cmd := journey(t, "run", "--config", demoConfig(t), "--as-of", "2025-06-30", "--out", sharded)
		cmd.Env = append(cmd.Env, pipeline.EnvJobCompletionIndex+"="+fmt.Sprint(i), pipeline.EnvShardCount+"=4",
			pipeline.EnvShardGroup+"=nightly-20250701")
		shards = append(shards, cmd)
	}
	runAll(t, shards)
	finalized := 0
	for _, cmd := range shards {
		if strings.Contains(cmd.Stdout.(*bytes.Buffer).String(), "finalizing snapshot") {
			finalized++
		}
	}
	if finalized != 1 {
		t.Fatalf("%d shards finalized, want exactly 1", finalized)
	}
	testkit.SameTables(t, one, sharded)
	roles := map[string]int{}
	recs, _ := filepath.Glob(filepath.Join(sharded, "_runs", "*.json"))
	for _, p := range recs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var rec pipeline.RunRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Shard == nil || rec.Shard.Group != "nightly-20250701" || rec.Shard.Count != 4 {
			t.Errorf("run record %s: shard %+v, want the group of four", filepath.Base(p), rec.Shard)
			continue
		}
		roles[rec.Status+fmt.Sprint(rec.Shard.Index == -1)]++
	}
	if roles["partfalse"] != 4 || roles["completetrue"] != 1 || len(roles) != 2 {
		t.Errorf("run records: %v, want 4 parts and 1 complete finalize", roles)
	}
}

// TestFinalizeNamesMissingShards finalizes before every shard ran.
func TestFinalizeNamesMissingShards(t *testing.T) {
	out := t.TempDir()
	mustRun(t, journey(t, "run", "--config", demoConfig(t), "--as-of", "2025-06-30", "--out", out, "--shard", "1/3"))
	cmd := journey(t, "finalize", "--config", demoConfig(t), "--as-of", "2025-06-30", "--out", out, "--shards", "3")
	if err := cmd.Run(); err == nil {
		t.Fatal("finalize succeeded without shards 0 and 2")
	}
	msg := cmd.Stderr.(*bytes.Buffer).String()
	if !strings.Contains(msg, "no part yet from shard 0, 2 of 3") || cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("exit %d, stderr:\n%s", cmd.ProcessState.ExitCode(), msg)
	}
	if got := manifests(out); len(got) != 0 {
		t.Errorf("published %v", got)
	}
}

// TestFailedFinalizeReleasesClaim: when the last shard's finalize step
// fails (here a quality gate), nothing is published, the parts stay, and
// the claim is withdrawn so that a shard run again can finalize.
func TestFailedFinalizeReleasesClaim(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Dir(demoConfig(t)))); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "journey.yaml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, "\ngates:\n  tables:\n    customer_journey:\n      - {rule: accepted_values, column: journey_stage, values: [repeat]}\n"...)
	if err := os.WriteFile(cfg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	mustRun(t, journey(t, "run", "--config", cfg, "--as-of", "2025-06-30", "--out", out, "--shard", "0/2"))
	last := journey(t, "run", "--config", cfg, "--as-of", "2025-06-30", "--out", out, "--shard", "1/2")
	if err := last.Run(); err == nil || last.ProcessState.ExitCode() != 4 {
		t.Fatalf("last shard: %v, want exit 4 from the failed gate\n%s", err, tail(last.Stderr.(*bytes.Buffer).String()))
	}
	group := filepath.Join(out, "_shards", "snapshot_date=2025-06-30", "group=default")
	if _, err := os.Stat(filepath.Join(group, "finalize.json")); !os.IsNotExist(err) {
		t.Errorf("the claim is still there: %v", err)
	}
	if parts, _ := filepath.Glob(filepath.Join(group, "part-*.json")); len(parts) != 2 {
		t.Errorf("parts left: %v, want both", parts)
	}
	if got := manifests(out); len(got) != 0 {
		t.Errorf("published %v", got)
	}
}

// mustRun runs cmd and fails the test with its stderr when it fails.
func mustRun(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, tail(cmd.Stderr.(*bytes.Buffer).String()))
	}
}

// runAll starts every command, then waits for all of them.
func runAll(t *testing.T, cmds []*exec.Cmd) {
	t.Helper()
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(c.Args, " "), err, tail(c.Stderr.(*bytes.Buffer).String()))
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// tail is the end of a long log.
func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}
