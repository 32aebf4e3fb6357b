package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/journeydata/journey/internal/gen"
	"github.com/journeydata/journey/internal/sysmem"
)

// benchFlags are the flags of journey bench, as given.
type benchFlags struct {
	customers, repeat   int
	tier, format, cache string
	memoryLimit         string
	seed                uint64
	dirt                float64
	json, keep          bool
}

// bench runs `journey bench`: it generates a data set into the cache (or
// reuses it), runs the pipeline on it in child processes of this binary,
// so that each run's peak RSS is its own, and prints a report.
func (e env) bench(ctx context.Context, args []string) int {
	var b benchFlags
	fl := b.flagSet(e.stderr)
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	customers, err := b.check(fl)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey bench: %v\n", err)
		return ExitUsage
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(e.stderr, "journey bench: find this program to run it as a child: %v\n", err)
		return ExitFailed
	}
	key := datasetKey{Customers: customers, Seed: b.seed, Format: b.format, Dirt: b.dirt}
	rep, err := e.runBench(ctx, exe, key, b)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey bench: %s\n", oneLine(err))
		return exitCode(err)
	}
	if b.json {
		err = rep.writeJSON(e.stdout)
	} else {
		err = rep.writeText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "journey bench: write the report: %v\n", err)
		return ExitFailed
	}
	return ExitOK
}

// flagSet declares the flags of journey bench into b.
func (b *benchFlags) flagSet(stderr io.Writer) *flag.FlagSet {
	fl := newFlags("bench", stderr)
	fl.IntVar(&b.customers, "customers", 0, "number of customers (or --tier)")
	fl.StringVar(&b.tier, "tier", "", "small (10k customers), medium (1M) or large (10M)")
	fl.Uint64Var(&b.seed, "seed", 1, "seed of the generated data set")
	fl.StringVar(&b.format, "format", string(gen.FormatDemo), "format of the generated data set: demo, csv, ndjson or parquet")
	fl.Float64Var(&b.dirt, "dirt", gen.DefaultDirt, "share of rows per file with dirt, 0 to 0.1")
	fl.StringVar(&b.cache, "cache", defaultBenchCache(), "folder holding the generated data sets, one per customers/seed/format/dirt")
	fl.StringVar(&b.memoryLimit, "memory-limit", "", "DuckDB memory limit for the runs, e.g. 2GB (default: the data set's journey.yaml)")
	fl.IntVar(&b.repeat, "repeat", 1, "number of runs")
	fl.BoolVar(&b.json, "json", false, "print the report as JSON")
	fl.BoolVar(&b.keep, "keep", false, "keep the runs' output folders and logs")
	return fl
}

// check validates the flags and returns the number of customers.
func (b benchFlags) check(fl *flag.FlagSet) (int, error) {
	if fl.NArg() > 0 {
		return 0, fmt.Errorf("unexpected argument %q; every setting is a flag", fl.Arg(0))
	}
	n, err := customers(b.customers, b.tier, fl)
	if err != nil {
		return 0, err
	}
	opts := gen.Options{Customers: n, Seed: b.seed, Format: gen.Format(b.format), Dirt: b.dirt, Out: "bench",
		From: gen.DefaultFrom, To: gen.DefaultTo, BGNBD: gen.DefaultBGNBD, GammaGamma: gen.DefaultGammaGamma}
	if err := opts.Validate(); err != nil {
		return 0, err
	}
	if b.memoryLimit != "" {
		if _, err := sysmem.Parse(b.memoryLimit); err != nil {
			return 0, fmt.Errorf("--memory-limit: %w", err)
		}
	}
	switch {
	case b.repeat < 1:
		return 0, fmt.Errorf("--repeat %d: want 1 or more", b.repeat)
	case b.cache == "":
		return 0, errors.New("--cache is empty and there is no user cache folder; give --cache DIR")
	}
	return n, nil
}

// defaultBenchCache is $XDG_CACHE_HOME/journey/bench or its equivalent.
func defaultBenchCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "journey", "bench")
}

// runBench prepares the data set, runs the pipeline b.repeat times and
// describes the machine.
func (e env) runBench(ctx context.Context, exe string, key datasetKey, b benchFlags) (*benchReport, error) {
	ds, err := e.dataset(ctx, exe, b.cache, key)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "journey-bench-")
	if err != nil {
		return nil, fmt.Errorf("create the runs' folder: %w", err)
	}
	keep := b.keep
	defer func() {
		if !keep {
			_ = os.RemoveAll(tmp)
		}
	}()
	plan, err := prepareRuns(ds, b.memoryLimit, tmp)
	if err != nil {
		return nil, err
	}
	defer plan.cleanup()
	rep := &benchReport{Dataset: ds.info, Config: plan.settings, Parent: selfMaxRSS()}
	for i := range b.repeat {
		fmt.Fprintf(e.stderr, "journey bench: run %d of %d on %s customers (log: %s)\n", i+1, b.repeat, thousands(int64(key.Customers)), plan.logPath(i))
		res, err := e.benchRun(ctx, exe, plan, i)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			keep = true
			return nil, fmt.Errorf("run %d (its output and log are kept in %s): %w", i+1, tmp, err)
		}
		rep.Runs = append(rep.Runs, res)
		fmt.Fprintf(e.stderr, "journey bench: run %d took %s, peak RSS %s\n", i+1, time.Duration(res.WallSeconds*float64(time.Second)).Round(time.Millisecond), size(res.MaxRSSBytes))
	}
	rep.Machine = describeMachine(ctx)
	rep.Dataset.Sources = sourceRows(rep.Runs[0].manifest)
	if rep.Recovery, rep.RecoveryKnown, err = modelRecovery(ctx, ds.dir, plan.outPath(0), rep.Runs[0].manifest); err != nil {
		fmt.Fprintf(e.stderr, "journey bench: model recovery not computed: %v\n", err)
	}
	return rep, nil
}
