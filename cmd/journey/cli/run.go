package cli

import (
	"context"
	"errors"
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
	config := fl.String("config", "", "configuration file (default: the bundled demo data)")
	asOf := fl.String("as-of", "", "snapshot date YYYY-MM-DD (default: yesterday in the business time zone)")
	out := fl.String("out", "", "output root (a folder or gs://bucket/prefix), overriding the configuration's output")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	cfg, err := e.loadConfig(*config)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey run: %v\n", err)
		return exitCode(err)
	}
	if *out != "" {
		cfg.Output = outputRoot(*out)
	}
	day, err := e.snapshotDate(*asOf, cfg.Location())
	if err != nil {
		fmt.Fprintf(e.stderr, "journey run: %v\n", err)
		return ExitUsage
	}
	runID := newRunID(e.now())
	log := logger(e.stderr).With().Str("run_id", runID).Str("as_of", day.Format(time.DateOnly)).Logger()
	rep := progress.New(e.stderr, log, 10*time.Second)
	task := rep.Task("snapshot "+day.Format(time.DateOnly), 4)
	m, err := pipeline.Run(ctx, cfg, pipeline.Options{AsOf: day, RunID: runID, Now: e.now, Log: log, Version: Version,
		StageDone: func(string) { task.Step(false) }})
	task.Finish()
	rep.Close()
	if err != nil {
		log.Error().Err(err).Msg("run failed")
		if errors.Is(err, pipeline.ErrGate) {
			fmt.Fprintf(e.stderr, "journey run: %s\n", err) // the gate report reads best on its own lines
		} else {
			fmt.Fprintf(e.stderr, "journey run: %s\n", oneLine(err))
		}
		return exitCode(err)
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
	return os.CopyFS(dir, sub)
}

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
