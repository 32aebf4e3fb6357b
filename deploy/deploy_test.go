package deploy

import (
	"slices"
	"strconv"
	"testing"
)

// The environment of the sharding contract.
const (
	envShardCount = "JOURNEY_SHARD_COUNT"
	envShardGroup = "JOURNEY_SHARD_GROUP"
	jobNameLabel  = "metadata.labels['batch.kubernetes.io/job-name']"
)

// journeyEntrypoint is the image's ENTRYPOINT; a container may repeat it in
// command, or leave command out.
const journeyEntrypoint = "/usr/local/bin/journey"

func TestExpectedManifests(t *testing.T) {
	docs := loadDocuments(t)
	kinds := map[string]int{}
	for _, d := range docs {
		kinds[d.m.APIVersion+" "+d.m.Kind]++
	}
	for _, k := range []string{"v1 ConfigMap", "batch/v1 CronJob", "batch/v1 Job", "run.googleapis.com/v1 Job"} {
		if kinds[k] == 0 {
			t.Errorf("no %s under deploy/ (found %v)", k, kinds)
		}
	}
}

// TestContainerArgs checks that every container runs the image's journey
// with a command line journey accepts.
func TestContainerArgs(t *testing.T) {
	ws := workloads(t, loadDocuments(t))
	if len(ws) == 0 {
		t.Fatal("no workloads found")
	}
	for _, w := range ws {
		if len(w.pod.Containers) == 0 {
			t.Errorf("%s: no containers", w)
		}
		for _, c := range w.pod.Containers {
			if len(c.Command) > 0 && !slices.Equal(c.Command, []string{journeyEntrypoint}) {
				t.Errorf("%s: container %s: command %q replaces the image's entrypoint %s", w, c.Name, c.Command, journeyEntrypoint)
			}
			if c.Image == "" {
				t.Errorf("%s: container %s: no image", w, c.Name)
			}
			if _, err := parseArgs(c.Args); err != nil {
				t.Errorf("%s: container %s: args %q: %v", w, c.Name, c.Args, err)
			}
		}
	}
}

// TestKubernetesShardedJobs checks the Jobs that run shards: Indexed, as many
// completions as parallel pods as shards, the group from the Job's name, and
// retries that fit the exit codes.
func TestKubernetesShardedJobs(t *testing.T) {
	n := 0
	for _, w := range workloads(t, loadDocuments(t)) {
		if w.platform != "kubernetes" || !runsCommand(w, "run") {
			continue
		}
		n++
		j := w.job
		if j.CompletionMode != "Indexed" {
			t.Errorf("%s: completionMode %q, want Indexed (JOB_COMPLETION_INDEX is the shard)", w, j.CompletionMode)
		}
		if j.Completions == nil || j.Parallelism == nil || *j.Completions != *j.Parallelism {
			t.Errorf("%s: completions %v and parallelism %v must be set and equal", w, deref(j.Completions), deref(j.Parallelism))
		}
		if j.BackoffLimitPerIndex == nil || *j.BackoffLimitPerIndex < 1 {
			t.Errorf("%s: set backoffLimitPerIndex, so that a failed shard is retried on its own", w)
		}
		if j.TTLSecondsAfterFinished == nil {
			t.Errorf("%s: set ttlSecondsAfterFinished", w)
		}
		if w.pod.RestartPolicy != "Never" {
			t.Errorf("%s: restartPolicy %q, want Never (podFailurePolicy requires it)", w, w.pod.RestartPolicy)
		}
		if w.pod.ServiceAccountName == "" {
			t.Errorf("%s: no serviceAccountName (Workload Identity)", w)
		}
		checkFailurePolicy(t, w)
		for _, c := range w.pod.Containers {
			inv, _ := parseArgs(c.Args)
			if _, ok := inv.flags["shard"]; ok {
				t.Errorf("%s: container %s passes --shard; in an Indexed Job every pod would run that shard", w, c.Name)
			}
			count := "unset"
			if e := c.env(envShardCount); e != nil {
				count = e.Value
			}
			if j.Completions == nil || count != strconv.Itoa(*j.Completions) {
				t.Errorf("%s: container %s: %s is %s, want completions (%v)", w, c.Name, envShardCount, count, deref(j.Completions))
			}
			g := c.env(envShardGroup)
			if g == nil || g.ValueFrom == nil || g.ValueFrom.FieldRef == nil || g.ValueFrom.FieldRef.FieldPath != jobNameLabel {
				t.Errorf("%s: container %s: %s must come from the downward API %s", w, c.Name, envShardGroup, jobNameLabel)
			}
		}
	}
	if n == 0 {
		t.Error("no Kubernetes Job runs `journey run`")
	}
}

