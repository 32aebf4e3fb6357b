package gates

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
)

// ErrFailed is wrapped by Report.Err: errors.Is(err, ErrFailed) reports that
// the data broke a gate of severity error (as opposed to a gate that could not
// be evaluated).
var ErrFailed = errors.New("quality gates failed")

// Result is the outcome of one gate.
type Result struct {
	Table    string   `json:"table"`            // the table checked
	Column   string   `json:"column,omitempty"` // the column(s), comma-separated for a composite key
	Source   string   `json:"source,omitempty"` // the source, for reconciliation
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Passed is false when the gate found offending rows. A skipped gate
	// counts as passed.
	Passed  bool `json:"passed"`
	Skipped bool `json:"skipped,omitempty"`
	// Offending counts what broke the rule (rows, duplicate keys, records);
	// Total is what was checked. Detail says which, with up to five examples.
	Offending int64  `json:"offending"`
	Total     int64  `json:"total"`
	Detail    string `json:"detail,omitempty"`
}

// Failed reports whether the result fails the run.
func (r Result) Failed() bool { return !r.Passed && r.Severity == Error }

// Warned reports whether the result is a failed gate of severity warn.
func (r Result) Warned() bool { return !r.Passed && r.Severity != Error }

// Name names the gate: "customer_metrics.churn_risk range",
// "customer_metrics.(snapshot_date, customer_id) unique".
func (r Result) Name() string {
	s := r.Table
	switch {
	case strings.Contains(r.Column, ","):
		s += ".(" + r.Column + ")"
	case r.Column != "":
		s += "." + r.Column
	}
	if r.Source != "" {
		s += " source " + r.Source
	}
	return strings.TrimSpace(s + " " + r.Rule)
}

// Report is the outcome of every gate of a run, in evaluation order.
type Report struct {
	Results []Result `json:"results"`
}

// Failed reports whether any gate of severity error failed.
func (r Report) Failed() bool { return len(r.Failures()) > 0 }

// Failures returns the failed gates of severity error.
func (r Report) Failures() []Result { return r.filter(Result.Failed) }

// Warnings returns the failed gates of severity warn.
func (r Report) Warnings() []Result { return r.filter(Result.Warned) }

// Skipped returns the gates that checked nothing, such as the row-count
// change on the first snapshot.
func (r Report) Skipped() []Result { return r.filter(func(x Result) bool { return x.Skipped }) }

func (r Report) filter(keep func(Result) bool) []Result {
	var out []Result
	for _, x := range r.Results {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// Err returns nil unless a gate of severity error failed; then an error
// wrapping ErrFailed that names every failed gate and its detail.
func (r Report) Err() error {
	fs := r.Failures()
	if len(fs) == 0 {
		return nil
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Name() + ": " + f.Detail
	}
	return fmt.Errorf("%w: %s", ErrFailed, strings.Join(parts, "; "))
}

// Summary is the last line of Text: "12 gates passed, 1 warning, 2 failed",
// with ", 1 skipped" inserted after the passed count when gates were skipped.
func (r Report) Summary() string {
	failed, warned, skipped := len(r.Failures()), len(r.Warnings()), len(r.Skipped())
	passed := len(r.Results) - failed - warned - skipped
	s := plural(passed, "gate", "gates") + " passed"
	if skipped > 0 {
		s += fmt.Sprintf(", %d skipped", skipped)
	}
	return s + ", " + plural(warned, "warning", "warnings") + fmt.Sprintf(", %d failed", failed)
}

// Text renders the report for people: one aligned line per failed, warned
// or skipped gate (status, table, column, rule, offending/total, detail),
// failures first, then the summary line.
func (r Report) Text() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, group := range []struct {
		status string
		rs     []Result
	}{{"FAIL", r.Failures()}, {"WARN", r.Warnings()}, {"SKIP", r.Skipped()}} {
		for _, x := range group.rs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d/%d\t%s\n", group.status, orDash(x.Table), x.columnCell(), x.Rule,
				x.Offending, x.Total, x.Detail)
		}
	}
	_ = w.Flush()
	return b.String() + r.Summary() + "\n"
}

func (r Result) columnCell() string {
	switch {
	case r.Source != "":
		return "source " + r.Source
	}
	return orDash(r.Column)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// plural renders a count with its noun: "1 gate", "2 gates".
func plural[N int | int64](n N, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
