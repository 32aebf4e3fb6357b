package schedule

import (
	"time"

	"github.com/journeydata/journey/internal/check"
)

// Defaults of Config's zero fields.
const (
	DefaultMaxCatchUp  = 7
	DefaultMaxAttempts = 3
	DefaultLockTTL     = 10 * time.Minute
	DefaultGrace       = time.Minute
)

// Config is the schedule: section of journey.yaml plus the business time
// zone, which the pipeline sets from the top-level timezone.
type Config struct {
	// Cron is a standard 5-field cron spec (or @daily, @weekly, …), read in
	// Location; e.g. "30 2 * * *" builds yesterday's snapshot at 02:30.
	Cron string `yaml:"cron"`
	// Location is the business time zone. Required; never defaulted.
	Location *time.Location `yaml:"-"`
	// MaxCatchUp is how many of the most recent scheduled dates are checked
	// at each wake and run if incomplete: the bound on catching up after
	// downtime. Older gaps are left to `journey backfill`. Default 7.
	MaxCatchUp int `yaml:"max_catch_up"`
	// MaxAttempts bounds the runs of one date per local day. Default 3.
	MaxAttempts int `yaml:"max_attempts"`
	// LockTTL is how long the lock outlives a daemon that stops refreshing
	// it; refreshed every third of it. Default 10m.
	LockTTL time.Duration `yaml:"lock_ttl"`
	// Grace is how long a stopping daemon lets the current run go on before
	// cancelling it. Keep it below the supervisor's kill timeout. Default 1m.
	Grace time.Duration `yaml:"grace"`
	// FirstDate, if set (YYYY-MM-DD), is the first business date the
	// schedule builds; earlier ones are never due.
	FirstDate string `yaml:"first_date"`
}

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.MaxCatchUp == 0 {
		c.MaxCatchUp = DefaultMaxCatchUp
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.LockTTL == 0 {
		c.LockTTL = DefaultLockTTL
	}
	if c.Grace == 0 {
		c.Grace = DefaultGrace
	}
	return c
}

// Validate records every problem of c under l without any I/O; the
// pipeline passes l.Under("schedule").
func (c Config) Validate(l check.List) {
	if c.Cron == "" {
		l.Add("cron", `write a cron spec such as "30 2 * * *" (02:30 every night)`, "is empty")
	} else if _, err := NewSchedule(c.Cron, time.UTC); err != nil {
		l.Add("cron", "use 5 fields: minute hour day-of-month month day-of-week, or @daily", "%v", err)
	}
	if c.Location == nil {
		l.Add("timezone", "set the top-level timezone, e.g. Europe/Berlin", "no business time zone")
	}
	positive := []struct {
		name string
		bad  bool
	}{
		{"max_catch_up", c.MaxCatchUp < 0}, {"max_attempts", c.MaxAttempts < 0},
		{"lock_ttl", c.LockTTL < 0}, {"grace", c.Grace < 0},
	}
	for _, f := range positive {
		if f.bad {
			l.Add(f.name, "use a positive value, or leave it out for the default", "is negative")
		}
	}
	if c.FirstDate != "" {
		if _, err := ParseDate(c.FirstDate); err != nil {
			l.Add("first_date", "write a date as YYYY-MM-DD", "%v", err)
		}
	}
}
