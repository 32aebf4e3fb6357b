package schedtest

import (
	"context"
	"slices"
	"sync"
)

// Ledger is an in-memory schedule.Ledger: a set of complete dates.
type Ledger struct {
	mu   sync.Mutex
	done map[string]bool
	err  error
}

// NewLedger returns a ledger holding the given dates as complete.
func NewLedger(complete ...string) *Ledger {
	l := &Ledger{done: map[string]bool{}}
	for _, d := range complete {
		l.done[d] = true
	}
	return l
}

// Complete reports whether asOf was marked complete, or the error set by
// Fail.
func (l *Ledger) Complete(ctx context.Context, asOf string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return false, l.err
	}
	return l.done[asOf], nil
}

// MarkComplete records asOf as published, as a successful run does.
func (l *Ledger) MarkComplete(asOf string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done[asOf] = true
}

// Fail makes Complete return err until Fail(nil).
func (l *Ledger) Fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.err = err
}

// Dates returns the complete dates, sorted.
func (l *Ledger) Dates() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.done))
	for d := range l.done {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}
