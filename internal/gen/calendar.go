package gen

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Berlin without relying on the host's zoneinfo
)

// Zone is the business time zone of the generated exports, as in the demo.
const Zone = "Europe/Berlin"

const secondsPerDay = 86400

// stamp is a Berlin local wall-clock time in seconds since 1970-01-01 00:00
// (read as if it were UTC). Every generated event lies in daytime hours
// (07:00–23:00), so its Berlin and UTC calendar dates agree and no DST gap or
// overlap is involved.
type stamp int64

func (s stamp) day() int { return int(s / secondsPerDay) }
func (s stamp) sec() int { return int(s % secondsPerDay) }

// at is the stamp of day at sec seconds after midnight.
func at(day, sec int) stamp { return stamp(day)*secondsPerDay + stamp(sec) }

// calendar holds the business period as day numbers (days since 1970-01-01)
// and, for every day it covers, the Berlin UTC offset and the spellings of
// its date, so that formatting never consults the time package.
type calendar struct {
	from, to int // first and last business day
	base     int // day number of index 0
	offset   []int32
	iso, de  []string
}

// calendarSlack is how far past the period dates may reach (promised
// delivery dates of the last orders).
const calendarSlack = 31

func newCalendar(from, to time.Time) (*calendar, error) {
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		return nil, fmt.Errorf("load time zone %s: %w", Zone, err)
	}
	c := &calendar{from: dayNumber(from), to: dayNumber(to)}
	c.base = c.from
	for d := c.from; d <= c.to+calendarSlack; d++ {
		t := time.Unix(int64(d)*secondsPerDay, 0).UTC()
		noon := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, loc)
		_, off := noon.Zone()
		c.offset = append(c.offset, int32(off))
		c.iso = append(c.iso, t.Format("2006-01-02"))
		c.de = append(c.de, t.Format("02.01.2006"))
	}
	return c, nil
}

func dayNumber(t time.Time) int {
	return int(civil(t).Unix() / secondsPerDay)
}

func (c *calendar) idx(day int) int {
	i := day - c.base
	if i < 0 || i >= len(c.iso) {
		panic(fmt.Sprintf("gen: day %d outside the calendar", day))
	}
	return i
}

// appendISODate appends 2006-01-02.
func (c *calendar) appendISODate(b []byte, day int) []byte {
	return append(b, c.iso[c.idx(day)]...)
}

// appendDEDate appends 02.01.2006.
func (c *calendar) appendDEDate(b []byte, day int) []byte {
	return append(b, c.de[c.idx(day)]...)
}

// appendDEMinute appends the Berlin local 02.01.2006 15:04.
func (c *calendar) appendDEMinute(b []byte, s stamp) []byte {
	b = append(c.appendDEDate(b, s.day()), ' ')
	b = append2(b, s.sec()/3600)
	b = append(b, ':')
	return append2(b, s.sec()/60%60)
}

// appendLocal appends the Berlin local 2006-01-02 15:04:05.
func (c *calendar) appendLocal(b []byte, s stamp) []byte {
	b = append(c.appendISODate(b, s.day()), ' ')
	return appendClock(b, s.sec())
}

// appendUTCZ appends the UTC instant as 2006-01-02T15:04:05Z.
func (c *calendar) appendUTCZ(b []byte, s stamp) []byte {
	b = append(c.appendISODate(b, s.day()), 'T')
	return append(appendClock(b, c.utcSec(s)), 'Z')
}

// appendUTCOffset appends the UTC instant as 2006-01-02 15:04:05+00:00.
func (c *calendar) appendUTCOffset(b []byte, s stamp) []byte {
	b = append(c.appendISODate(b, s.day()), ' ')
	return append(appendClock(b, c.utcSec(s)), "+00:00"...)
}

// utcSec is the UTC time of day of s (on the same date, see stamp).
func (c *calendar) utcSec(s stamp) int {
	return s.sec() - int(c.offset[c.idx(s.day())])
}

// appendClock appends 15:04:05.
func appendClock(b []byte, sec int) []byte {
	b = append2(b, sec/3600)
	b = append(b, ':')
	b = append2(b, sec/60%60)
	b = append(b, ':')
	return append2(b, sec%60)
}

func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}

// year is the calendar year of a day number.
func (c *calendar) year(day int) int {
	s := c.iso[c.idx(day)]
	return int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
}
