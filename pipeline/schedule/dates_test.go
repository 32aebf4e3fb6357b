package schedule_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/journeydata/journey/pipeline/schedule"
	"github.com/journeydata/journey/pipeline/schedule/schedtest"
)

func TestDates(t *testing.T) {
	for _, c := range []struct {
		from, to string
		every    schedule.Every
		want     []string
	}{
		{"2024-02-27", "2024-03-01", schedule.Daily, []string{"2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"}},
		{"2024-01-01", "2024-01-22", schedule.Weekly, []string{"2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22"}},
		{"2024-01-01", "2024-01-21", schedule.Weekly, []string{"2024-01-01", "2024-01-08", "2024-01-15"}},
		{"2024-01-31", "2024-05-31", schedule.Monthly, []string{"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"}},
		{"2023-11-15", "2024-02-14", schedule.Monthly, []string{"2023-11-15", "2023-12-15", "2024-01-15"}},
		{"2024-03-05", "2024-03-05", schedule.Daily, []string{"2024-03-05"}},
	} {
		got, err := schedule.Dates(c.from, c.to, c.every)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Dates(%s, %s, %s) = %v, %v; want %v", c.from, c.to, c.every, got, err, c.want)
		}
	}
}

func TestDatesRejects(t *testing.T) {
	for _, c := range []struct {
		from, to string
		every    schedule.Every
		want     string
	}{
		{"2024-03-02", "2024-03-01", schedule.Daily, "is after"},
		{"2024-3-1", "2024-03-01", schedule.Daily, "use YYYY-MM-DD"},
		{"2024-03-01", "tomorrow", schedule.Daily, "use YYYY-MM-DD"},
		{"2024-03-01", "2024-03-02", "fortnight", "use day, week or month"},
	} {
		if _, err := schedule.Dates(c.from, c.to, c.every); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Dates(%s, %s, %s) = %v, want an error containing %q", c.from, c.to, c.every, err, c.want)
		}
	}
	if e, err := schedule.ParseEvery("week"); e != schedule.Weekly || err != nil {
		t.Errorf("ParseEvery(week) = %q, %v", e, err)
	}
}

func TestDueAndFirstFire(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	s := mustSchedule(t, "30 2 * * *", "Europe/Berlin")
	first, err := s.FirstFire("2025-03-29")
	if want := at(t, berlin, "2025-03-30 03:00", ""); err != nil || !first.Equal(want) {
		t.Fatalf("FirstFire(2025-03-29) = %s, %v; want %s", first, err, want)
	}
	if got := s.Due(first, 3); !slices.Equal(got, []string{"2025-03-27", "2025-03-28", "2025-03-29"}) {
		t.Errorf("Due at the fire = %v", got)
	}
	if got := s.Due(first.Add(-1), 3); !slices.Equal(got, []string{"2025-03-26", "2025-03-27", "2025-03-28"}) {
		t.Errorf("Due just before the fire = %v", got)
	}
	if got := s.Due(first, 0); got != nil {
		t.Errorf("Due(n=0) = %v", got)
	}
	if _, err := s.FirstFire("29.03.2025"); err == nil {
		t.Error("FirstFire accepted a bad date")
	}
}

func TestDueWeeklyAndMonthly(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	now := at(t, berlin, "2025-06-18 12:00", "")
	weekly := mustSchedule(t, "30 2 * * 1", "Europe/Berlin") // Mondays: the Sunday before
	if got := weekly.Due(now, 2); !slices.Equal(got, []string{"2025-06-08", "2025-06-15"}) {
		t.Errorf("weekly Due = %v", got)
	}
	if f, _ := weekly.FirstFire("2025-06-16"); !f.IsZero() {
		t.Errorf("weekly FirstFire of a Monday = %s, want none", f)
	}
	monthly := mustSchedule(t, "0 6 1 * *", "Europe/Berlin") // the 1st: the month's last day
	if got := monthly.Due(now, 3); !slices.Equal(got, []string{"2025-03-31", "2025-04-30", "2025-05-31"}) {
		t.Errorf("monthly Due = %v", got)
	}
}

func TestDueBetween(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	s := mustSchedule(t, "30 2-4 * * *", "Europe/Berlin") // 3 fires a night; 2 in the gap night
	from, to := at(t, berlin, "2025-03-28 12:00", ""), at(t, berlin, "2025-04-01 12:00", "")
	if got := s.DueBetween(from, to); !slices.Equal(got, []string{"2025-03-28", "2025-03-29", "2025-03-30", "2025-03-31"}) {
		t.Errorf("DueBetween = %v", got)
	}
	// 2025-03-29 became due at 03:00 CEST; a later fire of it is a retry tick.
	from = at(t, berlin, "2025-03-30 03:15", "")
	if got := s.DueBetween(from, to); !slices.Equal(got, []string{"2025-03-30", "2025-03-31"}) {
		t.Errorf("DueBetween after the first fire = %v", got)
	}
}

func TestPending(t *testing.T) {
	ctx := context.Background()
	l := schedtest.NewLedger("2025-06-02")
	got, err := schedule.Pending(ctx, l, []string{"2025-06-01", "2025-06-02", "2025-06-03"})
	if err != nil || !slices.Equal(got, []string{"2025-06-01", "2025-06-03"}) {
		t.Errorf("Pending = %v, %v", got, err)
	}
	l.Fail(errors.New("bucket unreachable"))
	if _, err := schedule.Pending(ctx, l, []string{"2025-06-01"}); err == nil || !strings.Contains(err.Error(), "check ledger for 2025-06-01: bucket unreachable") {
		t.Errorf("Pending with a failing ledger = %v", err)
	}
}
