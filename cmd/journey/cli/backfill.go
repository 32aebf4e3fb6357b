package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/journeydata/journey/internal/progress"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/pipeline/schedule"
)

// backfill builds the snapshots of a date range.
func (e env) backfill(ctx context.Context, args []string) int {
	fl := newFlags("backfill", e.stderr)
	config := fl.String("config", "", "configuration file (default: the bundled demo data)")
	from := fl.String("from", "", "first snapshot date YYYY-MM-DD (required)")
	to := fl.String("to", "", "last snapshot date YYYY-MM-DD (required)")
	every := fl.String("every", "day", "one snapshot every day, week or month")
	parallel := fl.Int("parallel", 1, "snapshots built at once; they share the memory budget")
	force := fl.Bool("force", false, "rebuild snapshots that are already complete")
	out := fl.String("out", "", "output root, overriding the configuration's output")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	dates, err := backfillDates(*from, *to, *every, *parallel)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey backfill: %v\n", err)
		return ExitUsage
	}
	cfg, err := e.loadConfig(*config)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey backfill: %v\n", err)
		return exitCode(err)
	}
	e.overrideOutput(cfg, *out)
	h, err := pipeline.OpenHistory(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey backfill: %v\n", err)
		return ExitUsage
	}
	defer h.Close()
	log := logger(e.stderr)
	rep := progress.New(e.stderr, log, 10*time.Second)
	task := rep.Task("backfill", int64(len(dates)))
	results, err := pipeline.Backfill(ctx, cfg, pipeline.BackfillOptions{
		Dates: dates, Parallel: *parallel, Force: *force, Complete: h.Complete,
		NewRunID: func() string { return newRunID(e.now()) }, Now: e.now, Log: log, Version: Version, Progress: task,
	})
	task.Finish()
	rep.Close()
	if results == nil && err != nil {
		fmt.Fprintf(e.stderr, "journey backfill: %v\n", err)
		return exitCode(err)
	}
	printBackfill(e.stdout, results)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey backfill: %v\n", err)
		if ctx.Err() != nil {
			return ExitInterrupted
		}
		return ExitFailed
	}
	return ExitOK
}

func backfillDates(from, to, every string, parallel int) ([]string, error) {
	if from == "" || to == "" {
		return nil, fmt.Errorf("--from and --to are required (YYYY-MM-DD)")
	}
	if parallel < 1 {
		return nil, fmt.Errorf("--parallel %d: use 1 or more", parallel)
	}
	ev, err := schedule.ParseEvery(every)
	if err != nil {
		return nil, fmt.Errorf("--every: %w", err)
	}
	return schedule.Dates(from, to, ev)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// printBackfill writes the summary table: one line per date, then totals.
func printBackfill(w io.Writer, results []pipeline.BackfillResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SNAPSHOT\tSTATUS\tRUN\tSECONDS\tERROR")
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Status]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%s\n", r.AsOf, r.Status, r.RunID, r.Seconds, clip(oneLine(errors.New(r.Error)), 160))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d published, %d skipped (already complete), %d failed\n", counts["published"], counts["skipped"], counts["failed"])
}
