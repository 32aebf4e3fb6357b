package pipeline_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
)

const filterConfig = `
sources:
  - name: orders
    entity: orders
    path: orders.csv
    columns: {order_id: id, customer_id: customer, ordered_at: at, amount: amount, channel: channel}
    exclude: {channel: [test]}
`

// TestFilterKeepsRowsInRejects: records left out by a filter are accounted
// for in rejects and do not count against max_reject_ratio.
func TestFilterKeepsRowsInRejects(t *testing.T) {
	c := testkit.Case{Config: filterConfig, Files: map[string]string{
		"orders.csv": "id,customer,at,amount,channel\no1,a,2024-05-01,10,web\no2,a,2024-05-02,10,test\no3,b,2024-05-03,10,test\no4,b,2024-05-04,10,test\n",
	}}
	out, m := testkit.Run(t, c, "2024-06-30")
	if s := m.Sources["orders"]; s.Read != 4 || s.Loaded != 1 || s.Rejected != 3 {
		t.Errorf("counts %+v, want read 4 = loaded 1 + rejected 3", s)
	}
	r := testkit.Value(t, "SELECT reason FROM read_parquet($1) WHERE line = 3", testkit.Table(out, "rejects"))
	if r != "excluded by filter: channel 'test' is listed in exclude.channel" {
		t.Errorf("reason %q", r)
	}
}

// TestRejectRatioFailsBeforePublishing: a source whose mapping rejects most
// records fails the run with its top reasons, and nothing is published.
func TestRejectRatioFailsBeforePublishing(t *testing.T) {
	c := testkit.Case{Config: `
sources:
  - name: orders
    entity: orders
    path: orders.csv
    timestamp_format: "%d/%m/%Y"
    columns: {order_id: id, customer_id: customer, ordered_at: at, amount: amount}
`, Files: map[string]string{
		"orders.csv": "id,customer,at,amount\no1,a,2024-05-01,10\no2,a,2024-05-02,10\no3,b,03/05/2024,abc\n",
	}}
	out, _, err := testkit.TryRun(t, c, "2024-06-30")
	if err == nil {
		t.Fatal("run succeeded with 3 of 3 records rejected")
	}
	if !errors.Is(err, pipeline.ErrSource) {
		t.Errorf("error %v is not a source error", err)
	}
	for _, want := range []string{"source orders: 3 of 3 records rejected (100.0 %)", "above max_reject_ratio 50.0 %",
		"2 × bad timestamp in ordered_at (column \"at\"): '…'", "e.g. orders.csv:2", "bad decimal in amount"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "_manifests")); !os.IsNotExist(err) {
		t.Errorf("a manifest was published: %v", err)
	}
}

// TestTypeChangeIsARejectNotACrash: a column that changes type in the
// export (text where a number was) rejects those records and loads the rest.
func TestTypeChangeIsARejectNotACrash(t *testing.T) {
	c := testkit.Case{Config: strings.Replace(filterConfig, "    exclude: {channel: [test]}\n", "", 1), Files: map[string]string{
		"orders.csv": "id,customer,at,amount,channel\no1,a,2024-05-01,10,web\no2,a,2024-05-02,ten euros,web\no3,a,2024-05-03,12.5,web\n",
	}}
	out, m := testkit.Run(t, c, "2024-06-30")
	if s := m.Sources["orders"]; s.Loaded != 2 || s.Rejected != 1 {
		t.Errorf("counts %+v", s)
	}
	r := testkit.Value(t, "SELECT reason FROM read_parquet($1)", testkit.Table(out, "rejects"))
	if r != `bad decimal in amount (column "amount"): 'ten euros'` {
		t.Errorf("reason %q", r)
	}
}