// checkFailurePolicy wants exit codes 2 (configuration) and 4 (quality
// gate) to fail the Job, and 1 and 3 to be retried.
func checkFailurePolicy(t *testing.T, w workload) {
	t.Helper()
	failJob := map[int]bool{}
	for _, r := range w.job.PodFailurePolicy.Rules {
		e := r.OnExitCodes
		if e == nil {
			continue
		}
		if e.Operator != "In" {
			t.Errorf("%s: podFailurePolicy rule with operator %q; use In with explicit codes", w, e.Operator)
			continue
		}
		for _, code := range e.Values {
			if r.Action == "FailJob" || r.Action == "FailIndex" {
				failJob[code] = true
			}
		}
	}
	for _, code := range []int{2, 4} {
		if !failJob[code] {
			t.Errorf("%s: podFailurePolicy does not fail the Job on exit code %d", w, code)
		}
	}
	for _, code := range []int{1, 3} {
		if failJob[code] {
			t.Errorf("%s: podFailurePolicy fails on exit code %d, which is retryable", w, code)
		}
	}
}

// TestCloudRunJob checks the Cloud Run Job: one task per shard, all at once.
func TestCloudRunJob(t *testing.T) {
	n := 0
	for _, w := range workloads(t, loadDocuments(t)) {
		if w.platform != "cloudrun" {
			continue
		}
		n++
		if w.taskCount == nil || w.parallelism == nil || *w.taskCount != *w.parallelism {
			t.Errorf("%s: taskCount %v and parallelism %v must be set and equal", w, deref(w.taskCount), deref(w.parallelism))
		}
		if w.maxRetries == nil {
			t.Errorf("%s: set maxRetries", w)
		}
		if s, err := strconv.Atoi(w.timeoutSeconds); err != nil || s <= 0 {
			t.Errorf("%s: timeoutSeconds %q, want a number of seconds (the default is 10 minutes)", w, w.timeoutSeconds)
		}
		for _, c := range w.pod.Containers {
			inv, _ := parseArgs(c.Args)
			if _, ok := inv.flags["shard"]; ok {
				t.Errorf("%s: container %s passes --shard; CLOUD_RUN_TASK_INDEX is the shard", w, c.Name)
			}
			if e := c.env(envShardCount); e != nil && w.taskCount != nil && e.Value != strconv.Itoa(*w.taskCount) {
				t.Errorf("%s: %s = %q contradicts taskCount %d", w, envShardCount, e.Value, *w.taskCount)
			}
			if c.Resources.Limits["cpu"] == "" || c.Resources.Limits["memory"] == "" {
				t.Errorf("%s: container %s: set resources.limits cpu and memory", w, c.Name)
			}
		}
	}
	if n == 0 {
		t.Error("no Cloud Run Job found")
	}
}

// TestFinalizeMatchesShardCount checks that a hand-run finalize names the
// shard count the sharded runs of its platform use.
func TestFinalizeMatchesShardCount(t *testing.T) {
	ws := workloads(t, loadDocuments(t))
	counts := map[string]map[int]bool{} // platform -> shard counts of its runs
	for _, w := range ws {
		if !runsCommand(w, "run") {
			continue
		}
		var c *int
		switch w.platform {
		case "kubernetes":
			c = w.job.Completions
		case "cloudrun":
			c = w.taskCount
		}
		if c != nil {
			if counts[w.platform] == nil {
				counts[w.platform] = map[int]bool{}
			}
			counts[w.platform][*c] = true
		}
	}
	for _, w := range ws {
		for _, c := range w.pod.Containers {
			inv, err := parseArgs(c.Args)
			if err != nil || inv.command != "finalize" {
				continue
			}
			n, _ := strconv.Atoi(inv.flags["shards"])
			if !counts[w.platform][n] {
				t.Errorf("%s: finalize --shards %d, but the sharded runs on %s use %v", w, n, w.platform, counts[w.platform])
			}
		}
	}
}

// runsCommand reports whether a container of w runs journey cmd.
func runsCommand(w workload, cmd string) bool {
	for _, c := range w.pod.Containers {
		if len(c.Args) > 0 && c.Args[0] == cmd {
			return true
		}
	}
	return false
}

func deref(p *int) any {
	if p == nil {
		return "unset"
	}
	return *p
}
