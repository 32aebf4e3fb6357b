package schedule_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the same zone rules on every machine

	"github.com/journeydata/journey/pipeline/schedule"
	"github.com/robfig/cron/v3"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustSchedule(t *testing.T, spec, zoneName string) *schedule.Schedule {
	t.Helper()
	s, err := schedule.NewSchedule(spec, zone(t, zoneName))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// at reads "2006-01-02 15:04" in loc; zoneAbbr picks the occurrence of an
// ambiguous time by its zone abbreviation ("" for the first).
func at(t *testing.T, loc *time.Location, s, zoneAbbr string) time.Time {
	t.Helper()
	w, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	for _, probe := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, off := w.Add(probe).In(loc).Zone()
		c := w.Add(-time.Duration(off) * time.Second).In(loc)
		name, _ := c.Zone()
		if c.Format("2006-01-02 15:04") == s && (zoneAbbr == "" || name == zoneAbbr) {
			return c
		}
	}
	t.Fatalf("%s %s does not exist in %s", s, zoneAbbr, loc)
	return time.Time{}
}

func TestNewScheduleRejects(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	for _, c := range []struct {
		spec string
		loc  *time.Location
		want string
	}{
		{"30 2 * * *", nil, "no time zone"},
		{"TZ=UTC 30 2 * * *", berlin, "comes from the configuration"},
		{"CRON_TZ=UTC 30 2 * * *", berlin, "comes from the configuration"},
		{"@every 1h", berlin, "@every"},
		{"30 2 * *", berlin, "expected exactly 5 fields"},
		{"0 0 31 2 *", berlin, "never fires"},
		{"", berlin, "parse schedule"},
	} {
		_, err := schedule.NewSchedule(c.spec, c.loc)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewSchedule(%q) = %v, want an error containing %q", c.spec, err, c.want)
		}
	}
	if _, err := schedule.NewSchedule("@daily", berlin); err != nil {
		t.Errorf("@daily: %v", err)
	}
}

func TestNextAcrossDST(t *testing.T) {
	for _, c := range []struct {
		zone, spec, after, afterZone, want, wantZone string
	}{
		{"Europe/Berlin", "30 2 * * *", "2025-03-29 12:00", "", "2025-03-30 03:00", "CEST"},
		{"Europe/Berlin", "30 2 * * *", "2025-03-30 03:00", "", "2025-03-31 02:30", "CEST"},
		{"Europe/Berlin", "30 2 * * *", "2025-10-25 12:00", "", "2025-10-26 02:30", "CEST"},
		{"Europe/Berlin", "30 2 * * *", "2025-10-26 02:30", "CEST", "2025-10-27 02:30", "CET"},
		{"Europe/Berlin", "30 2 * * *", "2025-10-26 02:10", "CET", "2025-10-27 02:30", "CET"},
		{"America/New_York", "30 2 * * *", "2025-03-08 12:00", "", "2025-03-09 03:00", "EDT"},
		{"America/New_York", "30 1 * * *", "2025-11-01 12:00", "", "2025-11-02 01:30", "EDT"},
		{"America/New_York", "30 1 * * *", "2025-11-02 01:30", "EDT", "2025-11-03 01:30", "EST"},
		{"America/New_York", "30 1 * * *", "2025-11-02 01:10", "EST", "2025-11-03 01:30", "EST"},
	} {
		loc := zone(t, c.zone)
		s := mustSchedule(t, c.spec, c.zone)
		got := s.Next(at(t, loc, c.after, c.afterZone))
		if want := at(t, loc, c.want, c.wantZone); !got.Equal(want) {
			t.Errorf("%s %q: Next(%s %s) = %s, want %s", c.zone, c.spec, c.after, c.afterZone, got, want)
		}
	}
}

// TestFiresBuildEachDateOnce runs daily specs over a whole year in zones
// with DST: every business date exactly once, in order.
func TestFiresBuildEachDateOnce(t *testing.T) {
	for _, z := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "UTC"} {
		for _, spec := range []string{"30 2 * * *", "30 1 * * *", "0 0 * * *", "*/20 2 * * *"} {
			loc := zone(t, z)
			s := mustSchedule(t, spec, z)
			from := time.Date(2024, 12, 31, 12, 0, 0, 0, loc)
			got := distinct(s.Fires(from, time.Date(2025, 12, 31, 12, 0, 0, 0, loc)))
			want, _ := schedule.Dates("2024-12-31", "2025-12-30", schedule.Daily)
			if !slices.Equal(got, want) {
				t.Errorf("%s %q: %d dates, want %d (first %v)", z, spec, len(got), len(want), got[:3])
			}
		}
	}
}

func distinct(fires []schedule.Fire) []string {
	var out []string
	for i, f := range fires {
		if i > 0 && !f.At.After(fires[i-1].At) {
			panic("fires out of order")
		}
		if len(out) == 0 || out[len(out)-1] != f.AsOf {
			out = append(out, f.AsOf)
		}
	}
	return out
}

// TestSkippedDay: Pacific/Apia skipped 2011-12-30; its snapshot is still
// built, at the first instant after the gap.
func TestSkippedDay(t *testing.T) {
	loc := zone(t, "Pacific/Apia")
	s := mustSchedule(t, "30 2 * * *", "Pacific/Apia")
	fires := s.Fires(time.Date(2011, 12, 28, 12, 0, 0, 0, loc), time.Date(2012, 1, 2, 12, 0, 0, 0, loc))
	want, _ := schedule.Dates("2011-12-28", "2012-01-01", schedule.Daily)
	if got := distinct(fires); !slices.Equal(got, want) {
		t.Fatalf("dates %v, want %v", got, want)
	}
	if got := fires[1].At.Format("2006-01-02 15:04"); got != "2011-12-31 00:00" {
		t.Errorf("the skipped day's fire is at %s, want 2011-12-31 00:00", got)
	}
}

// TestRobfigPitfalls records why fires are not taken from robfig/cron in
// the zone directly: it skips a 02:30 job on spring-forward days and runs a
// 01:30 job twice on fall-back days.
func TestRobfigPitfalls(t *testing.T) {
	count := func(spec, z, from, to string) int {
		loc := zone(t, z)
		s, err := cron.ParseStandard(spec)
		if err != nil {
			t.Fatal(err)
		}
		s.(*cron.SpecSchedule).Location = loc
		end := at(t, loc, to, "")
		n := 0
		for f := s.Next(at(t, loc, from, "")); !f.After(end); f = s.Next(f) {
			n++
		}
		return n
	}
	if n := count("30 2 * * *", "Europe/Berlin", "2025-03-29 12:00", "2025-03-31 12:00"); n != 1 {
		t.Errorf("robfig/cron fired a 02:30 job %d times over two days around spring-forward; the skip is fixed?", n)
	}
	if n := count("30 1 * * *", "America/New_York", "2025-11-01 12:00", "2025-11-02 12:00"); n != 2 {
		t.Errorf("robfig/cron fired a 01:30 job %d times on fall-back day; the double run is fixed?", n)
	}
}
