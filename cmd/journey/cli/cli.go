// Package cli is the journey command line: flags, subcommands, logging and
// exit codes. main calls Run; tests call it in-process.
package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/pipeline"
)

// Exit codes.
const (
	ExitOK          = 0   // success
	ExitFailed      = 1   // the run failed (a bug, the output store, DuckDB)
	ExitUsage       = 2   // bad flags or a bad configuration
	ExitSource      = 3   // a source could not be read
	ExitGate        = 4   // a quality gate failed; nothing was published
	ExitInterrupted = 130 // SIGINT or SIGTERM
)

// Version is the program version, set at build time with -ldflags.
var Version = "dev"

// env is what a command needs from the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
}

// Run executes the command line args (without the program name) and
// returns the exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	var code int
	switch args[0] {
	case "run":
		code = e.run(ctx, args[1:])
	case "finalize":
		code = e.finalize(ctx, args[1:])
	case "validate":
		code = e.validate(ctx, args[1:])
	case "backfill":
		code = e.backfill(ctx, args[1:])
	case "schedule":
		code = e.schedule(ctx, args[1:])
	case "runs":
		code = e.runs(ctx, args[1:])
	case "status":
		code = e.status(ctx, args[1:])
	case "gen":
		code = e.gen(ctx, args[1:])
	case "bench":
		code = e.bench(ctx, args[1:])
	case "version":
		fmt.Fprintln(stdout, "journey", Version)
	case "help", "-h", "--help":
		usage(stdout)
	default:
		fmt.Fprintf(stderr, "journey: unknown command %q\n", args[0])
		usage(stderr)
		code = ExitUsage
	}
	if code != ExitOK && ctx.Err() != nil {
		return ExitInterrupted
	}
	return code
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: journey <command> [flags]

commands:
  run       build and publish one snapshot (default: the bundled demo data into ./out);
            with --shard i/N (or a batch platform's task index), build one shard's part
  finalize  build and publish a sharded snapshot from its shards' parts: --shards N [--shard-group G]
  validate  check a configuration and name every problem
  backfill  build the snapshots of a date range: --from D1 --to D2 [--every day|week|month] [--parallel N] [--force]
  schedule  run the nightly schedule as a daemon (schedule.cron in the config, or --cron), with /healthz and /metrics
  runs      list recent runs from the run ledger
  status    say which snapshots are complete, failed or missing
  gen       generate realistic data with a known truth: journey gen --customers N | --tier small|medium|large
            --out DIR [--seed S] [--format demo|csv|ndjson|parquet] [--dirt RATE] [--from DATE] [--to DATE]
  bench     generate a data set (cached) and time the pipeline on it in a child process: journey bench
            --customers N | --tier small|medium|large [--format F] [--memory-limit 2GB] [--repeat N] [--json]
  version   print the version

Run "journey <command> -h" for the flags of a command.
`)
}

// newFlags returns a flag set that reports errors to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("journey "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// logger writes JSON lines, or console text when w is a terminal.
func logger(w io.Writer) zerolog.Logger {
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		w = zerolog.ConsoleWriter{Out: f, TimeFormat: time.TimeOnly}
	}
	return zerolog.New(w).With().Timestamp().Logger()
}

func newRunID(now time.Time) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// exitCode maps an error to its exit code.
func exitCode(err error) int {
	var ce *check.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ce):
		return ExitUsage
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.Is(err, pipeline.ErrSource):
		return ExitSource
	case errors.Is(err, pipeline.ErrGate):
		return ExitGate
	}
	return ExitFailed
}
