package schedule

import (
	"fmt"
	"time"
)

// DateLayout is the layout of business dates: YYYY-MM-DD.
const DateLayout = time.DateOnly

// Every is the step between snapshot dates of a backfill.
type Every string

// The steps.
const (
	Daily   Every = "day"   // every date
	Weekly  Every = "week"  // every 7th date from the first
	Monthly Every = "month" // the first date's day of month, every month
)

// ParseEvery reads day, week or month.
func ParseEvery(s string) (Every, error) {
	switch e := Every(s); e {
	case Daily, Weekly, Monthly:
		return e, nil
	}
	return "", fmt.Errorf("parse step %q: use day, week or month", s)
}

// ParseDate reads a business date (YYYY-MM-DD) as midnight UTC, the form
// date arithmetic here works on.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse date %q: use YYYY-MM-DD", s)
	}
	return d, nil
}

// LocalDate returns the business date of instant t in loc.
func LocalDate(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(DateLayout)
}

// Dates lists the business dates from from to to, both YYYY-MM-DD and
// inclusive, stepping by every: each date, every 7th date from from, or from's
// day of month in each month, clamped to the last day of shorter months (so
// from 2024-01-31 gives every month's last day). to is included only if a step
// lands on it.
func Dates(from, to string, every Every) ([]string, error) {
	start, err := ParseDate(from)
	if err != nil {
		return nil, err
	}
	end, err := ParseDate(to)
	if err != nil {
		return nil, err
	}
	if end.Before(start) {
		return nil, fmt.Errorf("list dates: %s is after %s", from, to)
	}
	if _, err := ParseEvery(string(every)); err != nil {
		return nil, err
	}
	var out []string
	for i := 0; ; i++ {
		d := step(start, every, i)
		if d.After(end) {
			return out, nil
		}
		out = append(out, d.Format(DateLayout))
	}
}

// step returns the i-th date from start.
func step(start time.Time, every Every, i int) time.Time {
	switch every {
	case Weekly:
		return start.AddDate(0, 0, 7*i)
	case Monthly:
		y, m, d := start.Date()
		first := time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		return first.AddDate(0, 0, min(d, last)-1)
	}
	return start.AddDate(0, 0, i)
}
