package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/journeydata/journey/internal/gen"
	"github.com/journeydata/journey/transforms/btyd"
)

// genFlags are the flags of journey gen, as given.
type genFlags struct {
	customers, workers int
	tier, out, format  string
	from, to           string
	bgnbd, gammaGamma  string
	seed               uint64
	dirt               float64
}

// gen runs `journey gen`: flags to gen.Options, gen.Write, a summary line
// per file. Bad flags exit 2 with a one-line reason.
func (e env) gen(ctx context.Context, args []string) int {
	var g genFlags
	fl := g.flagSet(e.stderr)
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	opts, err := g.options(fl)
	if err == nil {
		err = opts.Validate()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "journey gen: %v\n", err)
		return ExitUsage
	}
	start := e.now()
	opts.Now = e.now
	sum, err := gen.Write(ctx, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey gen: %s\n", oneLine(err))
		if errors.Is(err, gen.ErrOutputFolder) {
			return ExitUsage
		}
		return exitCode(err)
	}
	printGenSummary(e.stdout, sum, e.now().Sub(start))
	return ExitOK
}

// flagSet declares the flags of journey gen into g.
func (g *genFlags) flagSet(stderr io.Writer) *flag.FlagSet {
	fl := newFlags("gen", stderr)
	fl.IntVar(&g.customers, "customers", 0, "number of customers (or --tier)")
	fl.StringVar(&g.tier, "tier", "", "small (10k customers), medium (1M) or large (10M)")
	fl.Uint64Var(&g.seed, "seed", 1, "seed: the same seed and flags give the same files")
	fl.StringVar(&g.out, "out", "", "output folder: new, empty, or an earlier data set (required)")
	fl.StringVar(&g.format, "format", string(gen.FormatDemo), "demo (each export in the demo's format), or csv, ndjson or parquet (every export in that format)")
	fl.Float64Var(&g.dirt, "dirt", gen.DefaultDirt, "share of rows per file with dirt, 0 to 0.1")
	fl.StringVar(&g.from, "from", gen.DefaultFrom.Format(time.DateOnly), "first business day")
	fl.StringVar(&g.to, "to", gen.DefaultTo.Format(time.DateOnly), "last business day, the as-of date to fit at")
	fl.StringVar(&g.bgnbd, "bgnbd", params(gen.DefaultBGNBD.R, gen.DefaultBGNBD.Alpha, gen.DefaultBGNBD.A, gen.DefaultBGNBD.B), "BG/NBD r,alpha,a,b (weeks)")
	fl.StringVar(&g.gammaGamma, "gamma-gamma", params(gen.DefaultGammaGamma.P, gen.DefaultGammaGamma.Q, gen.DefaultGammaGamma.Gamma), "Gamma-Gamma p,q,gamma (EUR)")
	fl.IntVar(&g.workers, "workers", 0, "generating goroutines (default: one per core); the output does not depend on it")
	return fl
}

// options turns the flags into gen.Options.
func (g genFlags) options(fl *flag.FlagSet) (gen.Options, error) {
	o := gen.Options{Seed: g.seed, Format: gen.Format(g.format), Dirt: g.dirt, Workers: g.workers}
	if fl.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q; every setting is a flag", fl.Arg(0))
	}
	var err error
	if o.Customers, err = customers(g.customers, g.tier, fl); err != nil {
		return o, err
	}
	if g.out != "" {
		if o.Out, err = filepath.Abs(g.out); err != nil {
			return o, fmt.Errorf("--out %q: %w", g.out, err)
		}
	}
	if o.From, err = parseDay("from", g.from); err != nil {
		return o, err
	}
	if o.To, err = parseDay("to", g.to); err != nil {
		return o, err
	}
	if !o.From.Before(o.To) {
		return o, fmt.Errorf("--from %s is not before --to %s", g.from, g.to)
	}
	return o, g.models(&o)
}

// models parses --bgnbd and --gamma-gamma into o.
func (g genFlags) models(o *gen.Options) error {
	v, err := floats("bgnbd", g.bgnbd, 4)
	if err != nil {
		return err
	}
	o.BGNBD = btyd.BGNBD{R: v[0], Alpha: v[1], A: v[2], B: v[3]}
	if v, err = floats("gamma-gamma", g.gammaGamma, 3); err != nil {
		return err
	}
	o.GammaGamma = btyd.GammaGamma{P: v[0], Q: v[1], Gamma: v[2]}
	return nil
}

// customers resolves --customers and --tier, of which exactly one is set.
func customers(n int, tier string, fl *flag.FlagSet) (int, error) {
	given := false
	fl.Visit(func(f *flag.Flag) { given = given || f.Name == "customers" })
	switch {
	case given && tier != "":
		return 0, errors.New("give --customers or --tier, not both")
	case given:
		return n, nil
	case tier == "":
		return 0, errors.New("give --customers N or --tier small|medium|large")
	}
	if v, ok := gen.Tier(tier); ok {
		return v, nil
	}
	return 0, fmt.Errorf("--tier %q: want small, medium or large", tier)
}

func parseDay(name, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, fmt.Errorf("--%s %q is not a date; write it as YYYY-MM-DD", name, s)
	}
	return t, nil
}

// floats parses n comma-separated numbers.
func floats(name, s string, n int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, fmt.Errorf("--%s %q: want %d comma-separated numbers", name, s, n)
	}
	out := make([]float64, n)
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("--%s %q: %q is not a number", name, s, p)
		}
		out[i] = v
	}
	return out, nil
}

func params(vs ...float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}

// printGenSummary prints one line per file, then the totals and the time.
func printGenSummary(w io.Writer, s *gen.Summary, total time.Duration) {
	for _, f := range s.Files {
		fmt.Fprintf(w, "%-28s %-16s %-8s %12s rows %10s\n", f.Path, f.Entity, f.Format, thousands(f.Rows), size(f.Bytes))
	}
	c := s.Truth.Counts
	fmt.Fprintf(w, "%-28s the parameters, the as-of date %s and the counts below\n", gen.TruthFile, s.Truth.AsOf)
	fmt.Fprintf(w, "%-28s reads it all: journey run --config %s --as-of %s\n", gen.ConfigFile,
		filepath.Join(s.Dir, gen.ConfigFile), s.Truth.AsOf)
	fmt.Fprintf(w, "generated %s customers, %s orders, %s interactions, %s survey answers, %s dirty rows into %s in %s (rows %s, parquet %s)\n",
		thousands(c.Customers), thousands(c.Orders), thousands(c.Interactions), thousands(c.SurveyAnswers),
		thousands(c.DirtRows), s.Dir, total.Round(time.Millisecond), s.Generate.Round(time.Millisecond), s.Convert.Round(time.Millisecond))
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func size(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
}
