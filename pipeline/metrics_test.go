package pipeline_test

import (
	"testing"

	"github.com/journeydata/journey/internal/testkit"
)

// tinyConfig maps four small CSV files with canonical column names.
const tinyConfig = `
timezone: Europe/Berlin
sources:
  - name: customers
    entity: customers
    path: customers.csv
    columns: {customer_id: id, email: email, segment: segment, created_at: created}
  - name: orders
    entity: orders
    path: orders.csv
    columns: {order_id: id, customer_id: customer, ordered_at: at, amount: amount, status: status}
  - name: surveys
    entity: survey_responses
    path: surveys.csv
    columns: {response_id: id, customer_id: customer, responded_at: at, survey_type: type, score: score}
  - name: touches
    entity: interactions
    path: touches.csv
    columns: {interaction_id: id, customer_id: customer, occurred_at: at, channel: channel, type: type}
`

func tinyCase(customers, orders, surveys, touches string) testkit.Case {
	return testkit.Case{Config: tinyConfig, Files: map[string]string{
		"customers.csv": "id,email,segment,created\n" + customers,
		"orders.csv":    "id,customer,at,amount,status\n" + orders,
		"surveys.csv":   "id,customer,at,type,score\n" + surveys,
		"touches.csv":   "id,customer,at,channel,type\n" + touches,
	}}
}

func kpi(t *testing.T, out, dimension, value, cols string) []string {
	t.Helper()
	r := testkit.Rows(t, "SELECT "+cols+" FROM read_parquet($1) WHERE dimension = $2 AND dimension_value = $3",
		testkit.Table(out, "kpi_daily"), dimension, value)
	if len(r) != 1 {
		t.Fatalf("kpi_daily %s=%s: %d rows", dimension, value, len(r))
	}
	return r[0]
}

func TestNPS(t *testing.T) {
	c := tinyCase(
		"a1,,passives,2024-01-01\na2,,passives,2024-01-01\nb1,,silent,2024-01-01\n"+
			"c1,,mixed,2024-01-01\nc2,,mixed,2024-01-01\nc3,,mixed,2024-01-01\n",
		"", "r1,a1,2024-06-01,nps,7\nr2,a2,2024-06-02,nps,8\n"+
			"r3,c1,2024-06-01,nps,9\nr4,c1,2024-06-02,nps,10\nr5,c2,2024-06-03,nps,10\nr6,c2,2024-06-04,nps,7\n"+
			"r7,c3,2024-06-05,nps,0\nr8,c3,2024-06-06,nps,6\n", "")
	out, _ := testkit.Run(t, c, "2024-06-30")
	cols := "nps_responses, promoters, passives, detractors, nps, nps_margin_of_error"
	for _, tc := range []struct {
		segment string
		want    []string
	}{
		// all passives: NPS 0, and no spread in the +1/0/-1 coding
		{"passives", []string{"2", "0", "2", "0", "0", "0"}},
		// no answers: NULL, never 0
		{"silent", []string{"0", "0", "0", "0", "NULL", "NULL"}},
		// 3 promoters, 1 passive, 2 detractors of 6: 100 × (3 − 2) / 6 = 16.6667;
		// MoE = 196 × sqrt((3/6 + 2/6 − (1/6)²) / 6) = 71.8172
		{"mixed", []string{"6", "3", "1", "2", "16.6667", "71.8172"}},
	} {
		got := kpi(t, out, "segment", tc.segment, cols)
		if !equal(got, tc.want) {
			t.Errorf("segment %s: got %v, want %v (%s)", tc.segment, got, tc.want, cols)
		}
	}
	// the "all" row is recomputed from counts, not averaged over segments:
	// 3 promoters, 3 passives, 2 detractors of 8 → 12.5
	if got := kpi(t, out, "all", "all", "nps"); got[0] != "12.5" {
		t.Errorf("all: NPS %s, want 12.5", got[0])
	}
}

