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
func modelRecovery(ctx context.Context, dataDir, out string, m *sinks.Manifest) ([]gen.Recovered, error) {
	truth, err := gen.ReadTruth(dataDir)
	if err != nil {
		return nil, err
	}
	rows, _, err := gen.Recovery(ctx, truth, m.Models, filepath.Join(out, "customer_metrics", "*", "*.parquet"))
	return rows, err
}

// recoverySection prints the recovery table.
func (r *benchReport) recoverySection(t *textReport) {
	if len(r.Recovery) == 0 {
		return
	}
	t.heading("Model recovery (first run's fit against the generating parameters)")
	t.printf("  %-12s %-6s %10s %10s %10s %8s\n", "model", "param", "truth", "fitted", "std err", "z")
	for _, row := range r.Recovery {
		t.printf("  %-12s %-6s %10.4f %10.4f %10.4f %+8.2f\n", row.Model, row.Name, row.Truth, row.Fitted, row.StdErr, row.Z)
	}
}
