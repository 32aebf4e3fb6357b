package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/journeydata/journey/pipeline"
)

// validate checks the configuration, then reaches every source and reads it
// through its mapping and row rules without writing anything.
func (e env) validate(ctx context.Context, args []string) int {
	fl := newFlags("validate", e.stderr)
	config := fl.String("config", "", "configuration file to check (default: the bundled demo)")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	cfg, err := e.loadConfig(*config)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitCode(err)
	}
	counts, err := pipeline.Probe(ctx, cfg, nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %s\n", cfg.Path, oneLine(err))
		return exitCode(err)
	}
	fmt.Fprintf(e.stdout, "%s: configuration ok\n", cfg.Path)
	for _, name := range slices.Sorted(maps.Keys(counts)) {
		c := counts[name]
		fmt.Fprintf(e.stdout, "  source %-20s %-17s read %d, loaded %d, rejected %d\n", name, c.Entity, c.Read, c.Loaded, c.Rejected)
	}
	return ExitOK
}
