package schedule_test

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/journeydata/journey/pipeline/schedule"
)

// TestDaemonWeekAcrossDST runs a daemon for a simulated week around each
// transition: every snapshot exactly once, at the scheduled wall-clock time,
// or at the DST rule's instant on the transition day.
func TestDaemonWeekAcrossDST(t *testing.T) {
	for _, c := range []struct {
		zone, spec, day, usual, onDay string
	}{
		{"Europe/Berlin", "30 2 * * *", "2025-03-30", "02:30", "03:00 CEST"},
		{"Europe/Berlin", "30 2 * * *", "2025-10-26", "02:30", "02:30 CEST"},
		{"America/New_York", "30 2 * * *", "2025-03-09", "02:30", "03:00 EDT"},
		{"America/New_York", "30 2 * * *", "2025-11-02", "02:30", "02:30 EST"},
		{"Europe/Berlin", "30 1 * * *", "2025-03-30", "01:30", "01:30 CET"},
		{"Europe/Berlin", "30 1 * * *", "2025-10-26", "01:30", "01:30 CEST"},
		{"America/New_York", "30 1 * * *", "2025-03-09", "01:30", "01:30 EST"},
		{"America/New_York", "30 1 * * *", "2025-11-02", "01:30", "01:30 EDT"},
		{"Europe/Berlin", "*/15 2 * * *", "2025-03-30", "02:00", "03:00 CEST"},
		{"Europe/Berlin", "*/15 2 * * *", "2025-10-26", "02:00", "02:00 CEST"},
	} {
		t.Run(c.zone+" "+c.spec+" "+c.day, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { weekAround(t, c.zone, c.spec, c.day, c.usual, c.onDay) })
		})
	}
}

func weekAround(t *testing.T, zoneName, spec, day, usual, onDay string) {
	loc := zone(t, zoneName)
	d, _ := schedule.ParseDate(day)
	start := time.Date(d.Year(), d.Month(), d.Day()-4, 12, 0, 0, 0, loc)
	end := time.Date(d.Year(), d.Month(), d.Day()+4, 12, 0, 0, 0, loc)
	w := newWorld(t, start)
	cfg := config(spec, loc)
	cfg.FirstDate = start.Format(schedule.DateLayout)
	r := w.launch(w.daemon(cfg, "a", nil))
	w.clock.Drive(end)
	w.stop(r)

	want, _ := schedule.Dates(cfg.FirstDate, end.AddDate(0, 0, -1).Format(schedule.DateLayout), schedule.Daily)
	equal(t, "dates run", w.dates(), want)
	for _, run := range w.runs {
		local := run.at.In(loc)
		switch {
		case local.Format(schedule.DateLayout) == day && local.Format("15:04 MST") != onDay:
			t.Errorf("the transition day's run is at %s, want %s", local, onDay)
		case local.Format(schedule.DateLayout) != day && local.Format("15:04") != usual:
			t.Errorf("run for %s at %s, want %s", run.asOf, local, usual)
		}
	}
	if st := r.d.Status(); st.Runs != int64(len(want)) || st.Failures != 0 {
		t.Errorf("status runs %d failures %d, want %d and 0", st.Runs, st.Failures, len(want))
	}
}

// TestCatchUpAtStart: a daemon started after three missed nights builds
// those three at once, oldest first; with MaxCatchUp 2 only the two most
// recent.
func TestCatchUpAtStart(t *testing.T) {
	complete, _ := schedule.Dates("2025-05-20", "2025-06-05", schedule.Daily)
	for _, c := range []struct {
		maxCatchUp int
		want       []string
	}{
		{0, []string{"2025-06-06@06-09 12:00 CEST", "2025-06-07@06-09 12:00 CEST", "2025-06-08@06-09 12:00 CEST"}},
		{2, []string{"2025-06-07@06-09 12:00 CEST", "2025-06-08@06-09 12:00 CEST"}},
	} {
		synctest.Test(t, func(t *testing.T) {
			berlin := zone(t, "Europe/Berlin")
			w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), complete...)
			cfg := config("30 2 * * *", berlin)
			cfg.MaxCatchUp = c.maxCatchUp
			r := w.launch(w.daemon(cfg, "a", nil))
			w.clock.Drive(time.Date(2025, 6, 10, 1, 0, 0, 0, berlin))
			w.stop(r)
			equal(t, "runs", w.record(berlin, false), c.want)
		})
	}
}

// TestCatchUpRespectsFirstDate: with an empty ledger, nothing before
// FirstDate is due.
func TestCatchUpRespectsFirstDate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin))
		cfg := config("30 2 * * *", berlin)
		cfg.FirstDate = "2025-06-07"
		r := w.launch(w.daemon(cfg, "a", nil))
		w.stop(r)
		equal(t, "dates", w.dates(), []string{"2025-06-07", "2025-06-08"})
	})
}

// TestRunsAreSerialAndNeverRepeated: a long run that outlasts the next
// fire delays it, never overlaps it, and a date the ledger holds is skipped.
func TestRunsAreSerialAndNeverRepeated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		berlin := zone(t, "Europe/Berlin")
		w := newWorld(t, time.Date(2025, 6, 9, 12, 0, 0, 0, berlin), "2025-06-08", "2025-06-10")
		w.took = 25 * time.Hour
		cfg := config("30 2 * * *", berlin)
		cfg.FirstDate = "2025-06-08"
		r := w.launch(w.daemon(cfg, "a", nil))
		w.clock.Drive(time.Date(2025, 6, 14, 12, 0, 0, 0, berlin))
		w.stop(r)
		equal(t, "runs", w.record(berlin, false), []string{
			"2025-06-09@06-10 02:30 CEST", // ends 06-11 03:30: 06-10 is complete, 06-11 not yet due
			"2025-06-11@06-12 02:30 CEST",
			"2025-06-12@06-13 03:30 CEST",  // the fire passed during the previous run
			"2025-06-13@06-14 04:30 CEST!", // cancelled by the stop at 12:00 after the grace period
		})
		if w.maxIn != 1 {
			t.Errorf("%d runs at once", w.maxIn)
		}
		if got := w.ledger.Dates(); !slices.Equal(got, []string{"2025-06-08", "2025-06-09", "2025-06-10", "2025-06-11", "2025-06-12"}) {
			t.Errorf("ledger %v", got)
		}
	})
}
