package gen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// TruthFile is the name of the ground-truth file in the output folder.
const TruthFile = "truth.json"

// Truth is the ground truth of a generated data set: what it was generated
// from, the date to fit the models at, and how many records and dirty rows
// of each kind it holds.
type Truth struct {
	Seed       uint64          `json:"seed"`
	Customers  int             `json:"customers"`
	Format     Format          `json:"format"`
	From       string          `json:"from"`
	To         string          `json:"to"`
	AsOf       string          `json:"as_of"` // fit the models as of this date: every purchase lies on or before it
	Timezone   string          `json:"timezone"`
	BGNBD      BGNBDTruth      `json:"bgnbd"`
	GammaGamma GammaGammaTruth `json:"gamma_gamma"`
	DirtRate   float64         `json:"dirt_rate"`
	Counts     Counts          `json:"counts"`
	Sources    []SourceTruth   `json:"sources"`
}

// BGNBDTruth are the purchase-process parameters, time unit weeks.
type BGNBDTruth struct {
	R        float64 `json:"r"`
	Alpha    float64 `json:"alpha"`
	A        float64 `json:"a"`
	B        float64 `json:"b"`
	TimeUnit string  `json:"time_unit"`
}

// GammaGammaTruth are the order-value parameters.
type GammaGammaTruth struct {
	P              float64 `json:"p"`
	Q              float64 `json:"q"`
	Gamma          float64 `json:"gamma"`
	Currency       string  `json:"currency"`
	MeanOrderValue float64 `json:"mean_order_value"` // p γ / (q − 1)
}

// Counts are the clean records generated (dirty companions excluded), and
// the dirty rows.
type Counts struct {
	Customers          int64 `json:"customers"`
	Prospects          int64 `json:"prospects"`        // never ordered
	Buyers             int64 `json:"buyers"`           // customers the BG/NBD fit sees
	RepeatBuyers       int64 `json:"repeat_buyers"`    // with two or more purchase days
	PurchaseDays       int64 `json:"purchase_days"`    // first purchases included
	Dropouts           int64 `json:"dropouts"`         // dropped out before the as-of date
	Orders             int64 `json:"orders"`           // cancelled ones included
	Cancelled          int64 `json:"cancelled_orders"` // cancelled the day they were placed
	Late               int64 `json:"late_deliveries"`
	Returned           int64 `json:"returned_orders"`
	Interactions       int64 `json:"interactions"`
	Tickets            int64 `json:"support_tickets"`
	Complaints         int64 `json:"complaints"`
	Unresolved         int64 `json:"unresolved_tickets_and_complaints"`
	SurveyAnswers      int64 `json:"survey_responses"`
	NPS                int64 `json:"nps_responses"`
	CSAT               int64 `json:"csat_responses"`
	CES                int64 `json:"ces_responses"`
	Negative           int64 `json:"negative_experiences"`
	NegativeOfDropouts int64 `json:"negative_experiences_of_dropouts"`
	DirtRows           int64 `json:"dirt_rows"` // dirty rows or respellings, all files
}

func (c *Counts) add(o Counts) {
	c.Customers += o.Customers
	c.Prospects += o.Prospects
	c.Buyers += o.Buyers
	c.RepeatBuyers += o.RepeatBuyers
	c.PurchaseDays += o.PurchaseDays
	c.Dropouts += o.Dropouts
	c.Orders += o.Orders
	c.Cancelled += o.Cancelled
	c.Late += o.Late
	c.Returned += o.Returned
	c.Interactions += o.Interactions
	c.Tickets += o.Tickets
	c.Complaints += o.Complaints
	c.Unresolved += o.Unresolved
	c.SurveyAnswers += o.SurveyAnswers
	c.NPS += o.NPS
	c.CSAT += o.CSAT
	c.CES += o.CES
	c.Negative += o.Negative
	c.NegativeOfDropouts += o.NegativeOfDropouts
	c.DirtRows += o.DirtRows
}

// SourceTruth is one source of the generated configuration: its files, the
// records they hold (what a pipeline reads) and the dirt injected into them.
type SourceTruth struct {
	Name   string           `json:"name"`
	Entity string           `json:"entity"`
	Format Format           `json:"format"`
	Path   string           `json:"path"` // as the configuration reads it: a file or a glob
	Files  []string         `json:"files"`
	Rows   int64            `json:"rows"`
	Dirt   map[string]int64 `json:"dirt"` // per kind, see DirtKinds
	// ExpectedRejects is the dirt a correct pipeline rejects: duplicates,
	// bad dates, negative amounts, out-of-range scores, malformed lines.
	// Unknown customers are loaded as unmatched identities and mixed-case
	// emails are normalised.
	ExpectedRejects int64 `json:"expected_rejects"`
}

// newTruth assembles the truth of a finished data set.
func newTruth(o *Options, l layout, s *sink) Truth {
	t := Truth{
		Seed: o.Seed, Customers: o.Customers, Format: o.Format,
		From: o.From.Format(time.DateOnly), To: o.To.Format(time.DateOnly), AsOf: o.To.Format(time.DateOnly),
		Timezone: Zone, DirtRate: o.Dirt, Counts: s.counts,
		BGNBD: BGNBDTruth{R: o.BGNBD.R, Alpha: o.BGNBD.Alpha, A: o.BGNBD.A, B: o.BGNBD.B, TimeUnit: "weeks"},
		GammaGamma: GammaGammaTruth{P: o.GammaGamma.P, Q: o.GammaGamma.Q, Gamma: o.GammaGamma.Gamma, Currency: "EUR",
			MeanOrderValue: o.GammaGamma.P * o.GammaGamma.Gamma / (o.GammaGamma.Q - 1)},
	}
	for e := range numEntities {
		spec := entitySpecs[e]
		st := SourceTruth{Name: spec.source, Entity: spec.entity, Format: l.formats[e], Path: l.pattern(e), Dirt: map[string]int64{}}
		for _, f := range s.files {
			if f.Source == spec.source {
				st.Files = append(st.Files, f.Path)
				st.Rows += f.Rows
			}
		}
		for k, n := range s.dirt[e] {
			if l.dirtKinds(e)&(1<<k) == 0 {
				continue
			}
			st.Dirt[DirtKinds[k]] = n
			t.Counts.DirtRows += n
			if DirtRejected[k] {
				st.ExpectedRejects += n
			}
		}
		t.Sources = append(t.Sources, st)
	}
	return t
}

// writeJSON writes v, indented, to dir/name.
func writeJSON(dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// ReadTruth reads the truth.json of a generated data set.
func ReadTruth(dir string) (*Truth, error) {
	b, err := os.ReadFile(filepath.Join(dir, TruthFile))
	if err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	var t Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("read truth: %s: %w", filepath.Join(dir, TruthFile), err)
	}
	return &t, nil
}
