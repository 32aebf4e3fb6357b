package duck

import (
	"context"
	"fmt"
	"time"
)

// LocalOffsets is the table DefineLocalTime creates: for each UTC day
// (utc_day, days since 1970-01-01) on which the time zone's UTC offset does
// not change, that offset in microseconds (offset_us). Days with a change
// of offset, and days outside the table's range, have no row.
const LocalOffsets = "local_offsets"

// localYearsBefore and localYearsAfter bound the days LocalOffsets covers,
// around the date it is built for. Instants outside still convert exactly,
// only at ICU's speed.
const (
	localYearsBefore = 30
	localYearsAfter  = 10
)

// DefineLocalTime prepares the fast conversion of instants to the wall
// clock of the time zone tz, for the SQL models:
//
//	FROM t LEFT JOIN local_offsets z ON z.utc_day = utc_day(t.ts)
//	… local_time(t.ts, z.offset_us) …
//
// local_time(ts, offset_us) equals timezone(tz, ts), a TIMESTAMP. DuckDB's
// timezone() goes through the ICU calendar for every value, which measured
// 5.3 s for 40M instants on two cores; the join and the addition took 0.45
// s. A day on which the offset changes has no row in local_offsets, so its
// instants (and those outside the covered years) fall back to timezone():
// the result is the same for every instant.
//
// The table covers localYearsBefore years before around and
// localYearsAfter after; a day qualifies when the offset is the same at
// the start and the last second of each of its hours.
func (db *DB) DefineLocalTime(ctx context.Context, tz string, around time.Time) error {
	day := around.Unix() / 86400
	from := max(day-localYearsBefore*366, 1) // day 0 holds instants just before 1970 too
	to := day + localYearsAfter*366
	stmts := []string{
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %s AS
SELECT hour // 24 AS utc_day, min(at_start) AS offset_us
FROM (SELECT hour,
             epoch_us(timezone(%[2]s, to_timestamp(hour * 3600))) - hour * 3600000000 AS at_start,
             epoch_us(timezone(%[2]s, to_timestamp(hour * 3600 + 3599))) - (hour * 3600 + 3599) * 1000000 AS at_end
      FROM range(%[3]d, %[4]d) r(hour))
GROUP BY utc_day
HAVING min(at_start) = max(at_start) AND min(at_end) = max(at_end) AND min(at_start) = min(at_end)`,
			LocalOffsets, Literal(tz), from*24, to*24),
		"CREATE OR REPLACE MACRO utc_day(ts) AS epoch_us(ts) // 86400000000",
		fmt.Sprintf("CREATE OR REPLACE MACRO local_time(ts, offset_us) AS coalesce(make_timestamp(epoch_us(ts) + offset_us), timezone(%s, ts))", Literal(tz)),
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("prepare local time in %s: %w", tz, err)
		}
	}
	return nil
}