func TestCSATAndCES(t *testing.T) {
	c := tinyCase("a,,s,2024-01-01\n", "",
		"r1,a,2024-06-01,csat,5\nr2,a,2024-06-01,csat,4\nr3,a,2024-06-01,csat,3\nr4,a,2024-06-01,csat,2\n"+
			"r5,a,2024-06-01,ces,7\nr6,a,2024-06-01,ces,5\nr7,a,2024-06-01,ces,3\n", "")
	out, _ := testkit.Run(t, c, "2024-06-30")
	// CSAT: 2 of 4 answers are 4–5 (the 3 stays in the denominator) → 50 %;
	// CES: mean of 7, 5, 3 = 5; 2 of 3 are 5–7 → 66.6667 %
	got := kpi(t, out, "all", "all", "csat_responses, csat_pct, ces_responses, ces_avg, ces_easy_pct")
	if want := []string{"4", "50", "3", "5", "66.6667"}; !equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRepeatPurchaseRate(t *testing.T) {
	c := tinyCase("a,,s,2024-01-01\nb,,s,2024-01-01\nc,,s,2024-01-01\nd,,s,2024-01-01\n",
		"o1,a,2024-05-01,10,delivered\no2,a,2024-06-01,10,delivered\no3,b,2024-05-01,10,delivered\n"+
			"o4,c,2024-04-01,10,delivered\no5,c,2024-05-01,10,delivered\no6,c,2024-06-01,10,delivered\n"+
			"o7,d,2024-05-01,10,delivered\no8,d,2024-05-02,10,cancelled\n", "", "")
	out, _ := testkit.Run(t, c, "2024-06-30")
	// a and c have more than one order, b and d one (d's second is cancelled): 2 / 4
	got := kpi(t, out, "all", "all", "buyers_window, repeat_buyers_window, repeat_purchase_rate")
	if want := []string{"4", "2", "50"}; !equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRFMTies(t *testing.T) {
	// frequencies 1, 1, 2, 3, 3: ranks 1, 1, 3, 4, 4 of 5 →
	// scores 1 + floor(5 × (rank − 1) / 5) = 1, 1, 3, 4, 4 (ties equal)
	c := tinyCase("a,,s,2024-01-01\nb,,s,2024-01-01\nc,,s,2024-01-01\nd,,s,2024-01-01\ne,,s,2024-01-01\n",
		"o1,a,2024-06-01,10,delivered\no2,b,2024-06-01,10,delivered\n"+
			"o3,c,2024-05-01,10,delivered\no4,c,2024-06-01,10,delivered\n"+
			"o5,d,2024-04-01,10,delivered\no6,d,2024-05-01,10,delivered\no7,d,2024-06-01,10,delivered\n"+
			"o8,e,2024-04-01,10,delivered\no9,e,2024-05-01,10,delivered\no10,e,2024-06-01,10,delivered\n", "", "")
	out, _ := testkit.Run(t, c, "2024-06-30")
	got := testkit.Rows(t, "SELECT customer_id, f_score, r_score FROM read_parquet($1) ORDER BY customer_id", testkit.Table(out, "customer_metrics"))
	// every last order is on 2024-06-01: one recency value, one rank, R = 1 for all
	want := [][]string{{"a", "1", "1"}, {"b", "1", "1"}, {"c", "3", "1"}, {"d", "4", "1"}, {"e", "4", "1"}}
	if !equalRows(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestJourneyStageAndDaysToFirstOrder(t *testing.T) {
	c := tinyCase(
		"prospect,,s,2024-01-01\nfirst,,s,2024-01-01\nrepeat,,s,2024-01-01\nadvocate,,s,2024-01-01\nlapsed,,s,2023-01-01\n",
		"o1,first,2024-03-11 12:00:00,10,delivered\n"+
			"o2,repeat,2024-04-01,10,delivered\no3,repeat,2024-05-01,10,delivered\n"+
			"o4,advocate,2024-04-01,10,delivered\no5,advocate,2024-05-01,10,delivered\n"+
			"o6,lapsed,2023-03-01,10,delivered\n",
		"r1,advocate,2024-05-10,nps,10\n",
		"t1,prospect,2024-02-01,web,visit\nt2,first,2024-03-01 09:00:00,web,visit\n")
	out, _ := testkit.Run(t, c, "2024-06-30")
	got := testkit.Rows(t, "SELECT customer_id, journey_stage, days_to_first_order FROM read_parquet($1) ORDER BY customer_id",
		testkit.Table(out, "customer_journey"))
	want := [][]string{
		{"advocate", "advocacy", "0"},     // the first order is the first touch
		{"first", "first_purchase", "10"}, // visit 2024-03-01, order 2024-03-11 (business dates)
		{"lapsed", "lapsed", "0"},         // last order more than 365 days before the snapshot
		{"prospect", "awareness", "NULL"},
		{"repeat", "repeat", "0"},
	}
	if !equalRows(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestAsOfCutoffInBusinessTimeZone(t *testing.T) {
	// The end of 2024-06-30 in Europe/Berlin (UTC+2 in summer) is 21:59:59Z.
	c := tinyCase("a,,s,2024-01-01\n",
		"in,a,2024-06-30T21:59:59Z,10,delivered\nout,a,2024-06-30T22:00:00Z,20,delivered\n", "", "")
	out, m := testkit.Run(t, c, "2024-06-30")
	if m.Cutoff != "2024-06-30T22:00:00Z" {
		t.Errorf("cutoff %s", m.Cutoff)
	}
	got := testkit.Rows(t, "SELECT orders, revenue FROM read_parquet($1)", testkit.Table(out, "customer_journey"))
	if want := [][]string{{"1", "10"}}; !equalRows(got, want) {
		t.Errorf("got %v, want %v: the order one second after the end of the day must be excluded", got, want)
	}
	if n := testkit.Value(t, "SELECT count(*) FROM read_parquet($1)", testkit.Table(out, "journey_events")); n != "1" {
		t.Errorf("journey_events has %s events, want 1", n)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
