package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/duck"
)

// BenchmarkEventsFloor measures the least work any DuckDB pipeline does to
// publish journey_events from a data set written by journey gen --format
// parquet (the folder in JOURNEY_FLOOR_DATA), on this machine. It is a
// floor, not the pipeline: the events are built straight from the input
// files with no validation, duplicate resolution, identity resolution or
// time zone (timestamps are taken as they are stored), with a 16GB memory
// limit so nothing spills, and written partitioned by month without
// sorting. Its parts:
//
//   - write: read the inputs, form every event, write them (no window);
//   - window-keys: the sequence number's window over the keys alone
//     (customer, instant, event id), nothing written;
//   - write-with-window: write with the sequence number and the gap, as
//     journey_events has them.
//
// Run it with -benchtime 1x; each part is one statement.
func BenchmarkEventsFloor(b *testing.B) {
	dir := os.Getenv("JOURNEY_FLOOR_DATA")
	if dir == "" {
		b.Skip("JOURNEY_FLOOR_DATA names no data set (journey gen --format parquet --out DIR)")
	}
	ctx := context.Background()
	db := floorDB(b)
	ev := floorEvents(dir)
	window := `row_number() OVER w AS sequence_number,
		(epoch_us(event_at) - epoch_us(lag(event_at) OVER w)) / 1e6 AS seconds_since_previous`
	over := `WINDOW w AS (PARTITION BY customer_id ORDER BY event_at, event_id)`
	parts := []struct{ name, sql string }{
		{"write", fmt.Sprintf(`COPY (SELECT * FROM (%s)) TO %s (FORMAT parquet, COMPRESSION zstd, PARTITION_BY event_month)`,
			ev, duck.Literal(filepath.Join(b.TempDir(), "write")))},
		{"window-keys", fmt.Sprintf(`SELECT sum(sequence_number) FROM (SELECT row_number() OVER w AS sequence_number
			FROM (SELECT customer_id, event_at, event_id FROM (%s)) %s)`, ev, over)},
		{"write-with-window", fmt.Sprintf(`COPY (SELECT *, %s FROM (%s) %s) TO %s (FORMAT parquet, COMPRESSION zstd, PARTITION_BY event_month)`,
			window, ev, over, duck.Literal(filepath.Join(b.TempDir(), "window")))},
	}
	for _, p := range parts {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.ExecContext(ctx, p.sql); err != nil {
					b.Fatalf("%s: %v", p.name, err)
				}
			}
		})
	}
}

// BenchmarkReadFloor measures DuckDB's readers alone on the orders and the
// interactions of the data sets written by journey gen: as Parquet from the
// folder in JOURNEY_FLOOR_DATA (--format parquet), as CSV and NDJSON from
// the folder in JOURNEY_FLOOR_TEXT_DATA (--format demo). Every field is
// read (the text ones as text, skipping unreadable lines instead of
// keeping them), with no line numbers and nothing stored: the least a run
// spends reading these files.
func BenchmarkReadFloor(b *testing.B) {
	pq, text := os.Getenv("JOURNEY_FLOOR_DATA"), os.Getenv("JOURNEY_FLOOR_TEXT_DATA")
	if pq == "" && text == "" {
		b.Skip("JOURNEY_FLOOR_DATA and JOURNEY_FLOOR_TEXT_DATA name no data set (journey gen --out DIR)")
	}
	ctx := context.Background()
	db := floorDB(b)
	asText := func(cols ...string) string {
		var s []string
		for _, c := range cols {
			s = append(s, duck.Literal(c)+": 'VARCHAR'")
		}
		return "{" + strings.Join(s, ", ") + "}"
	}
	glob := func(dir, name string) string { return duck.Literal(filepath.Join(dir, name)) }
	type part struct{ name, from string }
	var parts []part
	if pq != "" {
		parts = append(parts,
			part{"orders-parquet", `read_parquet(` + glob(pq, "orders*.parquet") + `)`},
			part{"interactions-parquet", `read_parquet(` + glob(pq, "interactions*.parquet") + `)`})
	}
	if text != "" {
		parts = append(parts,
			part{"orders-csv", `read_csv(` + glob(text, "orders*.csv") + `, header = true, delim = ',',
				quote = '"', escape = '"', auto_detect = false, ignore_errors = true, columns = ` + asText("order_id",
				"customer_ref", "customer_email", "order_ts", "total", "currency", "state", "sales_channel", "promised_date",
				"delivered_ts", "refund", "items", "updated_ts") + `)`},
			part{"interactions-ndjson", `read_ndjson(` + glob(text, "interactions*.ndjson") + `,
				ignore_errors = true, columns = ` + asText("id", "contact", "email", "ts", "channel", "kind", "resolved", "duration_s") + `)`})
	}
	for _, p := range parts {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				var n int64
				var h any
				// Hashing the whole row makes the reader produce every field.
				if err := db.QueryRowContext(ctx, "SELECT count(*), sum(hash(t)) FROM "+p.from+" t").Scan(&n, &h); err != nil {
					b.Fatalf("%s: %v", p.name, err)
				}
				b.ReportMetric(float64(n), "rows")
			}
		})
	}
}

