package sources_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/duck"
	"github.com/journeydata/journey/sources"
)

// typedOrders are orders in the column types export tools write. Against
// their text they test every conversion the mapping takes from a typed
// column: naive TIMESTAMP (on a Berlin DST gap), DATE, TIMESTAMPTZ with
// microseconds, INTEGER as DECIMAL and as BIGINT, and the conversions that
// go through text: DOUBLE as DECIMAL (0.00015 rounds to 0.0002, where a
// cast of the binary value gives 0.0001), TIMESTAMP_NS and FLOAT. Rows 2–5
// are rejects whose reasons show the column's text.
const typedOrders = `SELECT * FROM (VALUES
	('o1', TIMESTAMP '2024-03-31 02:30:00', 0.00015::DOUBLE, 3, 2::UBIGINT, DATE '2024-04-02',
	 TIMESTAMPTZ '2024-04-01 10:00:00.123456+00', TIMESTAMP_NS '2024-04-01 10:00:00.123456789', 'delivered', 1.1::FLOAT),
	('o2', TIMESTAMP '2024-10-27 02:30:00', -5.0::DOUBLE, NULL, NULL, NULL, NULL, NULL, 'delivered', NULL),
	('o3', NULL, 7.25::DOUBLE, NULL, 1::UBIGINT, NULL, NULL, NULL, 'placed', NULL),
	('o4', TIMESTAMP '2024-05-01 08:00:00', 8.5::DOUBLE, NULL, 18446744073709551615::UBIGINT, NULL, NULL, NULL, 'placed', NULL),
	('o5', TIMESTAMP '2024-05-02 08:00:00', 1e20::DOUBLE, -2, 1::UBIGINT, NULL, NULL, NULL, 'refunded', NULL),
	('o6', TIMESTAMP '2024-05-03 08:00:00', 12.345678::DOUBLE, 12, 4::UBIGINT, DATE '2024-05-05',
	 TIMESTAMPTZ '2024-05-04 23:59:59+00', NULL, 'refunded', 2.5::FLOAT)
) t(id, "at", amount, refund, items, promised, delivered, updated, status, rate)`

// typedSurveys are NPS answers with an INTEGER score, one out of range.
const typedSurveys = `SELECT * FROM (VALUES
	('r1', TIMESTAMPTZ '2024-05-01 10:00:00+00', 'c1', 9),
	('r2', TIMESTAMPTZ '2024-05-02 10:00:00+00', 'c2', 11),
	('r3', NULL, 'c3', 4)
) t(id, "at", customer, score)`

// TestTypedColumnsMapLikeText requires a typed Parquet file to stage the
// same rows and reject reasons as a CSV file holding the same values as
// text, and checks that the fields meant to be taken from their columns as
// they are were.
func TestTypedColumnsMapLikeText(t *testing.T) {
	orders := sources.Spec{Name: "typed", Entity: "orders", Kind: "file", Timezone: "Europe/Berlin",
		Columns: map[string]string{"order_id": "id", "ordered_at": "at", "amount": "amount", "refunded_amount": "refund",
			"item_count": "items", "promised_at": "promised", "delivered_at": "delivered", "updated_at": "updated", "status": "status"},
		Constants: map[string]string{"customer_id": "c1"}}
	surveys := sources.Spec{Name: "typed", Entity: "survey_responses", Kind: "file",
		Columns:   map[string]string{"response_id": "id", "responded_at": "at", "customer_id": "customer", "score": "score"},
		Constants: map[string]string{"survey_type": "nps"}}
	for _, c := range []struct {
		spec   sources.Spec
		rows   string
		stg    string
		direct []string
	}{
		{orders, typedOrders, `SELECT * EXCLUDE (_src, _source, _file, _line, _carried) FROM stg_orders ORDER BY order_id`,
			[]string{"ordered_at", "refunded_amount", "item_count", "promised_at", "delivered_at"}},
		{surveys, typedSurveys, `SELECT * EXCLUDE (_src, _source, _file, _line, _carried) FROM stg_survey_responses ORDER BY response_id`,
			[]string{"responded_at", "score"}},
	} {
		t.Run(c.spec.Entity, func(t *testing.T) {
			dir := t.TempDir()
			writeTyped(t, c.rows, filepath.Join(dir, "typed.parquet"), filepath.Join(dir, "typed.csv"))
			var got []string
			for _, f := range []string{"typed.csv", "typed.parquet"} {
				spec := c.spec
				spec.Path = f
				got = append(got, stageWith(t, spec, dir, c.stg, func(m string) {
					for _, field := range c.direct {
						if !strings.Contains(m, fmt.Sprintf(`AS "t_%s"`, field)) {
							t.Fatalf("mapping lacks t_%s", field)
						}
						if f == "typed.parquet" && strings.Contains(m, fmt.Sprintf(`VARCHAR)), '') AS "t_%s"`, field)) {
							t.Errorf("%s: %s went through text", f, field)
						}
					}
				}))
			}
			if got[0] != got[1] {
				t.Errorf("Parquet stages differently from its text:\ncsv:     %s\nparquet: %s", got[0], got[1])
			}
			for _, want := range []string{"0.0002", "negative amount -5.0 ", "missing ordered_at", "bad integer in item_count (column \"items\"): '18446744073709551615'",
				"bad decimal in amount (column \"amount\"): '1e+20'", "score 11 out of range", "missing responded_at"} {
				if (strings.Contains(want, "score") || strings.Contains(want, "responded")) != (c.spec.Entity == "survey_responses") {
					continue
				}
				if !strings.Contains(got[1], want) {
					t.Errorf("staged Parquet lacks %q:\n%s", want, got[1])
				}
			}
		})
	}
}

// writeTyped writes the rows as Parquet with their types and as CSV text.
func writeTyped(t *testing.T, rows, parquet, csv string) {
	t.Helper()
	db, err := duck.Open(context.Background(), duck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		fmt.Sprintf(`COPY (%s) TO %s (FORMAT parquet)`, rows, duck.Literal(parquet)),
		fmt.Sprintf(`COPY (SELECT * FROM read_parquet(%s)) TO %s (FORMAT csv, HEADER)`, duck.Literal(parquet), duck.Literal(csv)),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// stageWith extracts, maps and stages one source, calls seeMapping with
// the mapping's SQL, and renders the rows of query stg and the reject
// reasons as text.
func stageWith(t testing.TB, spec sources.Spec, dir, stg string, seeMapping func(string)) string {
	t.Helper()
	ctx := context.Background()
	db, err := duck.Open(ctx, duck.Settings{PreserveInsertionOrder: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := newContractSource(t, spec, dir)
	if err := sources.CreateParseRejects(ctx, db); err != nil {
		t.Fatal(err)
	}
	ex, err := src.Extract(ctx, db, sources.Request{Raw: "raw_0", WorkDir: t.TempDir()})
	if err != nil {
		t.Fatalf("%s: extract: %v", spec.Name, err)
	}
	seeMapping(sources.MappingSQL(spec, 0, "raw_0", "map_0", ex))
	if err := sources.Map(ctx, db, spec, 0, "raw_0", "map_0", ex); err != nil {
		t.Fatal(err)
	}
	l := sources.Loaded{Spec: spec, Raw: "raw_0", Mapped: "map_0", Extracted: ex}
	if _, err := sources.Stage(ctx, db, []sources.Loaded{l}); err != nil {
		t.Fatal(err)
	}
	return dump(t, db, stg) + " | " + dump(t, db, `SELECT reason FROM rejects ORDER BY reason`)
}
