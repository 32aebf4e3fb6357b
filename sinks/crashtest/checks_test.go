package crashtest

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeydata/journey/internal/testkit"
	"github.com/journeydata/journey/sinks"
)

// dir writes the objects into a temporary folder for DuckDB to read.
func (s state) dir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range s {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// decode decodes the JSON object name into v; false when it is absent.
func (s state) decode(t *testing.T, name string, v any) bool {
	t.Helper()
	b, ok := s[name]
	if !ok {
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return true
}

func (s state) manifest(t *testing.T, date string) *sinks.Manifest {
	t.Helper()
	var m sinks.Manifest
	if !s.decode(t, sinks.ManifestName(date), &m) {
		return nil
	}
	return &m
}

func (s state) latest(t *testing.T) sinks.Latest {
	t.Helper()
	var l sinks.Latest
	if !s.decode(t, sinks.LatestName, &l) {
		t.Fatal("no _latest.json")
	}
	return l
}

func (s state) lock(t *testing.T) sinks.LockInfo {
	t.Helper()
	var l sinks.LockInfo
	if !s.decode(t, sinks.LockName, &l) {
		t.Fatal("no publish lock")
	}
	return l
}

// runPartitions lists the run ids that have a rejects partition.
func (s state) runPartitions() []string {
	var runs []string
	for name := range s {
		if rest, ok := strings.CutPrefix(name, "rejects/run_id="); ok {
			runs = append(runs, strings.Split(rest, "/")[0])
		}
	}
	slices.Sort(runs)
	return slices.Compact(runs)
}

// snapshotRows reads, with DuckDB, every snapshot table's partition of date
// and the rejects of run, each in a total order.
func snapshotRows(t *testing.T, dir, date, run string) map[string][][]string {
	t.Helper()
	rows := map[string][][]string{}
	for _, tbl := range sinks.Tables() {
		var glob string
		switch tbl.Partition {
		case sinks.BySnapshot:
			glob = filepath.Join(dir, tbl.Name, "snapshot_date="+date, "*.parquet")
		case sinks.ByRun:
			glob = filepath.Join(dir, tbl.Name, "run_id="+run, "*.parquet")
		default:
			continue
		}
		rows[tbl.Name] = testkit.Rows(t, "SELECT * FROM read_parquet($1, hive_partitioning = false) ORDER BY ALL", glob)
	}
	return rows
}

// checkReadable fails unless every object in a table's folder is a
// part-0.parquet file that DuckDB reads whole.
func checkReadable(t *testing.T, s state, dir string) {
	t.Helper()
	for _, tbl := range sinks.Tables() {
		n := 0
		for name := range s {
			if strings.HasPrefix(name, tbl.Name+"/") {
				n++
				if !strings.HasSuffix(name, "/part-0.parquet") {
					t.Errorf("%s: not a published file name", name)
				}
			}
		}
		if n > 0 {
			testkit.Rows(t, "SELECT count(*) FROM read_parquet($1)", filepath.Join(dir, tbl.Name, "*", "*.parquet"))
		}
	}
}

// checkSnapshot fails unless date's snapshot in s has the rows it had in
// the baseline, and, when sameManifest, the very same manifest.
func checkSnapshot(t *testing.T, s state, dir string, base *baseline, date string, sameManifest bool) {
	t.Helper()
	m := s.manifest(t, date)
	if m == nil {
		t.Fatalf("snapshot %s has no manifest", date)
	}
	if sameManifest && string(s[sinks.ManifestName(date)]) != string(base.objects[sinks.ManifestName(date)]) {
		t.Errorf("the manifest of %s changed", date)
	}
	if got := snapshotRows(t, dir, date, m.RunID); !reflect.DeepEqual(got, base.rows[date]) {
		t.Errorf("snapshot %s reads differently than before", date)
	}
}

// checkManifests fails unless every file a manifest lists exists with the
// manifest's CRC32C (journey_events: only the latest snapshot's), and every
// rejects partition belongs to a manifest's run.
func checkManifests(t *testing.T, s state) {
	t.Helper()
	latest := s.latest(t)
	var runs []string
	for name := range s {
		date, ok := strings.CutPrefix(name, "_manifests/snapshot_date=")
		if !ok {
			continue
		}
		m := s.manifest(t, strings.TrimSuffix(date, ".json"))
		runs = append(runs, m.RunID)
		for table, st := range m.Tables {
			if table == "journey_events" && m.AsOf != latest.AsOf {
				continue
			}
			for _, f := range st.Files {
				if got := fmt.Sprintf("%08x", crc32.Checksum(s[f], crc32.MakeTable(crc32.Castagnoli))); got != st.CRC32C[f] {
					t.Errorf("%s of %s: %s has CRC32C %s, the manifest says %s", table, m.AsOf, f, got, st.CRC32C[f])
				}
			}
		}
	}
	slices.Sort(runs)
	if got := s.runPartitions(); !slices.Equal(got, runs) {
		t.Errorf("rejects partitions %v, want one per published snapshot %v", got, runs)
	}
}
