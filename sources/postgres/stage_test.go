package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/journeydata/journey/internal/check"
	"github.com/journeydata/journey/sources"
	"github.com/journeydata/journey/sources/postgres"
)

// TestStageOrders runs a postgres source the way the pipeline does:
// registry, Extract, Map and Stage, and checks the typed staging values and
// the reconciliation, with a negative amount rejected at its primary key.
func TestStageOrders(t *testing.T) {
	f := newFixture(t, `
		CREATE TABLE shop_orders (order_no text PRIMARY KEY, customer text, mail text, total numeric(12,2),
			placed timestamptz, promised timestamp, state text, items int, changed timestamptz);
		SET TimeZone = 'Europe/Berlin';
		INSERT INTO shop_orders VALUES
			('A-1', 'C1', ' Ann@Example.com ', 19.99, '2024-03-05 15:22:10.5', '2024-03-08 12:00:00', 'Delivered', 2, '2024-03-06 09:00:00'),
			('A-2', 'C2', NULL, -5.00, '2024-03-05 16:00:00', NULL, 'placed', 1, '2024-03-05 16:00:00'),
			('A-3', NULL, 'bob@example.com', 7.50, '2024-07-01 00:30:00', NULL, NULL, NULL, NULL);`)
	spec := f.spec("public.shop_orders")
	spec.Watermark = "changed"
	spec.Timezone = "Europe/Berlin" // for the naive promised timestamp
	spec.Columns = map[string]string{
		"order_id": "order_no", "customer_id": "customer", "email": "mail", "amount": "total",
		"ordered_at": "placed", "promised_at": "promised", "status": "state", "item_count": "items", "updated_at": "changed",
	}
	problems := check.NewList()
	spec.Validate(problems.Under("sources[0]"))
	if p := problems.Problems(); len(p) > 0 {
		t.Fatalf("spec does not validate: %v", p)
	}

	ctx := context.Background()
	r := sources.NewRegistry()
	postgres.Register(r)
	src, err := r.New(spec, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := sources.CreateParseRejects(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	l := sources.Loaded{Spec: spec, Src: 0, Raw: "raw_0", Mapped: "map_0"}
	if l.Extracted, err = src.Extract(ctx, f.db, sources.Request{Raw: l.Raw}); err != nil {
		t.Fatal(err)
	}
	if l.Extracted.Watermark != "2024-03-06 08:00:00+00" {
		t.Errorf("watermark %q", l.Extracted.Watermark)
	}
	// Ordered by the watermark, then A-3 (NULL last).
	if err := sources.Map(ctx, f.db, spec, l.Src, l.Raw, l.Mapped, l.Extracted); err != nil {
		t.Fatal(err)
	}
	counts, err := sources.Stage(ctx, f.db, []sources.Loaded{l})
	if err != nil {
		t.Fatal(err)
	}
	if c := counts["orders_pg"]; c != (sources.Counts{Read: 3, Loaded: 2, Rejected: 1}) {
		t.Errorf("counts %+v, want read 3 = loaded 2 + rejected 1", c)
	}

	// Timestamps are scanned as instants and shown in UTC.
	rows, err := f.db.QueryContext(ctx, `SELECT order_id, customer_id, email, amount, ordered_at, promised_at,
		status, item_count, updated_at, _file, _line FROM stg_orders ORDER BY order_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][]string
	for rows.Next() {
		vals := make([]any, 11)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				row[i] = "NULL"
			case time.Time:
				row[i] = v.UTC().Format(time.RFC3339Nano)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		got = append(got, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"A-1", "C1", "ann@example.com", "19.99", "2024-03-05T14:22:10.5Z", "2024-03-08T11:00:00Z",
			"delivered", "2", "2024-03-06T08:00:00Z", "postgres:public.shop_orders", "2"},
		{"A-3", "NULL", "bob@example.com", "7.5", "2024-06-30T22:30:00Z", "NULL", "NULL", "NULL", "NULL", "postgres:public.shop_orders", "3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stg_orders\n got %q\nwant %q", got, want)
	}

	rej := f.rows(`SELECT source, entity, file, line, location, reason FROM rejects`)
	wantRej := [][]string{{"orders_pg", "orders", "postgres:public.shop_orders", "1", "pk=A-2",
		"negative amount -5.00 (only refunds and returns may be negative)"}}
	if !reflect.DeepEqual(rej, wantRej) {
		t.Errorf("rejects\n got %q\nwant %q", rej, wantRej)
	}
}
