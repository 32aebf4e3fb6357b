package duck_test

import (
	"context"
	"testing"
	"time"

	"github.com/journeydata/journey/internal/duck"
)

// TestLocalTimeEqualsTimezone checks local_time against DuckDB's timezone()
// for every 7 minutes and 13 seconds over three years holding daylight
// saving changes, for zones with whole-hour, half-hour and 45-minute
// offsets, a half-hour daylight saving shift (Lord Howe), a zone that
// changed its standard offset (Samoa skipped 2011-12-30) and UTC, plus
// instants before 1970 and beyond the covered years, which take the
// fallback.
func TestLocalTimeEqualsTimezone(t *testing.T) {
	ctx := context.Background()
	db, err := duck.Open(ctx, duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE instants AS
SELECT TIMESTAMPTZ '2010-06-01 00:00:00+00' + to_seconds(i * 433) AS ts FROM range(0, 3 * 365 * 24 * 3600 // 433) r(i)
UNION ALL SELECT unnest([TIMESTAMPTZ '1950-03-26 01:30:00+00', TIMESTAMPTZ '1969-12-31 23:59:59+00',
    TIMESTAMPTZ '1970-01-01 00:00:00+00', TIMESTAMPTZ '2099-07-01 12:00:00+00'])`)
	if err != nil {
		t.Fatal(err)
	}
	// changes says whether the zone's offset changes in the three years.
	zones := map[string]bool{"Europe/Berlin": true, "America/New_York": true, "Australia/Lord_Howe": true,
		"Asia/Kathmandu": false, "America/St_Johns": true, "Pacific/Apia": true, "UTC": false}
	for tz, changes := range zones {
		if err := db.DefineLocalTime(ctx, tz, time.Date(2011, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		var n, wrong, fast int64
		err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE local_time(ts, z.offset_us) IS DISTINCT FROM timezone($1, ts)),
       count(z.offset_us)
FROM instants LEFT JOIN local_offsets z ON z.utc_day = utc_day(ts)`, tz).Scan(&n, &wrong, &fast)
		if err != nil {
			t.Fatal(err)
		}
		if wrong > 0 {
			t.Errorf("%s: %d of %d instants differ from timezone()", tz, wrong, n)
		}
		// The four extra instants are outside the covered years. Of the
		// rest, those on a day with a change of offset take the fallback.
		grid := n - 4
		if fast > grid || fast < grid*97/100 || changes != (fast < grid) {
			t.Errorf("%s: %d of %d instants found their day's offset", tz, fast, grid)
		}
	}
}
