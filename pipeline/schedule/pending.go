package schedule

import (
	"context"
	"fmt"
)

// Pending returns the dates the ledger does not hold as complete, in the
// given order. `journey status` and `journey backfill` share it with the
// daemon.
func Pending(ctx context.Context, l Ledger, dates []string) ([]string, error) {
	var out []string
	for _, d := range dates {
		done, err := l.Complete(ctx, d)
		if err != nil {
			return nil, fmt.Errorf("check ledger for %s: %w", d, err)
		}
		if !done {
			out = append(out, d)
		}
	}
	return out, nil
}
