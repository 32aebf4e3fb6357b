package cli

import (
	"context"
	"path/filepath"

	"github.com/journeydata/journey/internal/gen"
	"github.com/journeydata/journey/sinks"
)

// modelRecovery compares the first run's fits (its manifest) with the data
// set's truth.json, with standard errors refitted from the run's published
// customer_metrics.
// It also returns the refit on the customers the CRM knows, without the
// one-time buyers of the dirt's unknown customers.
func modelRecovery(ctx context.Context, dataDir, out string, m *sinks.Manifest) ([]gen.Recovered, []gen.Recovered, error) {
	truth, err := gen.ReadTruth(dataDir)
	if err != nil {
		return nil, nil, err
	}
	metrics := filepath.Join(out, "customer_metrics", "*", "*.parquet")
	rows, _, err := gen.Recovery(ctx, truth, m.Models, metrics)
	if err != nil {
		return nil, nil, err
	}
	known, err := gen.RecoveryOfKnown(ctx, truth, metrics, filepath.Join(out, "customer_journey", "*", "*.parquet"))
	return rows, known, err
}

// recoverySection prints the recovery table.
func (r *benchReport) recoverySection(t *textReport) {
	if len(r.Recovery) == 0 {
		return
	}
	t.heading("Model recovery (first run's fit against the generating parameters)")
	recoveryTable(t, r.Recovery)
	if len(r.RecoveryKnown) > 0 {
		t.heading("Model recovery, refitted on the customers the CRM knows (without the dirt's unknown customers)")
		recoveryTable(t, r.RecoveryKnown)
	}
}

func recoveryTable(t *textReport, rows []gen.Recovered) {
	t.printf("  %-12s %-6s %10s %10s %10s %8s\n", "model", "param", "truth", "fitted", "std err", "z")
	for _, row := range rows {
		t.printf("  %-12s %-6s %10.4f %10.4f %10.4f %+8.2f\n", row.Model, row.Name, row.Truth, row.Fitted, row.StdErr, row.Z)
	}
}
