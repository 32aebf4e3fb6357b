package schedule

import "time"

// Wall-clock times are a zone's local readings labelled UTC: on them a day
// always has 24 hours, so cron arithmetic knows no DST. These helpers convert
// between instants and wall-clock times of a location.

// wallOf returns the wall-clock reading of instant t in loc.
func wallOf(t time.Time, loc *time.Location) time.Time {
	_, off := t.In(loc).Zone()
	return t.Add(time.Duration(off) * time.Second).UTC()
}

// resolve returns the earliest instant at which loc's wall clock reads w or
// later: the instant itself when w occurs once, its first occurrence when a
// fall-back repeats it, and the end of the gap when a spring-forward skips it.
func resolve(w time.Time, loc *time.Location) time.Time {
	var first time.Time
	minOff := 0
	for i, off := range nearbyOffsets(w, loc) {
		t := w.Add(-time.Duration(off) * time.Second)
		if wallOf(t, loc).Equal(w) && (first.IsZero() || t.Before(first)) {
			first = t
		}
		if i == 0 || off < minOff {
			minOff = off
		}
	}
	if first.IsZero() {
		// w falls in a gap, where the offset grows: read with the smaller
		// offset it names an instant inside the period after the gap, which
		// starts at the transition.
		first, _ = w.Add(-time.Duration(minOff) * time.Second).In(loc).ZoneBounds()
	}
	return first.In(loc)
}

// nearbyOffsets returns loc's UTC offsets, in seconds, in effect a day
// before, at and a day after w read as an instant. Every instant whose wall
// clock reads w lies within 14 hours of that, so these cover both sides of
// any transition near w.
func nearbyOffsets(w time.Time, loc *time.Location) [3]int {
	var offs [3]int
	for i, d := range [3]time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, offs[i] = w.Add(d).In(loc).Zone()
	}
	return offs
}

// highWater returns the latest wall-clock reading loc has shown up to
// instant t. After a fall-back the clock reads less than it did an hour
// before; a wall-clock time fires after t exactly when it is later than this.
func highWater(t time.Time, loc *time.Location) time.Time {
	w := wallOf(t, loc)
	start, _ := t.In(loc).ZoneBounds()
	if !start.IsZero() {
		if prev := wallOf(start.Add(-time.Nanosecond), loc); prev.After(w) {
			w = prev
		}
	}
	return w
}

// civilDate returns the date of wall-clock time w as YYYY-MM-DD.
func civilDate(w time.Time) string { return w.Format(DateLayout) }
