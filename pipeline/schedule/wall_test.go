package schedule

import (
	"testing"
	"time"
	_ "time/tzdata" // the same zone rules on every machine
)

// transitionDays are days with a zone transition, and two quiet zones.
var transitionDays = []struct{ zone, day string }{
	{"Europe/Berlin", "2025-03-30"}, {"Europe/Berlin", "2025-10-26"},
	{"America/New_York", "2025-03-09"}, {"America/New_York", "2025-11-02"},
	{"Australia/Lord_Howe", "2025-04-06"}, {"Australia/Lord_Howe", "2025-10-05"}, // 30-minute shifts
	{"America/Santiago", "2025-04-06"}, {"America/Santiago", "2025-09-07"}, // at midnight
	{"Pacific/Apia", "2011-12-30"}, // a whole day skipped
	{"Asia/Kolkata", "2025-06-01"}, {"UTC", "2025-06-01"},
}

// scan is every minute from two days before a day to two days after it,
// with the wall clock each shows and the highest wall clock shown so far.
type scan struct {
	at, wall, high []time.Time
}

func scanAround(t *testing.T, zone, day string) (*time.Location, scan) {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := ParseDate(day)
	var s scan
	for at := d.Add(-48 * time.Hour); at.Before(d.Add(72 * time.Hour)); at = at.Add(time.Minute) {
		w := wallOf(at, loc)
		high := w
		if n := len(s.high); n > 0 && s.high[n-1].After(w) {
			high = s.high[n-1]
		}
		s.at, s.wall, s.high = append(s.at, at), append(s.wall, w), append(s.high, high)
	}
	return loc, s
}

// TestResolveMatchesBruteForce checks the one DST rule against a
// minute-by-minute scan: a wall-clock time resolves to the earliest instant
// whose wall clock reads it or later.
func TestResolveMatchesBruteForce(t *testing.T) {
	for _, c := range transitionDays {
		loc, s := scanAround(t, c.zone, c.day)
		d, _ := ParseDate(c.day)
		i := 0
		for w := d.Add(-24 * time.Hour); w.Before(d.Add(48 * time.Hour)); w = w.Add(time.Minute) {
			for s.high[i].Before(w) {
				i++
			}
			if got := resolve(w, loc); !got.Equal(s.at[i]) {
				t.Fatalf("%s: resolve(%s) = %s, want %s", c.zone, w.Format("2006-01-02 15:04"), got, s.at[i].In(loc))
			}
		}
	}
}

// TestHighWaterMatchesBruteForce checks highWater against the running
// maximum of the scan, to the minute (the scan's resolution: just before a
// fall-back the clock reads 02:59:59.999999999).
func TestHighWaterMatchesBruteForce(t *testing.T) {
	for _, c := range transitionDays {
		loc, s := scanAround(t, c.zone, c.day)
		for i := 24 * 60; i < len(s.at); i++ {
			if got := highWater(s.at[i], loc); !got.Truncate(time.Minute).Equal(s.high[i]) {
				t.Fatalf("%s: highWater(%s) = %s, want %s", c.zone, s.at[i].In(loc), got, s.high[i])
			}
		}
	}
}

// TestNextMatchesBruteForce checks Next against the resolved wall-clock
// fires of a few specs, from every 7th minute around each transition.
func TestNextMatchesBruteForce(t *testing.T) {
	for _, spec := range []string{"30 2 * * *", "30 1 * * *", "0 0 * * *", "*/15 * * * *", "45 23 * * *"} {
		for _, c := range transitionDays {
			loc, s := scanAround(t, c.zone, c.day)
			sched, err := NewSchedule(spec, loc)
			if err != nil {
				t.Fatal(err)
			}
			fires := wallFires(sched, s.wall[0].Add(-48*time.Hour), s.wall[len(s.wall)-1])
			for i := 24 * 60; i < len(s.at)-24*60; i += 7 {
				want := firstAfter(fires, s.at[i])
				if got := sched.Next(s.at[i]); !got.Equal(want) {
					t.Fatalf("%s %q: Next(%s) = %s, want %s", c.zone, spec, s.at[i].In(loc), got, want.In(loc))
				}
			}
		}
	}
}

// wallFires resolves every wall-clock fire in [from, to].
func wallFires(s *Schedule, from, to time.Time) []time.Time {
	var out []time.Time
	for w := s.spec.Next(from); !w.After(to); w = s.spec.Next(w) {
		out = append(out, resolve(w, s.loc))
	}
	return out
}

func firstAfter(fires []time.Time, t time.Time) time.Time {
	for _, f := range fires {
		if f.After(t) {
			return f
		}
	}
	return time.Time{}
}
