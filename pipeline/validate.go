package pipeline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/sinks"
)

var memoryLimit = regexp.MustCompile(`^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// Validate checks the whole configuration without touching any file and
// returns a *check.Error listing every problem, or nil.
func (c *Config) Validate() error {
	l := check.NewList()
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		l.Add("timezone", "use an IANA zone name such as Europe/Berlin, America/New_York or UTC", "unknown time zone %q", c.Timezone)
	}
	if c.DuckDB.MemoryLimit != "" && !memoryLimit.MatchString(c.DuckDB.MemoryLimit) {
		l.Add("duckdb.memory_limit", "write a size such as 512MB, 4GB or 8GiB", "%q is not a memory size", c.DuckDB.MemoryLimit)
	}
	if c.DuckDB.Threads < 0 {
		l.Add("duckdb.threads", "use a positive number, or leave it out for one per core", "%d is negative", c.DuckDB.Threads)
	}
	if c.Sharding.Count < 0 || c.Sharding.Count > MaxShards {
		l.Add("sharding.count", fmt.Sprintf("use 1 to %d, or leave it out", MaxShards), "%d is out of range", c.Sharding.Count)
	}
	c.Metrics.validate(l.Under("metrics"))
	c.Gates.Validate(l.Under("gates"), gateTables())
	c.PII.validate(l.Under("pii"))
	c.Schedule.validate(l, c)
	c.validatePublishing(l)
	if len(c.Sources) == 0 {
		l.Add("sources", "add at least one source (see the README's configuration reference)", "no sources configured")
	}
	seen := map[string]int{}
	for i, s := range c.Sources {
		sl := l.Under(fmt.Sprintf("sources[%d]", i))
		s.Validate(sl)
		if j, dup := seen[s.Name]; dup && s.Name != "" {
			sl.Add("name", "give every source a unique name", "%q is also the name of sources[%d]", s.Name, j)
		}
		seen[s.Name] = i
		if kinds := DefaultRegistry().Kinds(); !slices.Contains(kinds, s.Kind) {
			sl.Add("kind", "use one of "+strings.Join(kinds, ", "), "unknown source kind %q", s.Kind)
		}
	}
	return l.Err()
}

// gateTables are the tables quality gates may name: the published tables.
func gateTables() []string {
	var names []string
	for _, t := range sinks.Tables() {
		names = append(names, t.Name)
	}
	return names
}

func (m Metrics) validate(l check.List) {
	for _, f := range []struct {
		name string
		v    int
	}{
		{"survey_window_days", m.SurveyWindowDays}, {"activity_window_days", m.ActivityWindowDays},
		{"negative_window_days", m.NegativeWindowDays}, {"repeat_window_days", m.RepeatWindowDays},
		{"lapsed_after_days", m.LapsedAfterDays}, {"clv_months", m.CLVMonths},
	} {
		if f.v < 0 {
			l.Add(f.name, "use a positive number of days (or months), or leave it out for the default", "%d is negative", f.v)
		}
	}
	if m.CLVMonthlyDiscount < 0 || m.CLVMonthlyDiscount >= 1 {
		l.Add("clv_monthly_discount", "use a monthly rate such as 0.01 for 1 %", "%g is not a rate between 0 and 1", m.CLVMonthlyDiscount)
	}
}
