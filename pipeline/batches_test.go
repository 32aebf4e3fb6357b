package pipeline_test

import (
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/pipeline"
)

// TestEventBatchesChangeNothing builds journey_events of the demo in dozens
// of batches of customers and checks that every published table holds
// the same rows as with one batch.
func TestEventBatchesChangeNothing(t *testing.T) {
	load := func() *pipeline.Config {
		cfg, err := pipeline.Load("../testdata/demo/journey.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	one := t.TempDir()
	if _, err := testkit.RunConfig(load(), "2025-06-30", one, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	defer func(b, m int64) { *pipeline.BytesPerBatchEvent, *pipeline.MinBatchEvents = b, m }(*pipeline.BytesPerBatchEvent, *pipeline.MinBatchEvents)
	*pipeline.BytesPerBatchEvent, *pipeline.MinBatchEvents = 1<<40, 500
	many := t.TempDir()
	if _, err := testkit.RunConfig(load(), "2025-06-30", many, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	testkit.SameTables(t, one, many)
}
