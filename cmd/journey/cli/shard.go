package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/journeydata/journey/pipeline"
)

// selectShard is the shard of a run: --shard, else the batch platform's
// environment; nil for an unsharded run.
func selectShard(flag, group string, cfg *pipeline.Config) (*pipeline.Shard, error) {
	var s pipeline.Shard
	if flag != "" {
		var err error
		if s, err = pipeline.ParseShard(flag); err != nil {
			return nil, fmt.Errorf("--shard: %w", err)
		}
		if s.Count == 1 {
			return nil, nil
		}
	} else {
		var ok bool
		var err error
		if s, ok, err = pipeline.ShardFromEnv(os.Getenv, cfg.Sharding.Count); err != nil || !ok {
			return nil, err
		}
	}
	g, err := pipeline.ShardGroup(group, os.Getenv)
	if err != nil {
		return nil, err
	}
	s.Group = g
	return &s, nil
}

// finalizeShards names the shards to finalize: the count from --shards,
// else the environment (JOURNEY_SHARD_COUNT, CLOUD_RUN_TASK_COUNT), else
// sharding.count; the group as for a shard.
func finalizeShards(flag int, group string, cfg *pipeline.Config) (pipeline.Shard, error) {
	n := flag
	for _, env := range []string{pipeline.EnvShardCount, pipeline.EnvCloudRunTaskCount} {
		if v := os.Getenv(env); n == 0 && v != "" {
			var err error
			if n, err = strconv.Atoi(v); err != nil {
				return pipeline.Shard{}, fmt.Errorf("%s %q is not a number", env, v)
			}
		}
	}
	if n == 0 {
		n = cfg.Sharding.Count
	}
	if n < 2 {
		return pipeline.Shard{}, fmt.Errorf("a sharded snapshot has at least 2 shards; pass --shards N")
	}
	f, err := pipeline.NewShard(0, n)
	if err != nil {
		return pipeline.Shard{}, err
	}
	f.Group, err = pipeline.ShardGroup(group, os.Getenv)
	return f, err
}

// runShard builds one shard and hands its part over; when finalize is set
// and this shard completes the group, it finalizes the snapshot too.
func (e env) runShard(ctx context.Context, cfg *pipeline.Config, day time.Time, s pipeline.Shard, finalize bool) int {
	if code := e.publish(ctx, "journey run", cfg, day, pipeline.Options{Shard: &s}); code != ExitOK || !finalize {
		return code
	}
	present, claimed, err := pipeline.ClaimFinalize(ctx, cfg, day, s, newRunID(e.now()))
	if err != nil {
		fmt.Fprintf(e.stderr, "journey run: shard %s is handed over, but whether to finalize is unknown: %s\n", s, oneLine(err))
		return ExitFailed
	}
	if !claimed {
		if present < s.Count {
			fmt.Fprintf(e.stdout, "%d of %d shards handed over; the last one finalizes the snapshot\n", present, s.Count)
		} else {
			fmt.Fprintf(e.stdout, "all %d shards handed over; another shard finalizes the snapshot\n", s.Count)
		}
		return ExitOK
	}
	fmt.Fprintf(e.stdout, "all %d shards handed over; finalizing snapshot %s\n", s.Count, day.Format(time.DateOnly))
	code := e.publish(ctx, "journey run", cfg, day, pipeline.Options{Finalize: &pipeline.Shard{Count: s.Count, Group: s.Group},
		LockWait: pipeline.FinalizeLockWait})
	if code != ExitOK {
		if err := pipeline.ReleaseFinalize(context.WithoutCancel(ctx), cfg, day, s); err != nil {
			fmt.Fprintf(e.stderr, "journey run: %s\n", oneLine(err))
		}
	}
	return code
}

// finalize builds and publishes a sharded snapshot from its shards' parts.
func (e env) finalize(ctx context.Context, args []string) int {
	fl := newFlags("finalize", e.stderr)
	snap := addSnapshotArgs(fl)
	shards := fl.Int("shards", 0, "number of shards (default: $"+pipeline.EnvShardCount+", $"+pipeline.EnvCloudRunTaskCount+" or sharding.count)")
	group := fl.String("shard-group", "", "the shards' group (default: $"+pipeline.EnvShardGroup+", $"+pipeline.EnvCloudRunExecution+
		" or "+pipeline.DefaultShardGroup+")")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	cfg, day, code := e.resolveSnapshot("journey finalize", snap)
	if cfg == nil {
		return code
	}
	f, err := finalizeShards(*shards, *group, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey finalize: %v\n", err)
		return ExitUsage
	}
	return e.publish(ctx, "journey finalize", cfg, day, pipeline.Options{Finalize: &f, LockWait: pipeline.FinalizeLockWait})
}
