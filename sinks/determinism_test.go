package sinks

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/duck"
)

// TestWriteIsByteIdentical writes the same rows, inserted in a shuffled
// order, from two separate DuckDB databases running on two threads each,
// with several row groups per file: every file must have the same bytes, so
// that a re-run with unchanged inputs changes no published object. (DuckDB's
// COPY … PARTITION_BY, used before, gave different bytes for 3M events: its
// threads interleave their output.) The third time journey_events is a view
// over Parquet files partitioned by event_month, as a step kept in files
// leaves it, which is written a partition at a time from its files.
func TestWriteIsByteIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a few hundred thousand rows")
	}
	var sums []map[string]string
	var metricsFile string
	for i := range 3 {
		db, err := duck.Open(context.Background(), duck.Settings{Threads: 2, PreserveInsertionOrder: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		snap := Snapshot{Staging: t.TempDir(), RunID: "r1", AsOf: "2025-06-30"}
		all := map[string]string{}
		for _, tbl := range []Table{journeyEvents(), customerMetrics()} {
			exec(t, db, syntheticTable(tbl, 600_000))
			if i == 2 && tbl.Partition == ByEventMonth {
				files := t.TempDir()
				exec(t, db, fmt.Sprintf("COPY %s TO %s (FORMAT parquet, PARTITION_BY (event_month))", tbl.Name, duck.Literal(files)),
					"DROP TABLE "+tbl.Name,
					fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet(%s, hive_partitioning = true, hive_types_autocast = false)",
						tbl.Name, duck.Literal(files+"/*/*.parquet")))
			}
			st, err := snap.writeTable(context.Background(), db, tbl)
			if err != nil {
				t.Fatal(err)
			}
			maps.Copy(all, st.CRC32C)
		}
		metricsFile = snap.staged("customer_metrics/snapshot_date=2025-06-30/part-0.parquet")
		sums = append(sums, all)
	}
	if len(sums[0]) != 4 {
		t.Fatalf("only %d files written", len(sums[0]))
	}
	for _, other := range sums[1:] {
		for f, sum := range sums[0] {
			if other[f] != sum {
				t.Errorf("%s: CRC32C %s, then %s", f, sum, other[f])
			}
		}
	}
	if rg := rows(t, openDB(t), "SELECT CAST(count(DISTINCT row_group_id) AS VARCHAR) FROM parquet_metadata($1)", metricsFile); rg[0][0] != "5" {
		t.Errorf("customer_metrics has %s row groups, want 5: the test must cover several", rg[0][0])
	}
}

// syntheticTable creates tbl with n rows of values derived from the row
// number, unique in its sort keys, in a shuffled insertion order.
func syntheticTable(tbl Table, n int) string {
	var cols []string
	for _, c := range tbl.Columns {
		cols = append(cols, syntheticValue(c)+" AS "+duck.Ident(c.Name))
	}
	return fmt.Sprintf("CREATE TABLE %s AS SELECT %s FROM range(%d) ORDER BY hash(range)",
		duck.Ident(tbl.Name), strings.Join(cols, ", "), n)
}

func syntheticValue(c Column) string {
	switch c.Name {
	case "event_month":
		return "strftime(DATE '2025-04-01' + CAST(range % 90 AS INTEGER), '%Y-%m')"
	case "customer_id", "sequence_number":
		return "CAST(range AS " + string(c.Type) + ")"
	case "snapshot_date":
		return "DATE '2025-06-30'"
	}
	switch c.Type {
	case Varchar:
		return "'v' || (range % 977)"
	case Date:
		return "DATE '2024-01-01' + CAST(range % 730 AS INTEGER)"
	case TimestampTZ:
		return "TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(range)"
	case Boolean:
		return "range % 3 = 0"
	}
	return fmt.Sprintf("CAST(range %% 1000 AS %s)", c.Type)
}
