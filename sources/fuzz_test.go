package sources_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// FuzzMapping feeds arbitrary source column names, values, value maps,
// constants and timestamp formats through the mapping and row rules. Whatever
// the input, mapping must not fail (every value reaches SQL as a parameter,
// every name through the quoting helper), and every record must be either
// loaded or rejected with a reason.
func FuzzMapping(f *testing.F) {
	f.Add("total", "12.50", "Closed Won", "delivered", "%Y-%m-%d", "2024-01-01")
	f.Add(`we"ird`, "-3", "x'y", "returned", "%d.%m.%Y %H:%M", "31.02.2024 10:00")
	f.Add("a;b", "", "", "", "", "2024-13-45T25:61:00Z")
	f.Add("amount", "1e400", "$1", "$2", "%z", "2024-01-01 10:00:00+02")
	db, err := duck.Open(context.Background(), duck.Settings{PreserveInsertionOrder: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	f.Fuzz(func(t *testing.T, col, amount, from, to, format, when string) {
		for _, s := range []string{col, amount, from, to, format, when} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Skip("DuckDB text is valid UTF-8 without NUL")
			}
		}
		if col == "" || strings.HasPrefix(col, "_") || strings.EqualFold(col, "id") || strings.EqualFold(col, "at") || strings.EqualFold(col, "status") {
			t.Skip("column names must be non-empty, unique and not reserved")
		}
		mapOnce(t, db, col, amount, from, to, format, when)
	})
}

func mapOnce(t *testing.T, db *duck.DB, col, amount, from, to, format, when string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	create := fmt.Sprintf(`CREATE OR REPLACE TABLE raw_f AS SELECT 'o1' AS id, $1::VARCHAR AS %s, $2::VARCHAR AS at,
		$3::VARCHAR AS status, 'f.csv' AS _file, 2::BIGINT AS _line`, duck.Ident(col))
	if _, err := db.ExecContext(ctx, create, amount, when, from); err != nil {
		t.Fatalf("create raw table: %v", err)
	}
	spec := sources.Spec{Name: "fuzz", Entity: "orders", Kind: "file",
		Columns:   map[string]string{"order_id": "id", "amount": col, "ordered_at": "at", "status": "status"},
		Constants: map[string]string{"customer_id": to}, Formats: map[string]string{"ordered_at": format},
		Values: map[string]map[string]string{"status": {from: to}}, Timezone: "Europe/Berlin"}
	l := check.NewList()
	if spec.Validate(l); len(l.Problems()) > 0 {
		t.Skip("invalid configuration, reported by validate:", l.Problems())
	}
	ex := sources.Extracted{Columns: []string{"id", col, "at", "status"}}
	if err := sources.CreateParseRejects(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := sources.Map(ctx, db, spec, 0, "raw_f", "map_f", ex); err != nil {
		t.Fatalf("map: %v", err)
	}
	loaded := sources.Loaded{Spec: spec, Raw: "raw_f", Mapped: "map_f", Extracted: ex}
	counts, err := sources.Stage(ctx, db, []sources.Loaded{loaded})
	if err != nil {
		t.Fatalf("stage: %v", err)
	}
	if c := counts["fuzz"]; c.Read != 1 || c.Loaded+c.Rejected != 1 {
		t.Fatalf("counts %+v", c)
	}
	var reason *string
	if err := db.QueryRowContext(ctx, "SELECT any_value(reason) FROM rejects").Scan(&reason); err != nil {
		t.Fatal(err)
	}
	if counts["fuzz"].Rejected == 1 && (reason == nil || *reason == "") {
		t.Fatal("a rejected record without a reason")
	}
}
