package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/journeydata/journey/sources"
	sqlfiles "github.com/journeydata/journey/sql"
	"github.com/journeydata/journey/transforms"
)

// TestShardStepsAreSelfContained guards the split of the transform graph:
// a shard's tables may read only staging tables and each other, and the
// finalize step may read only what the shards hand over and what it builds
// itself. A new SQL model that crosses the line fails here.
func TestShardStepsAreSelfContained(t *testing.T) {
	steps, err := transforms.LoadSQL(sqlfiles.Files)
	if err != nil {
		t.Fatal(err)
	}
	steps = append(steps, (&run{}).modelStep())
	built := map[string]bool{}
	for _, s := range steps {
		built[s.Table] = true
	}
	for _, table := range shardTables {
		if !built[table] {
			t.Errorf("shard table %s is built by no step", table)
		}
	}
	for _, s := range steps {
		local := slices.Contains(shardTables, s.Table)
		for _, d := range s.Depends {
			switch {
			case local && !strings.HasPrefix(d, "stg_") && !slices.Contains(shardTables, d):
				t.Errorf("shard table %s reads %s, which a shard does not have", s.Table, d)
			case !local && !built[d] && !slices.Contains(partTables, d):
				t.Errorf("%s reads %s, which the shards do not hand over", s.Table, d)
			case !local && strings.HasPrefix(d, "stg_") && !slices.Contains(partTables, d):
				t.Errorf("%s reads %s, which the shards do not hand over", s.Table, d)
			}
		}
	}
	if !slices.Contains(partTables, sources.RejectsTable) {
		t.Error("the rejects are not handed over")
	}
}
