package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule is a cron spec read in a business time zone, with the DST rules
// of the package documentation. It is immutable and safe for concurrent use.
type Schedule struct {
	spec *cron.SpecSchedule // evaluated on wall-clock times (labelled UTC)
	loc  *time.Location
	text string
}

// Fire is one firing of a Schedule.
type Fire struct {
	At   time.Time // the instant, in the schedule's location
	AsOf string    // the business date it builds: the local day before At's wall-clock date
}

// NewSchedule parses a standard 5-field cron spec, or a descriptor such as
// @daily, to be read in loc. The zone is never part of the spec (no TZ= or
// CRON_TZ= prefix) and @every is refused: snapshots follow the calendar.
func NewSchedule(spec string, loc *time.Location) (*Schedule, error) {
	text := strings.TrimSpace(spec)
	switch {
	case loc == nil:
		return nil, errors.New("parse schedule: no time zone given")
	case strings.HasPrefix(text, "TZ=") || strings.HasPrefix(text, "CRON_TZ="):
		return nil, fmt.Errorf("parse schedule %q: the time zone comes from the configuration, not the spec", spec)
	}
	parsed, err := cron.ParseStandard(text)
	if err != nil {
		return nil, fmt.Errorf("parse schedule %q: %w", spec, err)
	}
	ss, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return nil, fmt.Errorf("parse schedule %q: only calendar specs are supported, not @every", spec)
	}
	ss.Location = time.UTC
	s := &Schedule{spec: ss, loc: loc, text: text}
	if ss.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, fmt.Errorf("parse schedule %q: it never fires", spec)
	}
	return s, nil
}

// String returns the spec and the zone, e.g. "30 2 * * * (Europe/Berlin)".
func (s *Schedule) String() string { return s.text + " (" + s.loc.String() + ")" }

// Location returns the business time zone.
func (s *Schedule) Location() *time.Location { return s.loc }

// Next returns the first fire instant strictly after t, or the zero time if
// the schedule never fires again.
func (s *Schedule) Next(t time.Time) time.Time {
	w := s.spec.Next(highWater(t, s.loc))
	if w.IsZero() {
		return time.Time{}
	}
	return resolve(w, s.loc)
}

// Fires returns the fires in (from, to], in order. Wall-clock fires that
// resolve to the same instant (several in one spring-forward gap) are one
// Fire.
func (s *Schedule) Fires(from, to time.Time) []Fire {
	var out []Fire
	for w := s.spec.Next(highWater(from, s.loc)); !w.IsZero(); w = s.spec.Next(w) {
		at := resolve(w, s.loc)
		if at.After(to) {
			break
		}
		if n := len(out); n > 0 && out[n-1].At.Equal(at) {
			continue
		}
		out = append(out, Fire{At: at, AsOf: civilDate(w.AddDate(0, 0, -1))})
	}
	return out
}

// FirstFire returns the instant from which the snapshot for asOf is due:
// the first fire on the local day after it. It is the zero time if the
// schedule builds no snapshot for asOf (e.g. a weekly schedule).
func (s *Schedule) FirstFire(asOf string) (time.Time, error) {
	d, err := ParseDate(asOf)
	if err != nil {
		return time.Time{}, err
	}
	next := d.AddDate(0, 0, 1)
	w := s.spec.Next(next.Add(-time.Second))
	if w.IsZero() || civilDate(w) != civilDate(next) {
		return time.Time{}, nil
	}
	return resolve(w, s.loc), nil
}

// DueBetween returns the business dates that became due in (from, to]:
// those whose first fire lies in it, oldest first.
func (s *Schedule) DueBetween(from, to time.Time) []string {
	var out []string
	for _, f := range s.Fires(from, to) {
		if n := len(out); n > 0 && out[n-1] == f.AsOf {
			continue
		}
		if first, _ := s.FirstFire(f.AsOf); first.After(from) {
			out = append(out, f.AsOf)
		}
	}
	return out
}

// Due returns the n most recent business dates due at now (their first fire
// is at or before now), oldest first.
func (s *Schedule) Due(now time.Time, n int) []string {
	if n <= 0 {
		return nil
	}
	limit := now.AddDate(-5*(n+1), 0, 0)
	for span := time.Duration(n+1) * 48 * time.Hour; ; span *= 2 {
		from := now.Add(-span)
		if from.Before(limit) {
			from = limit
		}
		dates := distinctDates(s.Fires(from, now))
		if len(dates) >= n || !from.After(limit) {
			return dates[max(0, len(dates)-n):]
		}
	}
}

// distinctDates returns the fires' business dates without repeats, in order.
func distinctDates(fires []Fire) []string {
	var out []string
	for _, f := range fires {
		if n := len(out); n == 0 || out[n-1] != f.AsOf {
			out = append(out, f.AsOf)
		}
	}
	return out
}