// floorDB opens an in-memory database for a floor benchmark, with a memory
// limit high enough that nothing spills; b closes it.
func floorDB(b *testing.B) *duck.DB {
	db, err := duck.Open(context.Background(), duck.Settings{MemoryLimit: "16GB", TempDir: filepath.Join(b.TempDir(), "duckdb.tmp")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// floorEvents is the events of the generated files in dir, one row per
// event with journey_events' columns (without the window's), each input
// read as its file stores it.
func floorEvents(dir string) string {
	read := func(name string) string {
		return "read_parquet(" + duck.Literal(filepath.Join(dir, name+"*.parquet")) + ")"
	}
	// Instants stored with a zone are taken as naive timestamps by their
	// epoch, which costs nothing; the pipeline's local time costs more.
	naive := func(col string) string { return "make_timestamp(epoch_us(" + col + "))" }
	orders := read("orders")
	union := []string{
		`SELECT 'interaction:' || id AS event_id, contact AS customer_id, ts AS event_at, 'interactions' AS entity,
			'crm_touchpoints' AS source, channel, kind AS event_type,
			CASE WHEN kind IN ('ticket', 'complaint', 'call', 'chat') THEN 'service' ELSE 'awareness' END AS stage,
			CAST(duration_s AS DOUBLE) AS value,
			CASE WHEN kind = 'complaint' THEN 'complaint' WHEN kind = 'ticket' AND NOT resolved THEN 'unresolved ticket' END AS negative_reason
		FROM ` + read("interactions"),
		`SELECT 'order:' || order_id, customer_ref, ` + naive("order_ts") + `, 'orders', 'shop_orders', sales_channel,
			'order', 'purchase', total, NULL FROM ` + orders,
		`SELECT 'delivery:' || order_id, customer_ref, ` + naive("delivered_ts") + `, 'orders', 'shop_orders', sales_channel,
			'delivery', 'post_purchase', NULL,
			CASE WHEN CAST(` + naive("delivered_ts") + ` AS DATE) > promised_date THEN 'late delivery' END
		FROM ` + orders + ` WHERE delivered_ts IS NOT NULL AND state <> 'canceled'`,
		`SELECT 'return:' || order_id, customer_ref, ` + naive("coalesce(updated_ts, delivered_ts, order_ts)") + `, 'orders',
			'shop_orders', sales_channel, 'return', 'post_purchase', coalesce(refund, total), 'return'
		FROM ` + orders + ` WHERE state = 'returned'`,
		`SELECT 'cancellation:' || order_id, customer_ref, ` + naive("coalesce(updated_ts, order_ts)") + `, 'orders',
			'shop_orders', sales_channel, 'order_cancelled', 'purchase', total, NULL
		FROM ` + orders + ` WHERE state = 'canceled'`,
		`SELECT 'survey:' || response_id, email, ` + naive("submitted_at") + `, 'survey_responses', 'nps_survey', 'survey',
			'nps_response', CASE WHEN score >= 9 THEN 'advocacy' ELSE 'post_purchase' END, score,
			CASE WHEN score <= 6 THEN 'detractor' END
		FROM ` + read("nps_responses"),
		`SELECT 'survey:' || resp_id, customer_id, answered_at, 'survey_responses', 'csat_ces_survey', 'survey',
			question || '_response', 'post_purchase', rating,
			CASE WHEN question = 'csat' AND rating <= 2 THEN 'low CSAT' WHEN question = 'ces' AND rating <= 3 THEN 'high effort (CES)' END
		FROM ` + read("csat_ces"),
	}
	return `SELECT customer_id, event_at, CAST(event_at AS DATE) AS event_date, strftime(event_at, '%Y-%m') AS event_month,
		event_id, entity, source, channel, stage, event_type, value,
		negative_reason IS NOT NULL AS is_negative, negative_reason
	FROM (` + strings.Join(union, "\nUNION ALL\n") + `)`
}
