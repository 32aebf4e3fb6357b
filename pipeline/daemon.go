package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/pipeline/schedule"
	"github.com/journeydata/journey/sinks"
)

// ScheduleSettings configure `journey schedule` (the schedule: section).
type ScheduleSettings struct {
	schedule.Config `yaml:",inline"`
	// Listen is the loopback address of /healthz and /metrics.
	Listen string `yaml:"listen"`
}

// DefaultListen is the health and metrics address unless schedule.listen says otherwise.
const DefaultListen = "127.0.0.1:9464"

// scheduleLock is the daemon's own lock object; each run still takes the
// publish lock inside.
const scheduleLock = "_locks/schedule.json"

func (s *ScheduleSettings) validate(l check.List, cfg *Config) {
	if s.Cron == "" {
		return
	}
	c := s.Config
	c.Location = cfg.Location()
	c.WithDefaults().Validate(l.Under("schedule"))
}

// DaemonDeps builds what the schedule daemon needs from the pipeline: the
// ledger (published snapshots), the lock in the output store and a runner
// that builds one snapshot. The caller adds the clock and the owner, and
// calls the returned closer when done.
func DaemonDeps(ctx context.Context, cfg *Config, base Options, newRunID func() string) (schedule.Deps, *RunStats, func() error, error) {
	h, err := OpenHistory(ctx, cfg)
	if err != nil {
		return schedule.Deps{}, nil, nil, err
	}
	stats := &RunStats{}
	deps := schedule.Deps{
		Ledger: h, Locker: storeLocker{root: h.root, now: base.Now},
		Runner: runner{cfg: cfg, base: base, newRunID: newRunID, stats: stats}, Log: base.Log,
	}
	return deps, stats, h.Close, nil
}

// RunStats are the figures of the daemon's last successful run, for /metrics.
type RunStats struct {
	mu   sync.Mutex
	rows int64
}

// Rows is the number of rows the last successful run published.
func (s *RunStats) Rows() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rows
}

// runner builds one snapshot per call with a fresh run id.
type runner struct {
	cfg      *Config
	base     Options
	newRunID func() string
	stats    *RunStats
}

func (r runner) Run(ctx context.Context, asOf string) error {
	day, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		return err
	}
	opt := r.base
	opt.AsOf, opt.RunID = day, r.newRunID()
	opt.Log = r.base.Log.With().Str("run_id", opt.RunID).Str("as_of", asOf).Logger()
	m, err := Run(ctx, r.cfg, opt)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	r.stats.mu.Lock()
	r.stats.rows = rows
	r.stats.mu.Unlock()
	return nil
}

// storeLocker is schedule.Locker over a lock object in the output store.
type storeLocker struct {
	root *sinks.Root
	now  func() time.Time
}

func (l storeLocker) Acquire(ctx context.Context, owner string, ttl time.Duration) (schedule.Lease, error) {
	lk, err := sinks.AcquireLock(ctx, l.root, sinks.LockRequest{Name: scheduleLock, RunID: owner, Expiry: ttl, Now: l.now})
	var locked *sinks.LockedError
	if errors.As(err, &locked) {
		return nil, &schedule.LockedError{Holder: locked.Holder.RunID, Expires: locked.Holder.ExpiresAt}
	}
	if err != nil {
		return nil, fmt.Errorf("take the schedule lock: %w", err)
	}
	return lease{lk}, nil
}

type lease struct{ lk *sinks.Lock }

func (l lease) Refresh(ctx context.Context) error {
	if err := l.lk.Refresh(ctx); err != nil {
		if errors.Is(err, sinks.ErrLockLost) {
			return fmt.Errorf("%w: %w", schedule.ErrLeaseLost, err)
		}
		return err
	}
	return nil
}

func (l lease) Release(ctx context.Context) error { return l.lk.Release(ctx) }
