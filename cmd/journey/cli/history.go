package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/pipeline/schedule"
)

// runs lists recent runs from the run ledger.
func (e env) runs(ctx context.Context, args []string) int {
	fl := newFlags("runs", e.stderr)
	config := fl.String("config", "", "configuration file (default: the bundled demo data)")
	out := fl.String("out", "", "output root, overriding the configuration's output")
	limit := fl.Int("limit", 20, "how many runs, newest first (0 = all)")
	asJSON := fl.Bool("json", false, "print JSON instead of a table")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	h, _, code := e.history(ctx, *config, *out)
	if h == nil {
		return code
	}
	defer h.Close()
	recs, err := h.Runs(ctx, *limit)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey runs: %v\n", err)
		return ExitFailed
	}
	if *asJSON {
		return e.printJSON(recs)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSNAPSHOT\tSTATUS\tSHARD\tSTARTED\tFINISHED\tERROR")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.RunID, r.AsOf, r.Status, shardLabel(r.Shard), r.StartedAt, r.FinishedAt, firstLine(r.Error))
	}
	tw.Flush()
	return ExitOK
}

// status says which snapshots of a range are complete, failed or missing.
func (e env) status(ctx context.Context, args []string) int {
	fl := newFlags("status", e.stderr)
	config := fl.String("config", "", "configuration file (default: the bundled demo data)")
	out := fl.String("out", "", "output root, overriding the configuration's output")
	from := fl.String("from", "", "first date (default: the first published snapshot)")
	to := fl.String("to", "", "last date (default: yesterday in the business time zone)")
	every := fl.String("every", "day", "day, week or month")
	asJSON := fl.Bool("json", false, "print JSON instead of a table")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	h, cfg, code := e.history(ctx, *config, *out)
	if h == nil {
		return code
	}
	defer h.Close()
	states, err := e.states(ctx, h, cfg.Location(), *from, *to, *every)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey status: %v\n", err)
		return ExitUsage
	}
	if *asJSON {
		return e.printJSON(states)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SNAPSHOT\tSTATE\tRUN\tDETAIL")
	counts := map[string]int{}
	for _, s := range states {
		counts[s.State]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.AsOf, s.State, s.RunID, s.Detail)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d complete, %d failed, %d missing\n", counts["complete"], counts["failed"], counts["missing"])
	return ExitOK
}

func (e env) states(ctx context.Context, h *pipeline.History, loc *time.Location, from, to, every string) ([]pipeline.SnapshotState, error) {
	if to == "" {
		to = e.now().In(loc).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	if from == "" {
		published, err := h.Published(ctx)
		if err != nil {
			return nil, err
		}
		if len(published) == 0 {
			return nil, fmt.Errorf("no snapshot is published yet; give --from")
		}
		from = published[0]
	}
	ev, err := schedule.ParseEvery(every)
	if err != nil {
		return nil, fmt.Errorf("--every: %w", err)
	}
	dates, err := schedule.Dates(from, to, ev)
	if err != nil {
		return nil, err
	}
	return h.States(ctx, dates)
}

func (e env) history(ctx context.Context, config, out string) (*pipeline.History, *pipeline.Config, int) {
	cfg, err := e.loadConfig(config)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil, nil, exitCode(err)
	}
	e.overrideOutput(cfg, out)
	h, err := pipeline.OpenHistory(ctx, cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil, nil, ExitUsage
	}
	return h, cfg, ExitOK
}

func (e env) printJSON(v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return ExitFailed
	}
	return ExitOK
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// overrideOutput applies an --out flag to the configuration.
func (e env) overrideOutput(cfg *pipeline.Config, out string) {
	if out != "" {
		cfg.Output = outputRoot(out)
	}
}

// shardLabel shows a run's shard: "2/4 g" for a shard of group g, "all 4 g"
// for the finalize step, "-" for an unsharded run.
func shardLabel(s *pipeline.Shard) string {
	switch {
	case s == nil:
		return "-"
	case s.Index < 0:
		return fmt.Sprintf("all %d %s", s.Count, s.Group)
	}
	return s.String() + " " + s.Group
}
