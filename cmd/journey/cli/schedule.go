package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/journeydata/journey/internal/proc"
	"github.com/journeydata/journey/pipeline"
	"github.com/journeydata/journey/pipeline/schedule"
)

// schedule runs the daemon: snapshots due by the cron spec (and missed
// ones, up to max_catch_up) are built one at a time, never two at once, also
// across processes; SIGTERM stops it gracefully.
func (e env) schedule(ctx context.Context, args []string) int {
	fl := newFlags("schedule", e.stderr)
	config := fl.String("config", "", "configuration file with a schedule: section (default: the bundled demo data)")
	out := fl.String("out", "", "output root, overriding the configuration's output")
	cron := fl.String("cron", "", "cron spec, overriding schedule.cron (e.g. \"30 2 * * *\")")
	listen := fl.String("listen", "", "address of /healthz and /metrics, overriding schedule.listen")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	cfg, err := e.loadConfig(*config)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey schedule: %v\n", err)
		return exitCode(err)
	}
	e.overrideOutput(cfg, *out)
	if *cron != "" {
		cfg.Schedule.Cron = *cron
	}
	if *listen != "" {
		cfg.Schedule.Listen = *listen
	}
	if cfg.Schedule.Cron == "" {
		fmt.Fprintln(e.stderr, "journey schedule: no cron spec: set schedule.cron in the configuration or pass --cron")
		return ExitUsage
	}
	return e.daemon(ctx, cfg)
}

func (e env) daemon(ctx context.Context, cfg *pipeline.Config) int {
	log := logger(e.stderr)
	deps, stats, closeDeps, err := pipeline.DaemonDeps(ctx, cfg,
		pipeline.Options{Now: e.now, Log: log, Version: Version, LockWait: time.Minute},
		func() string { return newRunID(e.now()) })
	if err != nil {
		fmt.Fprintf(e.stderr, "journey schedule: %v\n", err)
		return ExitUsage
	}
	defer closeDeps()
	self := proc.Self()
	deps.Clock, deps.Owner = realClock{}, fmt.Sprintf("%s/%d", self.Host, self.PID)
	sc := cfg.Schedule.Config
	sc.Location = cfg.Location()
	d, err := schedule.New(sc, deps)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey schedule: %v\n", err)
		return exitCode(err)
	}
	srv, err := serveHealth(cfg.Schedule.Listen, d, stats)
	if err != nil {
		fmt.Fprintf(e.stderr, "journey schedule: %v\n", err)
		return ExitUsage
	}
	defer srv.Close()
	if err := d.Run(ctx); err != nil {
		fmt.Fprintf(e.stderr, "journey schedule: %v\n", err)
		return ExitFailed
	}
	if ctx.Err() != nil {
		return ExitInterrupted
	}
	return ExitOK
}

// realClock is the wall clock of the daemon.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// serveHealth serves /healthz (JSON status) and /metrics (Prometheus text).
func serveHealth(addr string, d *schedule.Daemon, stats *pipeline.RunStats) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for /healthz and /metrics on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(d.Status())
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		writeMetrics(w, d.Status(), stats.Rows())
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "journey schedule: health server:", err)
		}
	}()
	return srv, nil
}

// writeMetrics renders the daemon's status in the Prometheus text format.
func writeMetrics(w io.Writer, s schedule.Status, rows int64) {
	metric := func(name, typ, help string, v float64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %g\n", name, help, name, typ, name, v)
	}
	unix := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixNano()) / 1e9
	}
	running := 0.0
	if s.Running != "" {
		running = 1
	}
	metric("journey_last_success_timestamp_seconds", "gauge", "When the last successful run finished (0: none yet).", unix(s.LastSuccess))
	metric("journey_last_run_duration_seconds", "gauge", "How long the last run took.", s.LastDuration.Seconds())
	metric("journey_last_run_rows", "gauge", "Rows published by the last successful run, all tables.", float64(rows))
	metric("journey_runs_total", "counter", "Runs started by this daemon.", float64(s.Runs))
	metric("journey_run_failures_total", "counter", "Runs that failed.", float64(s.Failures))
	metric("journey_running", "gauge", "1 while a run is in progress.", running)
	metric("journey_next_run_timestamp_seconds", "gauge", "When the schedule fires next.", unix(s.NextFire))
}
