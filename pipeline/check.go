package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/journeydata/journey/pipeline/gates"
	"github.com/journeydata/journey/sinks"
)

// ErrGate marks a run stopped by a failed quality gate.
var ErrGate = gates.ErrFailed

// check runs the quality gates on the built tables, before anything is
// published. Warnings are logged; a failed gate stops the run with the
// readable report.
func (r *run) check(ctx context.Context) error {
	in := gates.Inputs{Sources: map[string]gates.SourceCounts{}}
	for name, s := range r.manifest.Sources {
		in.Sources[name] = gates.SourceCounts{Entity: s.Entity, Read: s.Read, Loaded: s.Loaded, Rejected: s.Rejected}
	}
	if r.opt.Finalize != nil {
		in.Reconciled = r.partsReconciled()
	}
	prev, err := r.previousManifest(ctx)
	if err != nil {
		return err
	}
	if prev != nil {
		in.PreviousRows = map[string]int64{}
		for t, st := range prev.Tables {
			in.PreviousRows[t] = st.Rows
		}
	}
	rep, err := gates.Evaluate(ctx, r.db, r.gateConfig(), in)
	if err != nil {
		return err
	}
	r.gates = &rep
	r.manifest.Gates = rep.Summary()
	for _, w := range rep.Warnings() {
		r.opt.Log.Warn().Str("gate", w.Name()).Str("table", w.Table).Str("column", w.Column).
			Int64("offending", w.Offending).Int64("total", w.Total).Msg(w.Detail)
	}
	if rep.Failed() {
		return fmt.Errorf("quality gates failed, nothing was published:\n%s%w", rep.Text(), errGateMarker{})
	}
	return nil
}

// gateConfig is the configured gates, less the unmatched-identity share
// when no source feeds customers: without a CRM every record is unmatched
// by design.
func (r *run) gateConfig() gates.Config {
	cfg := r.cfg.Gates
	for _, s := range r.cfg.Sources {
		if s.Entity == "customers" {
			return cfg
		}
	}
	all := 1.0
	cfg.UnmatchedIdentity.MaxShare = &all
	return cfg
}

// errGateMarker makes a gate failure match ErrGate without repeating its text.
type errGateMarker struct{}

func (errGateMarker) Error() string        { return "" }
func (errGateMarker) Is(target error) bool { return target == ErrGate }

// previousManifest returns the manifest of the latest published snapshot
// before the run's date, or nil when there is none.
func (r *run) previousManifest(ctx context.Context) (*sinks.Manifest, error) {
	out, err := r.output(ctx)
	if err != nil {
		return nil, err
	}
	dates, err := sinks.PublishedDates(ctx, out)
	if err != nil {
		return nil, err
	}
	dates = slices.DeleteFunc(dates, func(d string) bool { return d >= r.asOf })
	if len(dates) == 0 {
		return nil, nil
	}
	return sinks.LoadManifest(ctx, out, dates[len(dates)-1])
}
