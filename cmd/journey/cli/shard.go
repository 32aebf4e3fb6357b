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
	config := fl.String("config", "", "configuration file (default: the bundled demo data)")
	asOf := fl.String("as-of", "", "snapshot date YYYY-MM-DD (default: yesterday in the business time zone)")
	out := fl.String("out", "", "output root (a folder or gs://bucket/prefix), overriding the configuration's output")
	shards := fl.Int("shards", 0, "number of shards (default: $"+pipeline.EnvShardCount+", $"+pipeline.EnvCloudRunTaskCount+" or sharding.count)")
	group := fl.String("shard-group", "", "the shards' group (default: $"+pipeline.EnvShardGroup+", $"+pipeline.EnvCloudRunExecution+
		" or "+pipeline.DefaultShardGroup+")")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	cfg, err := e.loadConfig(*config)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey finalize: %v\n", err)
		return exitCode(err)
	}
	if *out != "" {
		cfg.Output = outputRoot(*out)
	}
	day, err := e.snapshotDate(*asOf, cfg.Location())
	if err != nil {
		fmt.Fprintf(e.stderr, "journey finalize: %v\n", err)
		return ExitUsage
	}
	n := *shards
	for _, v := range []string{os.Getenv(pipeline.EnvShardCount), os.Getenv(pipeline.EnvCloudRunTaskCount)} {
		if n == 0 && v != "" {
			if n, err = strconv.Atoi(v); err != nil {
				fmt.Fprintf(e.stderr, "journey finalize: shard count %q is not a number\n", v)
				return ExitUsage
			}
		}
	}
	if n == 0 {
		n = cfg.Sharding.Count
	}
	f, err := pipeline.NewShard(0, n)
	if err == nil {
		f.Group, err = pipeline.ShardGroup(*group, os.Getenv)
	}
	if err != nil || n < 2 {
		if err == nil {
			err = fmt.Errorf("a sharded snapshot has at least 2 shards; pass --shards N")
		}
		fmt.Fprintf(e.stderr, "journey finalize: %v\n", err)
		return ExitUsage
	}
	return e.publish(ctx, "journey finalize", cfg, day, pipeline.Options{Finalize: &f, LockWait: pipeline.FinalizeLockWait})
}
