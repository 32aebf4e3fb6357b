package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/journeydata/journey"
	"github.com/journeydata/journey/internal/progress"
	"github.com/journeydata/journey/pipeline"
)

func (e env) run(ctx context.Context, args []string) int {
	fl := newFlags("run", e.stderr)
	snap := addSnapshotArgs(fl)
	shardFlag := fl.String("shard", "", "build shard i of N (such as 0/4) and hand its part over (default: from "+
		pipeline.EnvJobCompletionIndex+" or "+pipeline.EnvCloudRunTaskIndex+", else no sharding)")
	group := fl.String("shard-group", "", "the attempt the shards belong to (default: $"+pipeline.EnvShardGroup+
		", $"+pipeline.EnvCloudRunExecution+" or "+pipeline.DefaultShardGroup+")")
	noFinalize := fl.Bool("no-finalize", false, "with a shard: leave the finalize step to `journey finalize`, even when this shard is the last")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	cfg, day, code := e.resolveSnapshot("journey run", snap)
	if cfg == nil {
		return code
	}
	shard, err := selectShard(*shardFlag, *group, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey run: %v\n", err)
		return ExitUsage
	}
	if shard != nil {
		return e.runShard(ctx, cfg, day, *shard, !*noFinalize)
	}
	return e.publish(ctx, "journey run", cfg, day, pipeline.Options{})
}

// snapshotArgs are the flags of a command that builds one snapshot.
type snapshotArgs struct{ config, asOf, out *string }

func addSnapshotArgs(fl *flag.FlagSet) snapshotArgs {
	return snapshotArgs{
		config: fl.String("config", "", "configuration file (default: the bundled demo data)"),
		asOf:   fl.String("as-of", "", "snapshot date YYYY-MM-DD (default: yesterday in the business time zone)"),
		out:    fl.String("out", "", "output root (a folder or gs://bucket/prefix), overriding the configuration's output"),
	}
}

// resolveSnapshot loads the configuration, applies --out and reads --as-of.
// On failure it reports under cmd and returns a nil configuration and the
// exit code.
func (e env) resolveSnapshot(cmd string, a snapshotArgs) (*pipeline.Config, time.Time, int) {
	cfg, err := e.loadConfig(*a.config)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", cmd, err)
		return nil, time.Time{}, exitCode(err)
	}
	if *a.out != "" {
		cfg.Output = outputRoot(*a.out)
	}
	day, err := e.snapshotDate(*a.asOf, cfg.Location())
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", cmd, err)
		return nil, time.Time{}, ExitUsage
	}
	return cfg, day, ExitOK
}

// publish runs the pipeline for day with opt (run id, clock, log and
// version filled in here) and reports the published snapshot.
func (e env) publish(ctx context.Context, cmd string, cfg *pipeline.Config, day time.Time, opt pipeline.Options) int {
	runID := newRunID(e.now())
	log := logger(e.stderr).With().Str("run_id", runID).Str("as_of", day.Format(time.DateOnly)).Logger()
	rep := progress.New(e.stderr, log, 10*time.Second)
	task := rep.Task("snapshot "+day.Format(time.DateOnly), 4)
	opt.AsOf, opt.RunID, opt.Now, opt.Log, opt.Version = day, runID, e.now, log, Version
	opt.StageDone = func(string) { task.Step(false) }
	m, err := pipeline.Run(ctx, cfg, opt)
	task.Finish()
	rep.Close()
	if err != nil {
		log.Error().Err(err).Msg("run failed")
		if errors.Is(err, pipeline.ErrGate) {
			fmt.Fprintf(e.stderr, "%s: %s\n", cmd, err) // the gate report reads best on its own lines
		} else {
			fmt.Fprintf(e.stderr, "%s: %s\n", cmd, oneLine(err))
		}
		return exitCode(err)
	}
	if opt.Shard != nil {
		fmt.Fprintf(e.stdout, "handed over shard %s of snapshot %s (run %s, group %s)\n", opt.Shard, m.AsOf, m.RunID, opt.Shard.Group)
		return ExitOK
	}
	log.Info().Str("output", cfg.Resolve(cfg.Output)).Msg("snapshot published")
	fmt.Fprintf(e.stdout, "published snapshot %s (run %s) to %s\n", m.AsOf, m.RunID, cfg.Resolve(cfg.Output))
	return ExitOK
}

// loadConfig reads the named configuration, or unpacks the bundled demo and
// reads its configuration with the output set to ./out.
func (e env) loadConfig(path string) (*pipeline.Config, error) {
	if path != "" {
		return pipeline.Load(path)
	}
	dir := filepath.Join(os.TempDir(), "journey-demo")
	if err := unpackDemo(dir); err != nil {
		return nil, fmt.Errorf("unpack the demo data: %w", err)
	}
	cfg, err := pipeline.Load(filepath.Join(dir, "journey.yaml"))
	if err != nil {
		return nil, err
	}
	if os.Getenv(cfg.PII.KeyEnv) == "" {
		// The demo's data is invented; a fixed key keeps `journey run` a
		// one-command start. Real configurations must provide their own.
		if err := os.Setenv(cfg.PII.KeyEnv, demoPIIKey); err != nil {
			return nil, err
		}
		fmt.Fprintf(e.stderr, "journey: %s is not set; the demo hashes emails with its built-in, non-secret key\n", cfg.PII.KeyEnv)
	}
	cfg.Output, err = filepath.Abs("out")
	return cfg, err
}

// demoPIIKey hashes the bundled demo's invented emails when no key is set.
const demoPIIKey = "journey-demo-key-not-secret"

func unpackDemo(dir string) error {
	sub, err := fs.Sub(journey.Demo, journey.DemoDir)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.CopyFS(dir, sub); err != nil {
		return err
	}
	// Embedded files have no modification time; a fixed one keeps the
	// demo's input fingerprints the same from one unpacking to the next,
	// as the shards of a sharded run require.
	return filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(path, demoModTime, demoModTime)
	})
}

// demoModTime is the modification time of the unpacked demo files.
var demoModTime = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// snapshotDate parses --as-of, or returns yesterday in loc.
func (e env) snapshotDate(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		y, m, d := e.now().In(loc).AddDate(0, 0, -1).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q is not a date; write it as YYYY-MM-DD", s)
	}
	return t, nil
}

// outputRoot makes a local --out absolute; a gs:// URL stays as it is.
func outputRoot(out string) string {
	if strings.Contains(out, "://") {
		return out
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return out
	}
	return abs
}

func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}
