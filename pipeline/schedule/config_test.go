package schedule_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/pipeline/schedule"
	"github.com/journeydata/journey/pipeline/schedule/schedtest"
	"go.yaml.in/yaml/v3"
)

func TestNewReportsEveryProblem(t *testing.T) {
	cfg := schedule.Config{Cron: "30 25 * * *", MaxCatchUp: -1, LockTTL: -time.Second, FirstDate: "June 1st"}
	clock := schedtest.NewClock(time.Time{})
	deps := schedule.Deps{Clock: clock, Ledger: schedtest.NewLedger(), Locker: schedtest.NewLocker(clock), Runner: nil, Owner: "a"}
	_, err := schedule.New(cfg, deps)
	var ce *check.Error
	if !errors.As(err, &ce) {
		t.Fatalf("New = %v, want a *check.Error", err)
	}
	var fields []string
	for _, p := range ce.Problems {
		fields = append(fields, p.Field)
	}
	equal(t, "fields", fields, []string{"schedule.cron", "schedule.timezone", "schedule.max_catch_up", "schedule.lock_ttl", "schedule.first_date"})
}

func TestNewNeedsDeps(t *testing.T) {
	clock := schedtest.NewClock(time.Time{})
	cfg := config("30 2 * * *", time.UTC)
	full := schedule.Deps{Clock: clock, Ledger: schedtest.NewLedger(), Locker: schedtest.NewLocker(clock), Runner: runnerFunc{}, Owner: "a"}
	for name, deps := range map[string]schedule.Deps{
		"runner": {Clock: full.Clock, Ledger: full.Ledger, Locker: full.Locker, Owner: "a"},
		"owner":  {Clock: full.Clock, Ledger: full.Ledger, Locker: full.Locker, Runner: full.Runner},
	} {
		if _, err := schedule.New(cfg, deps); err == nil || !strings.Contains(err.Error(), "new schedule daemon") {
			t.Errorf("without %s: %v", name, err)
		}
	}
	if _, err := schedule.New(cfg, full); err != nil {
		t.Errorf("New = %v", err)
	}
}

func TestConfigFromYAML(t *testing.T) {
	var cfg schedule.Config
	src := "cron: '30 2 * * *'\nmax_catch_up: 3\nlock_ttl: 5m\ngrace: 90s\nfirst_date: 2025-01-01\n"
	if err := yaml.Unmarshal([]byte(src), &cfg); err != nil {
		t.Fatal(err)
	}
	got := cfg.WithDefaults()
	want := schedule.Config{Cron: "30 2 * * *", MaxCatchUp: 3, MaxAttempts: schedule.DefaultMaxAttempts,
		LockTTL: 5 * time.Minute, Grace: 90 * time.Second, FirstDate: "2025-01-01"}
	if got != want {
		t.Errorf("decoded %+v, want %+v", got, want)
	}
}

func TestRunTwiceAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, time.UTC))
		cfg := config("30 2 * * *", time.UTC)
		cfg.FirstDate = "2025-06-09"
		r := w.launch(w.daemon(cfg, "a", nil))
		if err := r.d.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "already running") {
			t.Errorf("second Run = %v", err)
		}
		w.stop(r)
	})
}
